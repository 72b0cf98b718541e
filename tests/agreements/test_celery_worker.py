"""Bulk regeneration with a real Redis broker and a real Celery worker process.

The worker runs ``portal.settings`` (not eager) against this test's database, writes its PDFs
into this test's media directory, and records progress the test reads from the database.
The test publishes on its own queue, so messages of other runs are never consumed."""

from __future__ import annotations

import os
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

from agreements.models import RegenerationRun
from agreements.services import start_regeneration
from portal.celery import app as celery_app
from tests.factories import UserFactory, VoucherFactory

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

WAIT_SECONDS = 180


def _database_url() -> str:
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return "sqlite:///" + str(Path(db["NAME"]).resolve())
    auth = quote(db["USER"] or "", safe="")
    if db.get("PASSWORD"):
        auth += ":" + quote(db["PASSWORD"], safe="")
    host = f"{auth}@" if auth else ""
    return f"postgres://{host}{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"


def _reset_publisher() -> None:
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
    saved = {k: conf[k] for k in ("broker_url", "task_always_eager", "task_routes")}
    conf.update(
        broker_url=broker_url,
        task_always_eager=False,
        task_routes={"agreements.tasks.*": {"queue": queue}},
    )
    _reset_publisher()
    try:
        yield
    finally:
        conf.update(saved)
        _reset_publisher()


@pytest.fixture
def worker(redis_url, tmp_path, media_root):
    queue = f"h4-agreements-{uuid.uuid4().hex[:10]}"
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "REDIS_URL": redis_url,
        "DATABASE_URL": _database_url(),
        "MEDIA_ROOT": str(media_root),
        "EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
        "EMAIL_FILE_PATH": str(tmp_path / "mail"),
        "PYTHONPATH": str(settings.BASE_DIR),
    }
    env.pop("EMAIL_URL", None)
    celery = Path(sys.executable).with_name("celery")
    with log.open("wb") as log_file:
        process = subprocess.Popen(
            [
                str(celery),
                "-A",
                "portal",
                "worker",
                "--pool=solo",
                "-Q",
                queue,
                "-n",
                f"{queue}@%h",
                "--without-gossip",
                "--without-mingle",
                "--without-heartbeat",
                "--loglevel=INFO",
            ],
            cwd=settings.BASE_DIR,
            env=env,
            stdout=log_file,
            stderr=subprocess.STDOUT,
        )
        try:
            yield queue, process, log
        finally:
            if process.poll() is None:
                process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=10)
            client = redis.Redis.from_url(redis_url)
            try:
                keys = list(client.scan_iter(match=f"*{queue}*"))
                if keys:
                    client.delete(*keys)
            finally:
                client.close()


def test_worker_regenerates_and_records_progress(worker, redis_url, programme, media_root):
    queue, process, log = worker
    office = UserFactory(role="office")
    vouchers = [VoucherFactory(programme=programme, status="issued") for _ in range(3)]
    signed = VoucherFactory(programme=programme, status="active")

    with publishing_to(redis_url, queue):
        run = start_regeneration(programme, by=office)  # enqueued on commit
    assert run.total == 3

    seen_progress = set()
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        run.refresh_from_db()
        seen_progress.add(run.done)
        if run.is_finished:
            break
        if process.poll() is not None or time.monotonic() > deadline:
            pytest.fail("worker did not finish:\n" + log.read_text()[-4000:])
        time.sleep(0.3)

    assert run.status == RegenerationRun.Status.DONE
    assert (run.done, run.percent) == (3, 100)
    assert seen_progress <= {0, 1, 2, 3}
    for voucher in vouchers:
        version = voucher.agreement_versions.get()
        assert (media_root / version.pdf.name).read_bytes().startswith(b"%PDF-")
    assert signed.agreement_versions.count() == 0
