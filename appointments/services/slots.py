"""Publishing slots: single ones or a weekly pattern (``dateutil.rrule``), never in the past,
never overlapping the facilitator's own slots (with the buffer), at most ``daily_max`` a day."""

from __future__ import annotations

import datetime as dt

from dateutil import rrule
from django.db import transaction
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from appointments.models import CalendarSettings, Format, Slot
from appointments.services.common import (
    SLOT_MINUTES,
    aware,
    facilitator_of,
    for_update,
    local,
    user_of,
)
from portal.audit import log_action
from portal.errors import InvalidTransition, RuleViolation
from portal.models import FacilitatorProfile, Programme

MAX_SERIES = 200
WEEKDAYS = (rrule.MO, rrule.TU, rrule.WE, rrule.TH, rrule.FR, rrule.SA, rrule.SU)


def settings_of(profile: FacilitatorProfile) -> CalendarSettings:
    """The facilitator's calendar settings (defaults until saved)."""
    found = CalendarSettings.objects.filter(facilitator=profile).first()
    return found or CalendarSettings(facilitator=profile)


def update_calendar_settings(*, by, **values) -> CalendarSettings:
    """Save the facilitator's defaults (format, link/phone note, buffer, daily maximum)."""
    profile = facilitator_of(by)
    current = settings_of(profile)
    for name, value in values.items():
        setattr(current, name, value)
    current.full_clean()
    current.save()
    return current


def _when(starts_at: dt.datetime) -> str:
    return date_format(local(starts_at), "DATETIME_FORMAT")


def _check_programme(programme: Programme) -> None:
    if not programme.is_virtual:
        raise RuleViolation(_("Sparring-Termine gibt es nur in der Virtuellen Begleitung."))


def _check_free(profile, starts_at, ends_at, conf: CalendarSettings) -> None:
    """Refuse a slot in the past, overlapping an own slot (with buffer), or over the daily
    maximum. Call under the facilitator's row lock."""
    if starts_at <= timezone.now():
        raise RuleViolation(
            _("Der Termin am %(when)s liegt in der Vergangenheit.") % {"when": _when(starts_at)}
        )
    buffer = dt.timedelta(minutes=conf.buffer_minutes)
    own = Slot.objects.filter(facilitator=profile, withdrawn_at__isnull=True)
    if own.filter(starts_at__lt=ends_at + buffer, ends_at__gt=starts_at - buffer).exists():
        raise RuleViolation(
            _(
                "Der Termin am %(when)s überschneidet sich mit einem Ihrer Termine "
                "(mit %(buffer)d Minuten Pause dazwischen)."
            )
            % {"when": _when(starts_at), "buffer": conf.buffer_minutes}
        )
    day_start = local(starts_at).replace(hour=0, minute=0, second=0, microsecond=0)
    day_end = day_start + dt.timedelta(days=1)  # wall-clock midnight, also on DST days
    on_day = own.filter(starts_at__gte=day_start, starts_at__lt=day_end).count()
    if on_day >= conf.daily_max:
        raise RuleViolation(
            _("Am %(day)s bieten Sie bereits %(count)d Termine an (höchstens %(max)d je Tag).")
            % {
                "day": date_format(day_start.date(), "SHORT_DATE_FORMAT"),
                "count": on_day,
                "max": conf.daily_max,
            }
        )


def _create(profile, programme, starts_at, conf, *, format, video_link, phone_note, by) -> Slot:
    ends_at = starts_at + dt.timedelta(minutes=SLOT_MINUTES)
    _check_free(profile, starts_at, ends_at, conf)
    format = format or conf.format
    if format not in Format.values:
        raise RuleViolation(_("Bitte wählen Sie Telefon oder Video."))
    slot = Slot(
        facilitator=profile,
        programme=programme,
        starts_at=starts_at,
        ends_at=ends_at,
        format=format,
        video_link=(video_link if video_link is not None else conf.video_link) or "",
        phone_note=(phone_note if phone_note is not None else conf.phone_note) or "",
    )
    slot.full_clean(exclude=["facilitator", "programme"])
    slot.save()
    log_action(user_of(by), "slot.published", slot, to_state="open")
    return slot


def _lock_profile(profile: FacilitatorProfile) -> FacilitatorProfile:
    # Serialises one facilitator's publishing, so two requests cannot create overlapping slots.
    return for_update(FacilitatorProfile.objects.filter(pk=profile.pk)).get()


def publish_slot(
    *,
    by,
    programme: Programme,
    starts_at: dt.datetime,
    format: str | None = None,
    video_link: str | None = None,
    phone_note: str | None = None,
) -> Slot:
    """Offer one 60-minute slot in ``programme`` (the facilitator ``by``). A naive
    ``starts_at`` is Europe/Berlin wall time; it is stored in UTC."""
    profile = facilitator_of(by)
    _check_programme(programme)
    starts_at = aware(starts_at)
    with transaction.atomic():
        _lock_profile(profile)
        return _create(
            profile,
            programme,
            starts_at,
            settings_of(profile),
            format=format,
            video_link=video_link,
            phone_note=phone_note,
            by=by,
        )


def series_starts(
    *, first_day: dt.date, last_day: dt.date, weekdays: list[int], time: dt.time, exceptions=()
) -> list[dt.datetime]:
    """The start times (aware, UTC) of a weekly pattern: ``weekdays`` (0 = Monday) at the
    Berlin wall time ``time`` from ``first_day`` to ``last_day``, without ``exceptions``."""
    if last_day < first_day:
        raise RuleViolation(_("Das Enddatum liegt vor dem Anfangsdatum."))
    if not weekdays:
        raise RuleViolation(_("Bitte wählen Sie mindestens einen Wochentag."))
    rule = rrule.rrule(
        rrule.WEEKLY,
        dtstart=dt.datetime.combine(first_day, time),
        until=dt.datetime.combine(last_day, time),
        byweekday=[WEEKDAYS[day] for day in sorted(set(weekdays))],
    )
    skipped = set(exceptions)
    # Wall time in Berlin each day, so the slot stays at 10:00 across the clock change.
    starts = [aware(moment) for moment in rule if moment.date() not in skipped]
    if len(starts) > MAX_SERIES:
        raise RuleViolation(
            _("Eine Serie kann höchstens %(max)d Termine umfassen.") % {"max": MAX_SERIES}
        )
    return starts


def publish_series(
    *,
    by,
    programme: Programme,
    first_day: dt.date,
    last_day: dt.date,
    weekdays: list[int],
    time: dt.time,
    exceptions=(),
    format: str | None = None,
    video_link: str | None = None,
    phone_note: str | None = None,
) -> list[Slot]:
    """Offer a weekly pattern of slots; all or none (the first conflict is named)."""
    profile = facilitator_of(by)
    _check_programme(programme)
    starts = series_starts(
        first_day=first_day,
        last_day=last_day,
        weekdays=weekdays,
        time=time,
        exceptions=exceptions,
    )
    if not starts:
        raise RuleViolation(_("In diesem Zeitraum liegt kein Termin der Serie."))
    with transaction.atomic():
        _lock_profile(profile)
        conf = settings_of(profile)
        return [
            _create(
                profile,
                programme,
                start,
                conf,
                format=format,
                video_link=video_link,
                phone_note=phone_note,
                by=by,
            )
            for start in starts
        ]


def withdraw_slot(slot: Slot, *, by) -> Slot:
    """The facilitator takes back a slot nobody has booked."""
    profile = facilitator_of(by)
    with transaction.atomic():
        locked = for_update(Slot.objects.filter(pk=slot.pk)).get()
        if locked.facilitator_id != profile.pk:
            raise InvalidTransition(_("Sie können nur Ihre eigenen Termine zurückziehen."))
        if locked.withdrawn_at is not None:
            return locked
        if locked.appointments.filter(status__in=locked.appointments.model.OCCUPYING).exists():
            raise InvalidTransition(_("Dieser Termin ist gebucht; bitte sagen Sie die Buchung ab."))
        locked.withdrawn_at = timezone.now()
        locked.save(update_fields=["withdrawn_at"])
        log_action(user_of(by), "slot.withdrawn", locked, from_state="open", to_state="withdrawn")
    return locked
