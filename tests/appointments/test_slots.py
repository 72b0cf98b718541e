"""Publishing slots: 60 minutes, never in the past, no overlap (with buffer), a daily
maximum, weekly series with exceptions, and the daylight-saving change."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.utils import timezone

from appointments.models import Slot
from appointments.services import (
    publish_series,
    publish_slot,
    update_calendar_settings,
    withdraw_slot,
)
from appointments.services.slots import series_starts
from portal.errors import InvalidTransition, RuleViolation
from tests.factories import ProgrammeFactory, UserFactory

pytestmark = pytest.mark.django_db
BERLIN = zoneinfo.ZoneInfo("Europe/Berlin")


def _day(days: int) -> dt.date:
    return timezone.localdate() + dt.timedelta(days=days)


def _at(days: int, hour: int, minute: int = 0) -> dt.datetime:
    return dt.datetime.combine(_day(days), dt.time(hour, minute), tzinfo=BERLIN)


def test_publish_slot_is_sixty_minutes_in_utc(facilitator, virtual_programme):
    slot = publish_slot(by=facilitator.user, programme=virtual_programme, starts_at=_at(3, 10))
    assert slot.ends_at - slot.starts_at == dt.timedelta(minutes=60)
    assert slot.starts_at.utcoffset() == dt.timedelta(0)
    assert slot.format == "video"


def test_past_slot_refused(facilitator, virtual_programme):
    with pytest.raises(RuleViolation, match="Vergangenheit"):
        publish_slot(
            by=facilitator.user,
            programme=virtual_programme,
            starts_at=timezone.now() - dt.timedelta(minutes=5),
        )


def test_overlap_and_buffer_refused(facilitator, virtual_programme):
    publish_slot(by=facilitator.user, programme=virtual_programme, starts_at=_at(3, 10))
    with pytest.raises(RuleViolation, match="überschneidet"):
        publish_slot(by=facilitator.user, programme=virtual_programme, starts_at=_at(3, 10, 30))
    with pytest.raises(RuleViolation, match="15 Minuten"):  # default buffer 15 min
        publish_slot(by=facilitator.user, programme=virtual_programme, starts_at=_at(3, 11, 10))
    publish_slot(by=facilitator.user, programme=virtual_programme, starts_at=_at(3, 11, 15))
    update_calendar_settings(by=facilitator.user, buffer_minutes=0)
    publish_slot(by=facilitator.user, programme=virtual_programme, starts_at=_at(3, 12, 15))


def test_daily_maximum(facilitator, virtual_programme):
    update_calendar_settings(by=facilitator.user, daily_max=2)
    for hour in (9, 11):
        publish_slot(by=facilitator.user, programme=virtual_programme, starts_at=_at(4, hour))
    with pytest.raises(RuleViolation, match="höchstens 2"):
        publish_slot(by=facilitator.user, programme=virtual_programme, starts_at=_at(4, 14))
    publish_slot(by=facilitator.user, programme=virtual_programme, starts_at=_at(5, 14))


def test_only_facilitators_and_only_virtual_programmes(facilitator, virtual_programme):
    with pytest.raises(InvalidTransition):
        publish_slot(by=UserFactory(), programme=virtual_programme, starts_at=_at(3, 10))
    with pytest.raises(RuleViolation):
        publish_slot(
            by=facilitator.user,
            programme=ProgrammeFactory(kind="prozessbegleitung"),
            starts_at=_at(3, 10),
        )


def test_weekly_series_with_exceptions(facilitator, virtual_programme):
    first = _day(1)
    last = first + dt.timedelta(days=27)  # four weeks
    monday_wednesday = [0, 2]
    skipped = [d for d in (first + dt.timedelta(days=i) for i in range(28)) if d.weekday() == 2][:1]
    slots = publish_series(
        by=facilitator.user,
        programme=virtual_programme,
        first_day=first,
        last_day=last,
        weekdays=monday_wednesday,
        time=dt.time(9, 0),
        exceptions=skipped,
    )
    assert len(slots) == 7
    days = {timezone.localtime(s.starts_at).date() for s in slots}
    assert skipped[0] not in days
    assert {timezone.localtime(s.starts_at).time() for s in slots} == {dt.time(9, 0)}


def test_series_is_all_or_nothing(facilitator, virtual_programme):
    publish_slot(by=facilitator.user, programme=virtual_programme, starts_at=_at(8, 9))
    with pytest.raises(RuleViolation, match="überschneidet"):
        publish_series(
            by=facilitator.user,
            programme=virtual_programme,
            first_day=_day(1),
            last_day=_day(14),
            weekdays=list(range(7)),
            time=dt.time(9, 0),
        )
    assert Slot.objects.count() == 1


def _last_sunday_of_october(year: int) -> dt.date:
    day = dt.date(year, 10, 31)
    return day - dt.timedelta(days=(day.weekday() + 1) % 7)


def test_slot_on_the_last_sunday_of_october_keeps_wall_time():
    """Clocks go back at 03:00 CEST → 02:00 CET: a weekly 10:00 slot stays at 10:00 Berlin,
    which is 08:00 UTC before and 09:00 UTC from that Sunday on."""
    year = timezone.localdate().year + 1
    sunday = _last_sunday_of_october(year)
    starts = series_starts(
        first_day=sunday - dt.timedelta(days=7),
        last_day=sunday,
        weekdays=[6],
        time=dt.time(10, 0),
    )
    assert [s.astimezone(dt.UTC).hour for s in starts] == [8, 9]
    assert [s.astimezone(BERLIN).hour for s in starts] == [10, 10]


def test_publish_slot_on_the_dst_sunday(facilitator, virtual_programme):
    sunday = _last_sunday_of_october(timezone.localdate().year + 1)
    slot = publish_slot(
        by=facilitator.user,
        programme=virtual_programme,
        starts_at=dt.datetime.combine(sunday, dt.time(10, 0)),  # naive: Berlin wall time
    )
    assert slot.starts_at == dt.datetime.combine(sunday, dt.time(9, 0), tzinfo=dt.UTC)
    assert timezone.localtime(slot.ends_at).time() == dt.time(11, 0)


def test_withdraw_unbooked_slot(facilitator, virtual_programme):
    slot = publish_slot(by=facilitator.user, programme=virtual_programme, starts_at=_at(3, 10))
    with pytest.raises(InvalidTransition):
        withdraw_slot(slot, by=UserFactory(role="facilitator"))
    withdraw_slot(slot, by=facilitator.user)
    slot.refresh_from_db()
    assert slot.withdrawn_at is not None
    # A withdrawn slot no longer blocks the time.
    publish_slot(by=facilitator.user, programme=virtual_programme, starts_at=_at(3, 10))
