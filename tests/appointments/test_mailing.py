"""Invitations, reminders and cancellations with ICS (eager Celery, locmem email)."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
from django.core import mail
from django.utils import timezone

from appointments.services import book, cancel_appointment
from appointments.services.mailing import send_due_reminders
from tests.appointments.conftest import future
from tests.appointments.helpers import event_of, ics_of
from tests.factories import SlotFactory

pytestmark = pytest.mark.django_db


def _book(case, slot, capture):
    with capture(execute=True):
        return book(slot, by=case["member"])


def test_both_sides_get_one_invitation_with_ics(
    sparring_case, make_slot, django_capture_on_commit_callbacks
):
    case = sparring_case
    slot = make_slot(case["outside"])
    appointment = _book(case, slot, django_capture_on_commit_callbacks)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [case["member"].email, case["outside"].user.email]
    )
    for message in mail.outbox:
        calendar = ics_of(message)
        assert str(calendar["method"]) == "REQUEST"
        event = event_of(calendar)
        assert str(event["uid"]).startswith(str(appointment.uid))
        start = event.decoded("dtstart")
        assert start.tzinfo.key == "Europe/Berlin"
        assert start == slot.starts_at
        assert str(event["organizer"]) == f"mailto:{case['outside'].user.email}"
        assert str(event["attendee"]) == f"mailto:{case['member'].email}"
        assert slot.video_link in str(event["location"])
        assert "Sparring-Termin am" in message.subject
    # The task is idempotent: a second run sends nothing.
    from appointments.tasks import send_invitation

    assert send_invitation(appointment_id=appointment.pk) == 0
    assert len(mail.outbox) == 2


def test_cancellation_same_uid_method_cancel(
    sparring_case, make_slot, django_capture_on_commit_callbacks
):
    case = sparring_case
    appointment = _book(case, make_slot(case["outside"]), django_capture_on_commit_callbacks)
    invitation_uid = str(event_of(ics_of(mail.outbox[0]))["uid"])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        cancel_appointment(appointment, by=case["member"])
    assert len(mail.outbox) == 2
    for message in mail.outbox:
        calendar = ics_of(message)
        assert str(calendar["method"]) == "CANCEL"
        event = event_of(calendar)
        assert str(event["uid"]) == invitation_uid
        assert str(event["status"]) == "CANCELLED"
        assert int(event["sequence"]) == 1


def test_reminder_exactly_once(sparring_case, django_capture_on_commit_callbacks):
    case = sparring_case
    soon = SlotFactory(
        facilitator=case["outside"], programme=case["programme"], starts_at=future(20)
    )
    later = SlotFactory(
        facilitator=case["outside"], programme=case["programme"], starts_at=future(50)
    )
    _book(case, soon, django_capture_on_commit_callbacks)
    _book(case, later, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    assert send_due_reminders() == 2  # both sides of the one within 24 h
    assert send_due_reminders() == 0
    assert len(mail.outbox) == 2
    assert all(m.subject.startswith("Erinnerung") for m in mail.outbox)
    # A day later the second one is due, once.
    assert send_due_reminders(now=timezone.now() + dt.timedelta(hours=30)) == 2


def test_dst_sunday_invitation_in_berlin_time(sparring_case, django_capture_on_commit_callbacks):
    case = sparring_case
    year = timezone.localdate().year + 1
    day = dt.date(year, 10, 31)
    sunday = day - dt.timedelta(days=(day.weekday() + 1) % 7)
    berlin = zoneinfo.ZoneInfo("Europe/Berlin")
    slot = SlotFactory(
        facilitator=case["outside"],
        programme=case["programme"],
        starts_at=dt.datetime.combine(sunday, dt.time(10, 0), tzinfo=berlin),
    )
    case["voucher"].valid_until = sunday + dt.timedelta(days=30)
    case["voucher"].save()
    _book(case, slot, django_capture_on_commit_callbacks)
    calendar = ics_of(mail.outbox[0])
    event = event_of(calendar)
    assert event.decoded("dtstart").replace(tzinfo=None) == dt.datetime.combine(sunday, dt.time(10))
    assert event.decoded("dtstart").utcoffset() == dt.timedelta(hours=1)  # CET
    assert "TZID=Europe/Berlin" in calendar.to_ical().decode()
    assert calendar.walk("VTIMEZONE")
