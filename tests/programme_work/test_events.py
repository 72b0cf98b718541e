"""Meetings: invitations (eager Celery), registration within capacity and deadline,
attendance, the overview against a hand-computed example."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone
from icalendar import Calendar

from portal.errors import InvalidTransition, RuleViolation
from programme_work.models import EventInvitation, Participation
from programme_work.selectors import attendance_overview, attendance_rate, with_attendance
from programme_work.services import events
from tests.factories import UserFactory, VoucherFactory
from vouchers.models import Voucher

pytestmark = pytest.mark.django_db


def make_event(programme, office, *, days=10, hours=3, **extra):
    start = (timezone.now() + dt.timedelta(days=days)).replace(second=0, microsecond=0)
    return events.create_event(
        programme,
        by=office,
        title=extra.pop("title", "1. Netzwerktreffen"),
        starts_at=start,
        ends_at=start + dt.timedelta(hours=hours),
        place="Stuttgart, Hospitalhof",
        **extra,
    )


def held(event, days_ago=5):
    """Move an event into the past (as if it had taken place)."""
    start = timezone.now() - dt.timedelta(days=days_ago)
    type(event).objects.filter(pk=event.pk).update(
        starts_at=start, ends_at=start + dt.timedelta(hours=3), registration_deadline=None
    )
    event.refresh_from_db()
    return event


def test_invitation_mail_carries_a_valid_ics(
    process_programme, fueak_office, case, django_capture_on_commit_callbacks
):
    event = make_event(process_programme, fueak_office)
    with django_capture_on_commit_callbacks(execute=True):
        created = events.invite_partners(event, by=fueak_office)
    contacts = case.organisation.contacts()
    assert created == contacts.count() == len(mail.outbox)
    message = mail.outbox[0]
    assert "Teilnahme verpflichtend" in message.subject
    ics = next(
        a
        for a in message.attachments
        if getattr(a, "get_content_type", lambda: "")() == "text/calendar"
    )
    calendar = Calendar.from_ical(ics.get_payload(decode=True))
    vevent = calendar.walk("VEVENT")[0]
    assert vevent.decoded("dtstart") == event.starts_at
    assert vevent.decoded("dtend") == event.ends_at
    assert str(vevent["organizer"]) == f"mailto:{process_programme.operator.notification_address}"
    assert str(vevent["summary"]) == event.title
    # A second run finds nothing to send.
    assert events.send_invitations(event.pk) == 0


def test_only_operator_office_invites(process_programme, fueak_office, case):
    event = make_event(process_programme, fueak_office)
    with pytest.raises(InvalidTransition):
        events.invite_partners(event, by=UserFactory(role="office"))


def test_register_excuse_capacity_and_deadline(process_programme, fueak_office):
    cases = [VoucherFactory(programme=process_programme) for _ in range(3)]
    event = make_event(process_programme, fueak_office, capacity=1)
    events.invite_partners(event, by=fueak_office)
    first, second, third = (c.organisation.members.first() for c in cases)
    events.respond(event, by=first, response="registered")
    with pytest.raises(RuleViolation, match="ausgebucht"):
        events.respond(event, by=second, response="registered")
    with pytest.raises(RuleViolation, match="Grund"):
        events.respond(event, by=second, response="excused")
    events.respond(event, by=second, response="excused", reason="Gemeinderatssitzung")
    outsider = VoucherFactory().organisation.members.first()
    with pytest.raises(InvalidTransition):
        events.respond(event, by=outsider, response="registered")
    type(event).objects.filter(pk=event.pk).update(
        registration_deadline=timezone.now() - dt.timedelta(minutes=1)
    )
    event.refresh_from_db()
    with pytest.raises(RuleViolation, match="Anmeldeschluss"):
        events.respond(event, by=third, response="excused", reason="x")


def test_attendance_overview_matches_hand_computed_example(process_programme, fueak_office):
    """Three partners A, B, C; three mandatory meetings held, one optional held, one
    mandatory upcoming, one mandatory cancelled.

    A: present, present, present            → 3 of 3, not flagged
    B: present, absent, excused             → 1 of 3, missed 2, flagged
    C: present, present, (not recorded)     → 2 of 3, missed 0, not flagged
    optional meeting: B absent (does not count)
    rate: attended 6 of recorded 8 = 0.75"""
    a, b, c = (VoucherFactory(programme=process_programme) for _ in range(3))
    meetings = [make_event(process_programme, fueak_office, title=f"Treffen {i}") for i in range(3)]
    optional = make_event(process_programme, fueak_office, title="Offen", mandatory=False)
    upcoming = make_event(process_programme, fueak_office, title="Später")
    cancelled = make_event(process_programme, fueak_office, title="Abgesagt")
    for event in [*meetings, optional, upcoming, cancelled]:
        events.invite_partners(event, by=fueak_office)
    type(cancelled).objects.filter(pk=cancelled.pk).update(cancelled=True)
    held(cancelled)
    marks = [
        {a: "present", b: "present", c: "present"},
        {a: "present", b: "absent", c: "present"},
        {a: "present", b: "excused"},
    ]
    for event, mark in zip(meetings, marks, strict=True):
        held(event)
        events.record_attendance(
            event, by=fueak_office, attendance={v.organisation_id: s for v, s in mark.items()}
        )
    held(optional)
    events.record_attendance(optional, by=fueak_office, attendance={b.organisation_id: "absent"})

    rows = {r["organisation_id"]: r for r in attendance_overview(process_programme)}
    assert (rows[a.organisation_id]["held"], rows[a.organisation_id]["attended"]) == (3, 3)
    assert not rows[a.organisation_id]["flagged"]
    assert (rows[b.organisation_id]["attended"], rows[b.organisation_id]["missed"]) == (1, 2)
    assert rows[b.organisation_id]["flagged"]
    assert (rows[c.organisation_id]["attended"], rows[c.organisation_id]["unknown"]) == (2, 1)
    assert not rows[c.organisation_id]["flagged"]
    assert attendance_rate(list(rows.values())) == pytest.approx(0.75)

    annotated = {
        v.pk: v for v in with_attendance(Voucher.objects.filter(programme=process_programme))
    }
    assert (annotated[b.pk].mandatory_held, annotated[b.pk].mandatory_attended) == (3, 1)
    assert annotated[b.pk].mandatory_missed == 2
    assert annotated[a.pk].mandatory_missed == 0


def test_attendance_only_after_start(process_programme, fueak_office, case):
    event = make_event(process_programme, fueak_office)
    events.invite_partners(event, by=fueak_office)
    with pytest.raises(InvalidTransition):
        events.record_attendance(
            event, by=fueak_office, attendance={case.organisation_id: "present"}
        )


def test_second_invitation_adds_only_new_partners(process_programme, fueak_office, case):
    event = make_event(process_programme, fueak_office)
    first = events.invite_partners(event, by=fueak_office)
    assert events.invite_partners(event, by=fueak_office) == 0
    VoucherFactory(programme=process_programme)
    assert events.invite_partners(event, by=fueak_office) == 1
    assert EventInvitation.objects.count() == first + 1
    assert Participation.objects.filter(event=event).count() == 2
