"""Feedback with a real Redis broker and a real Celery worker process (DESIGN rule 7).

The worker runs ``portal.settings`` (not eager) against this test's database and writes
emails as files the test reads. Each test uses its own queue, so stale messages of other
runs on the same Redis database are never consumed."""

from __future__ import annotations

import email
import email.policy
import os
import re
import subprocess
import sys
import time
import uuid
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import quote

import pytest
import redis
from django.conf import settings
from django.db import connection
from kombu import pools

from portal.celery import app as celery_app
from tests.factories import UserFactory, VoucherFactory
from tests.feedback.helpers import organisation_with_contacts
from vouchers.models import FeedbackRequest, Voucher
from vouchers.services import close_voucher
from vouchers.services.feedback import requeue_pending_feedback
from vouchers.tasks import send_feedback_request

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

SEPARATOR = b"\n" + b"-" * 79 + b"\n"  # Django's file email backend between messages
WAIT_SECONDS = 90
CONTACTS = 2


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return "sqlite:///" + str(Path(db["NAME"]).resolve())
    auth = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"], safe="")
    host = f"{auth}@" if auth else ""
    return f"postgres://{host}{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _celery_binary() -> str:
    here = Path(sys.executable).with_name("celery")
    return str(here if here.exists() else Path(settings.BASE_DIR) / ".venv" / "bin" / "celery")


class Workers:
    """``count`` ``celery worker`` subprocesses sharing one fresh queue; each writes its
    emails to its own directory. Stopped by PID."""

    def __init__(self, redis_url: str, tmp_path: Path, count: int = 1):
        self.redis_url = redis_url
        self.queue = f"h5-feedback-{uuid.uuid4().hex[:10]}"
        self.mail_dirs, self.logs, self.processes, self._log_files = [], [], [], []
        for index in range(count):
            mail_dir = tmp_path / f"mail-{index}"
            mail_dir.mkdir()
            log = tmp_path / f"worker-{index}.log"
            env = {
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "portal.settings",
                "REDIS_URL": redis_url,
                "DATABASE_URL": _database_url(),
                "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
                "EMAIL_FILE_PATH": str(mail_dir),
                "SITE_URL": "http://testserver",
                "PYTHONPATH": str(settings.BASE_DIR),
            }
            env.pop("EMAIL_URL", None)
            env.pop("CELERY_BROKER_URL", None)
            command = [
                _celery_binary(),
                "-A",
                "portal",
                "worker",
                "--pool=solo",
                "--concurrency=1",
                "-Q",
                self.queue,
                "-n",
                f"{self.queue}-{index}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=INFO",
            ]
            log_file = log.open("wb")
            self._log_files.append(log_file)
            self.mail_dirs.append(mail_dir)
            self.logs.append(log)
            self.processes.append(
                subprocess.Popen(
                    command,
                    cwd=settings.BASE_DIR,
                    env=env,
                    stdout=log_file,
                    stderr=subprocess.STDOUT,
                )
            )

    def log_tail(self) -> str:
        return "\n".join(f"--- {log.name}\n{log.read_text()[-3000:]}" for log in self.logs)

    def stop(self) -> None:
        for process in self.processes:
            if process.poll() is None:
                process.terminate()  # warm shutdown: finishes the current task
        for process in self.processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
        for log_file in self._log_files:
            log_file.close()
        # Drop this run's queue and its bindings, so repeated runs leave nothing behind.
        client = redis.Redis.from_url(self.redis_url)
        try:
            keys = list(client.scan_iter(match=f"*{self.queue}*"))
            if keys:
                client.delete(*keys)
        finally:
            client.close()

    def messages(self) -> list[email.message.EmailMessage]:
        found = []
        for mail_dir in self.mail_dirs:
            for path in sorted(mail_dir.glob("*.log")):
                for chunk in path.read_bytes().split(SEPARATOR):
                    if chunk.strip():
                        found.append(email.message_from_bytes(chunk, policy=email.policy.default))
        return found

    def wait_until_idle(self, redis_url: str, timeout: float = WAIT_SECONDS) -> None:
        """Until the queue is empty and no message is unacknowledged (``acks_late``: a task
        is acknowledged only when it has finished)."""
        client = redis.Redis.from_url(redis_url)
        deadline, quiet = time.monotonic() + timeout, 0
        try:
            while quiet < 3:
                assert time.monotonic() < deadline, self.log_tail()
                busy = client.llen(self.queue) or client.hlen("unacked")
                quiet = 0 if busy else quiet + 1
                time.sleep(0.2)
        finally:
            client.close()

    def wait_for_messages(self, count: int, timeout: float = WAIT_SECONDS) -> list:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if any(process.poll() is not None for process in self.processes):
                pytest.fail(f"a worker exited early:\n{self.log_tail()}")
            messages = self.messages()
            if len(messages) >= count:
                return messages
            time.sleep(0.25)
        pytest.fail(
            f"{len(self.messages())} of {count} emails after {timeout}s; worker logs:\n"
            + self.log_tail()
        )


def _reset_publisher() -> None:
    """Forget pooled broker connections and cached routes (after changing the config)."""
    pools.reset()
    celery_app._pool = None
    amqp = celery_app.amqp
    amqp._producer_pool = None
    amqp._rtable = None
    amqp.__dict__.pop("router", None)


@contextmanager
def publishing_to(broker_url: str, queue: str):
    """This test process publishes for real (not eager) to ``broker_url``, on ``queue``."""
    conf = celery_app.conf
    saved = {
        "broker_url": conf.broker_url,
        "task_always_eager": conf.task_always_eager,
        "task_routes": conf.task_routes,
    }
    conf.update(
        broker_url=broker_url,
        task_always_eager=False,
        task_routes={"vouchers.tasks.*": {"queue": queue}},
    )
    _reset_publisher()
    try:
        yield
    finally:
        conf.update(saved)
        _reset_publisher()


@pytest.fixture
def worker(redis_url, tmp_path):
    started = Workers(redis_url, tmp_path)
    yield started
    started.stop()


@pytest.fixture
def two_workers(redis_url, tmp_path):
    """Two worker processes on one queue: duplicated tasks really run at the same time."""
    started = Workers(redis_url, tmp_path, count=2)
    yield started
    started.stop()


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
    worker.wait_until_idle(redis_url)
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
        worker.wait_until_idle(redis_url)
        assert Voucher.objects.filter(feedback_status="sent").count() == 5
        # A later relay run finds nothing pending.
        assert requeue_pending_feedback() == 0

    assert sorted(_sent_pairs(worker.messages())) == expected
    assert Voucher.objects.filter(status="feedback_sent").count() == 5
