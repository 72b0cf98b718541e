"""Celery tasks of the sparring calendar. Thin: ids in, services do the work; the services
claim an outbox mark first, so a redelivered or duplicated task sends nothing twice."""

from __future__ import annotations

from celery import shared_task

from appointments.services import mailing
from vouchers.tasks import RETRYING


@shared_task(**RETRYING)
def send_invitation(appointment_id: int) -> int:
    return mailing.send_invitation(appointment_id)


@shared_task(**RETRYING)
def send_cancellation(appointment_id: int) -> int:
    return mailing.send_cancellation(appointment_id)


@shared_task(acks_late=True, soft_time_limit=100, time_limit=120)
def send_reminders() -> int:
    """Periodic (celery beat): reminders 24 hours before, exactly once each."""
    return mailing.send_due_reminders()
