"""Feedback with a real Redis broker and a real Celery worker process (DESIGN rule 7).

The worker runs ``portal.settings`` (not eager) against this test's database and writes
emails as files the test reads. Each test uses its own queue, so stale messages of other
runs on the same Redis database are never consumed."""

from __future__ import annotations

import re
import time
from functools import partial

import pytest

from tests import celery_worker
from tests.celery_worker import running_workers
from tests.factories import UserFactory, VoucherFactory
from tests.feedback.helpers import organisation_with_contacts
from vouchers.models import FeedbackRequest, Voucher
from vouchers.services import close_voucher
from vouchers.services.feedback import requeue_pending_feedback
from vouchers.tasks import send_feedback_request

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

CONTACTS = 2


# The vouchers' tasks go to the test's queue (also used by tests/security/test_logging.py).
publishing_to = partial(celery_worker.publishing_to, tasks="vouchers.tasks.*")


@pytest.fixture
def worker(redis_url, tmp_path):
    with running_workers(redis_url, tmp_path, "h5-feedback") as started:
        yield started


@pytest.fixture
def two_workers(redis_url, tmp_path):
    """Two worker processes on one queue: duplicated tasks really run at the same time."""
    with running_workers(redis_url, tmp_path, "h5-feedback", count=2) as started:
        yield started


def _close_vouchers(n: int, *, duplicate: bool = False) -> list[Voucher]:
    """Close ``n`` vouchers (each enqueues its task on commit); with ``duplicate`` every task
    is published a second time right behind the first, so two workers run both at once."""
    office = UserFactory(role="office")
    vouchers = [
        VoucherFactory(organisation=organisation_with_contacts(CONTACTS), status="active")
        for _ in range(n)
    ]
    for voucher in vouchers:
        close_voucher(voucher, by=office, report="Abgeschlossen.")
        if duplicate:
            send_feedback_request.apply_async(args=[voucher.pk], retry=False)
    return vouchers


def _sent_pairs(messages) -> list[tuple[str, str]]:
    pairs = []
    for message in messages:
        code = re.search(r"Gutschein (\S+)\)", str(message["Subject"])).group(1)
        pairs.append((str(message["To"]), code))
    return pairs


def _expected_pairs(vouchers) -> list[tuple[str, str]]:
    return sorted(
        (contact.email, voucher.code)
        for voucher in vouchers
        for contact in voucher.organisation.contacts()
    )


def test_closing_20_vouchers_sends_each_email_exactly_once(two_workers, redis_url, client):
    worker = two_workers
    with publishing_to(redis_url, worker.queue):
        # A duplicated delivery of every task must not send anything twice.
        vouchers = _close_vouchers(20, duplicate=True)

    expected = _expected_pairs(vouchers)
    assert len(expected) == 20 * CONTACTS
    worker.wait_for_messages(len(expected))
    # Let the duplicates drain, then look again: still exactly one email per recipient.
    worker.wait_until_idle()
    messages = worker.messages()
    assert Voucher.objects.filter(status="feedback_sent").count() == 20
    assert sorted(_sent_pairs(messages)) == expected
    assert Voucher.objects.filter(feedback_status="sent").count() == 20
    assert FeedbackRequest.objects.filter(sent_at__isnull=False).count() == 20 * CONTACTS

    # The worker's link opens the form for the right voucher in this process.
    body = messages[0].get_body(preferencelist=("plain",)).get_content()
    path = re.search(r"http://testserver(/feedback/\S+/)", body).group(1)
    code = _sent_pairs(messages[:1])[0][1]
    response = client.get(path)
    assert response.status_code == 200
    assert code in response.text


def test_broker_outage_delays_but_never_loses_an_email(worker, redis_url):
    dead_broker = re.sub(r":\d+/", ":6390/", redis_url, count=1)
    assert dead_broker != redis_url

    with publishing_to(dead_broker, worker.queue):
        started = time.monotonic()
        vouchers = _close_vouchers(5)
        elapsed = time.monotonic() - started
        # Closing succeeded, quickly, and the outbox holds every voucher.
        assert elapsed < 15, f"closing took {elapsed:.1f}s with the broker down"
        assert Voucher.objects.filter(status="closed", feedback_status="pending").count() == 5
        assert requeue_pending_feedback() == 0  # broker still down: nothing handed over

    assert worker.messages() == []
    assert not FeedbackRequest.objects.exists()

    with publishing_to(redis_url, worker.queue):
        assert requeue_pending_feedback() == 5  # the periodic relay, broker back
        expected = _expected_pairs(vouchers)
        worker.wait_for_messages(len(expected))
        worker.wait_until_idle()
        assert Voucher.objects.filter(feedback_status="sent").count() == 5
        # A later relay run finds nothing pending.
        assert requeue_pending_feedback() == 0

    assert sorted(_sent_pairs(worker.messages())) == expected
    assert Voucher.objects.filter(status="feedback_sent").count() == 5
