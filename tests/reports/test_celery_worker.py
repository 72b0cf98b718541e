"""A large export through a real Redis broker and a real Celery worker process.

Checks what the eager tests cannot: the worker knows ``reports.tasks`` (CELERY_IMPORTS),
the job is enqueued only after the request's transaction committed, progress is written while
the worker runs and the file lands in the worker's MEDIA_ROOT, downloadable through the view."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from django.urls import reverse

from reports.models import ExportJob
from sessions_log.models import SessionEntry
from tests.celery_worker import publishing_to, running_workers
from tests.factories import FacilitatorFactory, UserFactory, VoucherFactory

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

WAIT_SECONDS = 180
ROWS = 4500  # more than two progress chunks of 2000
TASKS = "reports.tasks.*"


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def worker(redis_url, tmp_path, media_root):
    with running_workers(redis_url, tmp_path, "h6-reports", media_root=media_root) as started:
        yield started.queue, started.processes[0], started.logs[0]


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
    with publishing_to(redis_url, queue, TASKS):
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
