"""Celery tasks of the process work. Thin: ids in, the services do the work; the services are
idempotent, so a retry or a redelivery (``acks_late``) sends nothing twice."""

from __future__ import annotations

from celery import shared_task

from programme_work.services import events as event_services
from vouchers.tasks import RETRYING


@shared_task(**RETRYING)
def send_event_invitations(event_id: int) -> int:
    """Email each invited contact its invitation with the ICS (exactly once per contact)."""
    return event_services.send_invitations(event_id)
