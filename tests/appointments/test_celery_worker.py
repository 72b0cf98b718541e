"""Invitations, reminders and cancellations with a real Redis broker and Celery worker.

The worker runs ``portal.settings`` (not eager) against this test's database and writes
emails as files; each test publishes on its own queue."""

from __future__ import annotations

import datetime as dt
from functools import partial

import pytest
from django.utils import timezone

from appointments.services import book, cancel_appointment
from appointments.tasks import send_reminders
from tests import celery_worker
from tests.appointments.conftest import future
from tests.appointments.helpers import event_of, ics_of
from tests.celery_worker import running_workers
from tests.factories import (
    FacilitatorFactory,
    OrganisationFactory,
    ProgrammeFactory,
    SlotFactory,
    VoucherFactory,
)

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

publishing_to = partial(celery_worker.publishing_to, tasks="appointments.tasks.*")


@pytest.fixture
def worker(redis_url, tmp_path):
    with running_workers(redis_url, tmp_path, "h3-appointments") as started:
        yield started


def _case(hours: int):
    programme = ProgrammeFactory(kind="virtuell")
    facilitator = FacilitatorFactory()
    organisation = OrganisationFactory()
    VoucherFactory(
        organisation=organisation,
        programme=programme,
        issued_at=timezone.now() - dt.timedelta(days=10),
    )
    slot = SlotFactory(facilitator=facilitator, programme=programme, starts_at=future(hours))
    return slot, organisation.members.get(), facilitator.user


def _check_ics(message, appointment, slot, member, facilitator, method):
    calendar = ics_of(message)
    assert str(calendar["method"]) == method
    event = event_of(calendar)
    assert str(event["uid"]).startswith(str(appointment.uid))
    start = event.decoded("dtstart")
    assert start.tzinfo.key == "Europe/Berlin"
    assert start == slot.starts_at
    assert str(event["organizer"]) == f"mailto:{facilitator.email}"
    assert str(event["attendee"]) == f"mailto:{member.email}"
    return str(event["uid"])


def test_invitation_then_cancellation_same_uid(worker, redis_url):
    slot, member, facilitator = _case(72)
    with publishing_to(redis_url, worker.queue):
        appointment = book(slot, by=member)
    invitations = worker.wait_for_messages(2)
    assert sorted(str(m["To"]) for m in invitations) == sorted([member.email, facilitator.email])
    uids = {_check_ics(m, appointment, slot, member, facilitator, "REQUEST") for m in invitations}
    assert len(uids) == 1

    with publishing_to(redis_url, worker.queue):
        cancel_appointment(appointment, by=member)
    messages = worker.wait_for_messages(4)
    cancellations = [m for m in messages if str(ics_of(m)["method"]) == "CANCEL"]
    assert sorted(str(m["To"]) for m in cancellations) == sorted([member.email, facilitator.email])
    assert {
        _check_ics(m, appointment, slot, member, facilitator, "CANCEL") for m in cancellations
    } == uids
    worker.wait_until_idle()
    assert len(worker.messages()) == 4


def test_reminder_exactly_once_when_beat_runs_twice(worker, redis_url):
    slot, member, facilitator = _case(20)
    with publishing_to(redis_url, worker.queue):
        book(slot, by=member)
        worker.wait_for_messages(2)
        send_reminders.delay()
        send_reminders.delay()
    worker.wait_until_idle()
    messages = worker.wait_for_messages(4)
    worker.wait_until_idle()
    reminders = [m for m in worker.messages() if str(m["Subject"]).startswith("Erinnerung")]
    assert sorted(str(m["To"]) for m in reminders) == sorted([member.email, facilitator.email])
    assert len(worker.messages()) == len(messages) == 4
