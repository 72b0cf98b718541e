"""Meeting invitations with a real Redis broker and a real Celery worker process: 30 partners,
each contact exactly one invitation with a valid ICS; a repeated task sends nothing more."""

from __future__ import annotations

import datetime as dt
from functools import partial

import pytest
from django.utils import timezone
from icalendar import Calendar

from programme_work.models import EventInvitation
from programme_work.services import events
from programme_work.tasks import send_event_invitations
from tests import celery_worker
from tests.celery_worker import running_workers
from tests.factories import OperatorFactory, ProgrammeFactory, UserFactory, VoucherFactory

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

publishing_to = partial(celery_worker.publishing_to, tasks="programme_work.tasks.*")
PARTNERS = 30


@pytest.fixture
def worker(redis_url, tmp_path):
    with running_workers(redis_url, tmp_path, "h5-programme-work") as started:
        yield started


def _ics(message) -> Calendar:
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            return Calendar.from_ical(part.get_payload(decode=True))
    raise AssertionError("no text/calendar attachment")


def test_thirty_partners_each_get_exactly_one_invitation(worker, redis_url):
    operator = OperatorFactory(name="Führungsakademie")
    programme = ProgrammeFactory(kind="begleitprozess", operator=operator)
    office = UserFactory(role="office", operators=[operator])
    cases = [VoucherFactory(programme=programme, status="active") for _ in range(PARTNERS)]
    for case in cases[:5]:  # some organisations have two contacts
        UserFactory(organisation=case.organisation)
    expected = sorted(u.email for case in cases for u in case.organisation.contacts())
    start = (timezone.now() + dt.timedelta(days=20)).replace(second=0, microsecond=0)
    event = events.create_event(
        programme,
        by=office,
        title="2. Netzwerktreffen „Integration durch BE“",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=4),
        place="Karlsruhe, Führungsakademie",
    )

    with publishing_to(redis_url, worker.queue):
        assert events.invite_partners(event, by=office) == len(expected)
    messages = worker.wait_for_messages(len(expected))
    worker.wait_until_idle()
    assert sorted(str(m["To"]) for m in worker.messages()) == expected
    for message in messages:
        calendar = _ics(message)
        assert str(calendar["method"]) == "REQUEST"
        [vevent] = calendar.walk("VEVENT")
        assert vevent.decoded("dtstart") == event.starts_at
        assert vevent.decoded("dtend") == event.ends_at
        assert str(vevent["summary"]) == event.title
        assert str(vevent["organizer"]) == f"mailto:{operator.notification_address}"
        assert str(vevent["attendee"]) == f"mailto:{message['To']}"
    assert not EventInvitation.objects.filter(sent_at__isnull=True).exists()

    # Repeated: the task again, and the office's button again — nothing more is sent.
    with publishing_to(redis_url, worker.queue):
        send_event_invitations.delay(event_id=event.pk)
        assert events.invite_partners(event, by=office) == 0
    worker.wait_until_idle()
    assert len(worker.messages()) == len(expected)
