"""A large export through a real Redis broker and a real Celery worker process.

Checks what the eager tests cannot: the worker knows ``portal.reports.tasks`` (CELERY_IMPORTS),
the job is enqueued only after the request's transaction committed, progress is written while
the worker runs and the file lands in the worker's MEDIA_ROOT, downloadable through the view."""

from __future__ import annotations

import datetime as dt
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
from django.urls import reverse
from kombu import pools

from portal.celery import app as celery_app
from portal.models import ExportJob
from sessions_log.models import SessionEntry
from tests.factories import FacilitatorFactory, UserFactory, VoucherFactory

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

WAIT_SECONDS = 180
ROWS = 4500  # more than two progress chunks of 2000


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
    conf = celery_app.conf
    saved = {k: conf[k] for k in ("broker_url", "task_always_eager", "task_routes")}
    conf.update(
        broker_url=broker_url,
        task_always_eager=False,
        task_routes={"portal.reports.tasks.*": {"queue": queue}},
    )
    _reset_publisher()
    try:
        yield
    finally:
        conf.update(saved)
        _reset_publisher()


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def worker(redis_url, tmp_path, media_root):
    queue = f"h6-reports-{uuid.uuid4().hex[:10]}"
    log = tmp_path / "worker.log"
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "REDIS_URL": redis_url,
        "DATABASE_URL": _database_url(),
        "MEDIA_ROOT": str(media_root),
        "PYTHONPATH": str(settings.BASE_DIR),
    }
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


def test_worker_writes_large_export_with_progress(client, settings, worker, redis_url, media_root):
    queue, process, log = worker
    settings.REPORTS_EXPORT_ASYNC_THRESHOLD = 1000
    f = FacilitatorFactory()
    v = VoucherFactory(facilitators=[f])
    SessionEntry.objects.bulk_create(
        [
            SessionEntry(
                voucher=v,
                facilitator=f,
                date=dt.date(2026, 1, 2),
                minutes=60,
                activity="workshop",
                format="video",
                notes=f"Notiz {i}",
            )
            for i in range(ROWS)
        ],
        batch_size=2000,
    )
    office = UserFactory(role="office")
    client.force_login(office)
    with publishing_to(redis_url, queue):
        response = client.get(reverse("reports:export", args=["sitzungen", "csv"]))
    assert response.status_code == 302
    job = ExportJob.objects.get()
    assert job.total_rows == ROWS

    seen = set()
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        job.refresh_from_db()
        seen.add(job.rows_written)
        if job.status in (ExportJob.Status.DONE, ExportJob.Status.FAILED):
            break
        if process.poll() is not None or time.monotonic() > deadline:
            pytest.fail("worker did not finish:\n" + log.read_text()[-4000:])
        time.sleep(0.1)

    assert job.status == ExportJob.Status.DONE, log.read_text()[-4000:]
    assert job.rows_written == ROWS
    assert seen <= {0, 2000, 4000, ROWS}
    assert (media_root / job.file.name).is_file()
    download = client.get(reverse("reports:export_download", args=[job.uuid]))
    body = b"".join(download.streaming_content)
    assert body.startswith(b"\xef\xbb\xbf")
    assert body.count(b"\r\n") == ROWS + 1
