"""Feedback outbox: enqueue the Celery task; if the broker is down, the voucher stays
``feedback_status="pending"`` and the periodic ``requeue_pending_feedback`` retries.

Enqueueing must fail fast: it runs in the request that closed the case (after commit), so a
dead broker may cost a fraction of a second, never a hanging page. ``retry=False`` skips
Celery's publish retries; the broker transport options in settings bound the connect time."""

from __future__ import annotations

import logging

from django.utils import timezone
from kombu.exceptions import OperationalError as BrokerUnavailable

from portal.tasking import task
from vouchers.models import Voucher

logger = logging.getLogger(__name__)

__all__ = [
    "BrokerUnavailable",
    "enqueue_feedback_request",
    "publish_feedback_task",
    "resend_feedback_mail",
]


def publish_feedback_task(voucher_id: int) -> None:
    """Hand ``send_feedback_request`` to the broker (or run it, when Celery is eager) and
    note the time on the still-pending voucher. Raises ``BrokerUnavailable`` when the broker
    cannot be reached; when eager, whatever the task raised."""
    task("vouchers.tasks.send_feedback_request").apply_async(args=[voucher_id], retry=False)
    Voucher.objects.filter(pk=voucher_id, feedback_status=Voucher.FeedbackStatus.PENDING).update(
        feedback_enqueued_at=timezone.now()
    )


def enqueue_feedback_request(voucher_id: int) -> bool:
    """Try to enqueue ``send_feedback_request``; never raise (closing has committed).

    Returns whether the task was handed over. On success the voucher's
    ``feedback_enqueued_at`` is set (while it is still pending), so the periodic relay leaves
    it alone unless it stays pending for long."""
    try:
        publish_feedback_task(voucher_id)
    except Exception:  # broker unreachable (or, when eager, the task failed): stays pending
        logger.warning(
            "feedback task for voucher %s not enqueued; will retry", voucher_id, exc_info=True
        )
        return False
    return True


def resend_feedback_mail(key: str) -> None:
    """Office resend of an uncertain invitation or reminder (``portal.outbox.resend``): the
    invitation's task runs again; a reminder goes with the next periodic reminder run."""
    from vouchers.models import FeedbackRequest

    prefix, _sep, pk = key.partition(":")
    voucher_id = (
        FeedbackRequest.objects.filter(pk=int(pk)).values_list("voucher_id", flat=True).first()
    )
    if voucher_id is None:
        return
    if prefix == "feedback":
        enqueue_feedback_request(voucher_id)
    else:
        task("vouchers.tasks.send_feedback_reminders").delay()
