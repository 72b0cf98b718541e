"""Bulk regeneration with a real Redis broker and a real Celery worker process.

The worker runs ``portal.settings`` (not eager) against this test's database, writes its PDFs
into this test's media directory, and records progress the test reads from the database.
The test publishes on its own queue, so messages of other runs are never consumed."""

from __future__ import annotations

import time

import pytest

from agreements.models import RegenerationRun
from agreements.services import start_regeneration
from tests.celery_worker import publishing_to, running_workers
from tests.factories import UserFactory, VoucherFactory

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]

WAIT_SECONDS = 180
TASKS = "agreements.tasks.*"


@pytest.fixture
def worker(redis_url, tmp_path, media_root):
    with running_workers(redis_url, tmp_path, "h4-agreements", media_root=media_root) as started:
        yield started.queue, started.processes[0], started.logs[0]


def test_worker_regenerates_and_records_progress(worker, redis_url, programme, media_root):
    queue, process, log = worker
    office = UserFactory(role="office")
    vouchers = [VoucherFactory(programme=programme, status="issued") for _ in range(3)]
    signed = VoucherFactory(programme=programme, status="active")

    with publishing_to(redis_url, queue, TASKS):
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
