"""Celery tasks of the vouchers app. Thin: ids in, services do the work."""

from __future__ import annotations

from celery import shared_task


@shared_task(acks_late=True)
def send_feedback_request(voucher_id: int) -> int:
    """Email each contact of the organisation a single-use feedback link (idempotent)."""
    raise NotImplementedError  # implemented by the feedback work


@shared_task
def requeue_pending_feedback() -> int:
    raise NotImplementedError


@shared_task
def send_feedback_reminders() -> int:
    raise NotImplementedError
