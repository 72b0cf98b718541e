"""Small helpers shared by the calendar's services."""

from __future__ import annotations

import datetime as dt
import zoneinfo

from django.conf import settings
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.errors import InvalidTransition, RuleViolation
from portal.models import FacilitatorProfile

SLOT_MINUTES = 60

# Test-only switch: the control tests turn it off to show that the races are real without
# the row locks. Production code never changes it.
LOCK_ROWS = True


def berlin() -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(settings.TIME_ZONE)


def for_update(queryset):
    return queryset.select_for_update(of=("self",)) if LOCK_ROWS else queryset


def facilitator_of(by) -> FacilitatorProfile:
    """The acting facilitator's profile (``by`` is its user or the profile itself)."""
    if isinstance(by, FacilitatorProfile):
        return by
    profile = getattr(by, "facilitator_profile", None) if by is not None else None
    if getattr(by, "role", None) != "facilitator" or profile is None:
        raise InvalidTransition(_("Nur Sparring-Partner*innen können Termine anbieten."))
    return profile


def user_of(by):
    return by.user if isinstance(by, FacilitatorProfile) else by


def aware(value: dt.datetime) -> dt.datetime:
    """A point in time; a naive value is read as Europe/Berlin wall time."""
    if not isinstance(value, dt.datetime):
        raise RuleViolation(_("Bitte geben Sie Datum und Uhrzeit des Termins an."))
    if timezone.is_naive(value):
        value = value.replace(tzinfo=berlin())
    return value.astimezone(dt.UTC)


def local(value: dt.datetime) -> dt.datetime:
    return value.astimezone(berlin())
