"""Single-entry rules shared by the log form and the services (one validator, two callers).

Each function returns the cleaned value or raises ``RuleViolation`` whose ``details["field"]``
names the form field, so a form can show the message next to that field."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone
from django.utils.translation import gettext as _

from portal.errors import RuleViolation
from portal.models import Programme
from sessions_log.models import Activity, Format

DEFAULT_UNIT_MINUTES = 60
MAX_NOTES_LENGTH = 2000
# ``TextChoices.values`` builds a new list on every access.
_ACTIVITIES = frozenset(Activity.values)
_FORMATS = frozenset(Format.values)


def validate_date(value) -> dt.date:
    """A session date: a real date, not in the future."""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    elif isinstance(value, str):
        try:
            value = dt.date.fromisoformat(value)
        except ValueError:
            raise RuleViolation(_("Bitte geben Sie ein gültiges Datum an."), field="date") from None
    if not isinstance(value, dt.date):
        raise RuleViolation(_("Bitte geben Sie das Datum der Sitzung an."), field="date")
    if value > timezone.localdate():
        raise RuleViolation(
            _(
                "Sitzungen können nicht im Voraus eingetragen werden: das Datum liegt in der Zukunft."
            ),
            field="date",
        )
    return value


def case_date_range(voucher) -> tuple[dt.date, dt.date]:
    """Rule 9: the first and last day a session of ``voucher`` may lie on — from the day the
    case was issued to its ``valid_until``, and never after today."""
    issued = voucher.issued_at
    first = timezone.localtime(issued).date() if timezone.is_aware(issued) else issued.date()
    return first, min(voucher.valid_until, timezone.localdate())


def validate_case_date(value, voucher) -> dt.date:
    """``validate_date`` plus rule 9: the date lies within ``case_date_range(voucher)``."""
    value = validate_date(value)
    first, last = case_date_range(voucher)
    if not first <= value <= last:
        raise RuleViolation(
            _("Das Datum muss zwischen dem %(first)s (Ausstellung) und dem %(last)s liegen.")
            % {"first": first.strftime("%d.%m.%Y"), "last": last.strftime("%d.%m.%Y")},
            field="date",
        )
    return value


def unit_minutes(programme: Programme) -> int:
    return programme.unit_minutes or DEFAULT_UNIT_MINUTES


def validate_minutes(value, programme: Programme) -> tuple[int, int]:
    """Return ``(minutes, units)``. Virtuelle Begleitung counts whole units of 60 minutes."""
    try:
        minutes = int(value)
    except (TypeError, ValueError):
        minutes = 0
    if isinstance(value, bool) or minutes != value or minutes <= 0:
        raise RuleViolation(
            _("Bitte geben Sie die Dauer als ganze Zahl von Minuten größer als 0 an."),
            field="minutes",
        )
    if programme.kind != Programme.Kind.VIRTUELL:
        return minutes, 0
    unit = unit_minutes(programme)
    if minutes % unit:
        raise RuleViolation(
            _(
                "In der Virtuellen Begleitung wird in ganzen Sparring-Einheiten zu je "
                "%(unit)d Minuten abgerechnet. %(minutes)d Minuten sind keine ganze Einheit."
            )
            % {"unit": unit, "minutes": minutes},
            field="minutes",
        )
    return minutes, minutes // unit


def validate_activity(value) -> str:
    if not isinstance(value, str) or value not in _ACTIVITIES:
        raise RuleViolation(_("Bitte wählen Sie eine Tätigkeit aus der Liste."), field="activity")
    return value


def validate_format(value) -> str:
    if not isinstance(value, str) or value not in _FORMATS:
        raise RuleViolation(
            _("Bitte wählen Sie das Format: vor Ort, Telefon oder Video."), field="format"
        )
    return value


# Bounded well inside the column (a PositiveIntegerField): a session has no more people.
MAX_PARTICIPANTS = 10_000


def validate_participants(value) -> int | None:
    if value in (None, ""):
        return None
    try:
        number = int(value)
    except (TypeError, ValueError, OverflowError):
        number = 0
    if isinstance(value, bool) or number != value or not 1 <= number <= MAX_PARTICIPANTS:
        raise RuleViolation(
            _("Bitte geben Sie die Zahl der Teilnehmenden als ganze Zahl von 1 bis %(max)s an.")
            % {"max": MAX_PARTICIPANTS},
            field="participants",
        )
    return number


def validate_notes(value) -> str:
    notes = (value or "").strip()
    if len(notes) > MAX_NOTES_LENGTH:
        raise RuleViolation(
            _("Die Notiz ist zu lang (höchstens %(max)d Zeichen).") % {"max": MAX_NOTES_LENGTH},
            field="notes",
        )
    return notes
