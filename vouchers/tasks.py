"""Celery tasks of the vouchers app. Thin: ids in, services do the work, tasks own retries.

``acks_late``: a worker that dies mid-task leaves the message to be redelivered; the services
are idempotent, so a redelivery sends nothing twice. SMTP and connection errors retry with
exponential backoff; time limits stop a hanging mail server from blocking the worker."""

from __future__ import annotations

import smtplib

from celery import shared_task
from django.db import OperationalError

from vouchers.services import feedback as feedback_services
from vouchers.services import offers as offer_services

# Errors worth retrying: the mail server or the database is briefly unreachable
# (SMTPException, ConnectionError and TimeoutError are all OSErrors; named for the reader).
TRANSIENT_ERRORS = (smtplib.SMTPException, ConnectionError, TimeoutError, OSError, OperationalError)

RETRYING = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "autoretry_for": TRANSIENT_ERRORS,
    "retry_backoff": 30,
    "retry_backoff_max": 30 * 60,
    "retry_jitter": True,
    "max_retries": 8,
    "soft_time_limit": 100,
    "time_limit": 120,
}


@shared_task(**RETRYING)
def send_feedback_request(voucher_id: int) -> int:
    """Email each contact of the organisation a single-use feedback link (idempotent).

    Returns the number of emails sent by this run (0 on a repeated run)."""
    return feedback_services.send_feedback_requests(voucher_id)


@shared_task(acks_late=True, soft_time_limit=100, time_limit=120)
def requeue_pending_feedback() -> int:
    """Periodic (celery beat): enqueue again what the outbox still holds as pending."""
    return feedback_services.requeue_pending_feedback()


@shared_task(**RETRYING)
def send_feedback_reminders() -> int:
    """Periodic (celery beat): one reminder to recipients who have not answered."""
    return feedback_services.send_feedback_reminders()


@shared_task(acks_late=True, soft_time_limit=100, time_limit=120)
def expire_offers() -> int:
    """Periodic (celery beat): offers past their deadline expire and pass their place on
    (each exactly once, however many runs overlap)."""
    return offer_services.expire_offers()
