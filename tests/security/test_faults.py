"""Fault tests (issue 8, acceptance 5), against the real PostgreSQL and Redis in CI.

- The database fails during a request: a German 503 page, nothing half-written. On
  PostgreSQL the connection is really cut: a trigger terminates the request's own backend
  in the middle of closing a case (after the status update, at the audit row).
- Redis is down while a case is closed and while other emails go out: the requests
  succeed, other emails leave at once, the feedback email leaves after recovery, once.
- A Celery worker is killed (SIGKILL) in the middle of sending the feedback emails:
  ``acks_late`` hands the task to the next worker, idempotency sends each email once."""

from __future__ import annotations

import re
import time
import uuid

import psycopg
import pytest
from django.core import mail
from django.db import connection
from django.urls import reverse

from portal.models import AuditEntry
from tests.celery_worker import Worker, drop_queue, new_queue, publishing_to
from tests.factories import ApplicationFactory, UserFactory, VoucherFactory
from tests.feedback.helpers import organisation_with_contacts
from vouchers.models import FeedbackRequest, Voucher
from vouchers.services.feedback import requeue_pending_feedback
from vouchers.tasks import send_feedback_request

WAIT = 90
TASKS = "vouchers.tasks.*"


# --- database failure → 503 -------------------------------------------------------------


@pytest.mark.django_db
@pytest.mark.urls("tests.security.urls_faults")
@pytest.mark.parametrize("kind", ["operational", "interface"])
def test_a_database_error_gives_a_german_503_and_rolls_back(client, kind):
    voucher = VoucherFactory(closing_report="")
    client.force_login(UserFactory(role="office"))
    response = client.post(reverse("db_failure", args=[voucher.pk, kind]))
    assert response.status_code == 503
    html = response.content.decode()
    assert '<html lang="de">' in html
    assert "vorübergehend nicht erreichbar" in html
    assert "nicht gespeichert" in html
    assert "Traceback" not in html
    assert "OperationalError" not in html
    assert response["Retry-After"] == "60"
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]
    voucher.refresh_from_db()
    assert voucher.closing_report == ""  # the half of the transaction is gone


@pytest.mark.django_db(transaction=True)
def test_losing_the_session_table_gives_503_not_500(client):
    """The database fails before any view runs (loading the session): still the 503 page.
    SQLite variant (there a missing table is an OperationalError); on PostgreSQL the real
    connection drop below covers the same path."""
    if connection.vendor != "sqlite":
        pytest.skip("SQLite variant: a missing table raises OperationalError there")
    client.force_login(UserFactory(role="office"))
    with connection.cursor() as cursor:
        cursor.execute("ALTER TABLE django_session RENAME TO django_session_away")
    try:
        response = client.get(reverse("vouchers:queue"))
    finally:
        with connection.cursor() as cursor:
            cursor.execute("ALTER TABLE django_session_away RENAME TO django_session")
    assert response.status_code == 503
    assert "vorübergehend nicht erreichbar" in response.content.decode()


KILL_FUNCTION = "h10_kill_own_backend"


@pytest.mark.django_db(transaction=True)
def test_postgres_connection_drop_while_closing_a_case(client, require_postgres):
    """The office closes a case; PostgreSQL terminates the connection when the service
    writes the audit row — after it has updated the voucher in the same transaction."""
    office = UserFactory(role="office")
    voucher = VoucherFactory(status="active", organisation=organisation_with_contacts(1))
    client.force_login(office)
    audit_rows = AuditEntry.objects.count()
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE FUNCTION {KILL_FUNCTION}() RETURNS trigger LANGUAGE plpgsql AS $$ "
            "BEGIN PERFORM pg_terminate_backend(pg_backend_pid()); RETURN NEW; END $$"
        )
        cursor.execute(
            f"CREATE TRIGGER {KILL_FUNCTION} BEFORE INSERT ON {AuditEntry._meta.db_table} "
            f"FOR EACH ROW EXECUTE FUNCTION {KILL_FUNCTION}()"
        )
    try:
        response = client.post(
            reverse("sessions_log:close", args=[voucher.pk]), {"report": "Fertig."}
        )
    finally:
        connection.close()  # the old connection is dead; Django opens a new one
        with connection.cursor() as cursor:
            cursor.execute(f"DROP TRIGGER IF EXISTS {KILL_FUNCTION} ON {AuditEntry._meta.db_table}")
            cursor.execute(f"DROP FUNCTION IF EXISTS {KILL_FUNCTION}()")
    assert response.status_code == 503
    assert "vorübergehend nicht erreichbar" in response.content.decode()
    voucher.refresh_from_db()
    assert voucher.status == "active"  # the status update was rolled back with the rest
    assert voucher.closed_at is None
    assert voucher.feedback_status != "pending"
    assert AuditEntry.objects.count() == audit_rows
    assert mail.outbox == []
    # The portal recovers by itself: the same request now succeeds.
    response = client.post(reverse("sessions_log:close", args=[voucher.pk]), {"report": "Fertig."})
    assert response.status_code == 302
    voucher.refresh_from_db()
    assert voucher.status in ("closed", "feedback_sent")


# --- Redis down ---------------------------------------------------------------------------


def _recipients(messages: list[bytes]) -> list[str]:
    return sorted(re.search(rb"^To: (.+)$", m, re.M).group(1).decode().strip() for m in messages)


def _wait_for(condition, timeout=WAIT, workers=()):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if condition():
            return
        time.sleep(0.25)
    logs = "\n".join(w.tail() for w in workers)
    pytest.fail(f"condition not reached within {timeout}s\n{logs}")


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_redis_down_while_closing_and_sending_other_emails(client, redis_url, tmp_path):
    queue = new_queue("h10-outage")
    dead_broker = re.sub(r":\d+/", ":6390/", redis_url, count=1)
    office = UserFactory(role="office")
    voucher = VoucherFactory(status="active", organisation=organisation_with_contacts(2))
    contacts = sorted(c.email for c in voucher.organisation.contacts())
    application = ApplicationFactory(status="draft")
    applicant = application.organisation.members.get()
    worker = None
    try:
        with publishing_to(dead_broker, queue, TASKS):
            client.force_login(office)
            started = time.monotonic()
            response = client.post(
                reverse("sessions_log:close", args=[voucher.pk]), {"report": "Fertig."}
            )
            assert response.status_code == 302
            assert time.monotonic() - started < 15  # no hanging page
            voucher.refresh_from_db()
            assert voucher.status == "closed"
            assert voucher.feedback_status == "pending"  # kept in the outbox
            # Any other email does not need Redis: it leaves right after the commit.
            client.force_login(applicant)
            mail.outbox.clear()
            response = client.post(
                reverse("vouchers:application_edit", args=[application.pk]),
                {
                    "action": "submit",
                    "challenge": "Die Kerngruppe ist überlastet.",
                    "goals": "Ein gemeinsames Leitbild.",
                    "contact_name": "Erika Mustermann",
                    "contact_email": "erika@example.org",
                    "consent": "on",
                },
            )
            assert response.status_code == 302, response.content.decode()[:3000]
            assert [m.subject for m in mail.outbox], "the confirmation email went out"
            assert requeue_pending_feedback() == 0  # broker still down
        assert not FeedbackRequest.objects.filter(sent_at__isnull=False).exists()

        # Redis is back: the periodic relay hands the task over; a worker sends it, once.
        worker = Worker(redis_url, queue, tmp_path, "a")
        with publishing_to(redis_url, queue, TASKS):
            assert requeue_pending_feedback() == 1
            assert requeue_pending_feedback() == 0  # enqueued: not handed over twice
        _wait_for(lambda: len(worker.messages()) >= 2, workers=[worker])
        _wait_for(
            lambda: Voucher.objects.get(pk=voucher.pk).feedback_status == "sent",
            workers=[worker],
        )
        time.sleep(1)
        assert _recipients(worker.messages()) == contacts
    finally:
        if worker:
            worker.stop()
        drop_queue(redis_url, queue)


# --- a worker killed mid-task -------------------------------------------------------------


def _side_connection() -> psycopg.Connection:
    db = connection.settings_dict
    return psycopg.connect(
        dbname=db["NAME"],
        user=db["USER"] or None,
        password=db["PASSWORD"] or None,
        host=db["HOST"] or "127.0.0.1",
        port=db["PORT"] or 5432,
        autocommit=False,
    )


@pytest.mark.redis
@pytest.mark.django_db(transaction=True)
def test_worker_killed_mid_task_sends_every_email_once(redis_url, tmp_path, require_postgres):
    """The worker sends the first of two invitations, then blocks on the second one's row
    (locked by this test), and is killed with SIGKILL. The next worker gets the
    unacknowledged task (``acks_late``) and sends only the missing invitation."""
    queue = new_queue("h10-kill")
    voucher = VoucherFactory(
        status="closed", feedback_status="pending", organisation=organisation_with_contacts(2)
    )
    contacts = list(voucher.organisation.contacts().order_by("pk"))
    requests = [
        FeedbackRequest.objects.create(
            voucher=voucher,
            recipient=contact,
            recipient_email=contact.email,
            recipient_name=contact.get_full_name(),
            nonce=uuid.uuid4().hex,
        )
        for contact in contacts
    ]
    # Redelivery of an unacknowledged message after 3 s (instead of the production 2 h).
    fast_redelivery = {"CELERY_VISIBILITY_TIMEOUT": "3"}
    first = second = None
    side = _side_connection()
    try:
        with side.cursor() as cursor:
            cursor.execute(
                f"SELECT id FROM {FeedbackRequest._meta.db_table} WHERE id = %s FOR UPDATE",  # noqa: S608 - model table name
                [requests[1].pk],
            )
        first = Worker(redis_url, queue, tmp_path, "first", **fast_redelivery)
        with publishing_to(redis_url, queue, TASKS):
            send_feedback_request.apply_async(args=[voucher.pk], retry=False)
        _wait_for(lambda: len(first.messages()) == 1, workers=[first])
        time.sleep(1.5)  # it is stuck on the locked row, not finishing
        assert len(first.messages()) == 1
        assert first.process.poll() is None
        first.kill()
        side.rollback()  # release the row

        second = Worker(redis_url, queue, tmp_path, "second", **fast_redelivery)
        _wait_for(lambda: len(second.messages()) >= 1, workers=[first, second])
        _wait_for(
            lambda: Voucher.objects.get(pk=voucher.pk).status == "feedback_sent",
            workers=[second],
        )
        time.sleep(2)  # a duplicate, if any, would arrive now
        everything = first.messages() + second.messages()
        assert _recipients(everything) == sorted(c.email for c in contacts)
        assert _recipients(first.messages()) == [contacts[0].email]
        assert _recipients(second.messages()) == [contacts[1].email]
    finally:
        side.close()
        for worker in (first, second):
            if worker:
                worker.stop()
        drop_queue(redis_url, queue)
