"""Celery task of the agreements app: bulk regeneration with recorded progress.

Thin: the run id in, ``agreements.services.process_regeneration`` does the work. Each processed
voucher is recorded on the run, so a retried or redelivered task continues where it stopped
and never makes a second new version for a voucher it has already done."""

from __future__ import annotations

from celery import shared_task
from django.db import OperationalError

from agreements.services import process_regeneration

TRANSIENT_ERRORS = (ConnectionError, TimeoutError, OSError, OperationalError)


@shared_task(
    acks_late=True,
    reject_on_worker_lost=True,
    autoretry_for=TRANSIENT_ERRORS,
    retry_backoff=10,
    retry_backoff_max=10 * 60,
    retry_jitter=True,
    max_retries=5,
    # Rendering takes about a second per agreement; a programme has some dozens of vouchers.
    soft_time_limit=30 * 60,
    time_limit=31 * 60,
)
def regenerate_agreements(run_id: int) -> int:
    """Make a new agreement version for every voucher of the run. Returns how many are done."""
    return process_regeneration(run_id).done
