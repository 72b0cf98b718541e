"""Feedback outbox: enqueue the Celery task; if the broker is down, the voucher stays
``feedback_status="pending"`` and the periodic ``requeue_pending_feedback`` retries."""

from __future__ import annotations

import logging

logger = logging.getLogger(__name__)


def enqueue_feedback_request(voucher_id: int) -> bool:
    """Try to enqueue ``send_feedback_request``; never raise (closing has committed)."""
    from vouchers.tasks import send_feedback_request

    try:
        send_feedback_request.delay(voucher_id)
    except Exception:  # broker unreachable: the outbox row stays pending
        logger.warning("feedback task for voucher %s not enqueued; will retry", voucher_id)
        return False
    return True
