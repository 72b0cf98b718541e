"""Activating, closing-request and closing of vouchers. Closing records the feedback request
in the outbox (``feedback_status="pending"``) and enqueues the task only after commit."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from portal.errors import InvalidTransition
from portal.notifications import send_mail_on_commit
from vouchers import hooks
from vouchers.feedback import enqueue_feedback_request
from vouchers.models import Voucher
from vouchers.services.transitions import V, move, now, require_role, require_state


def _locked(voucher: Voucher) -> Voucher:
    return Voucher.objects.select_for_update().get(pk=voucher.pk)


def _refresh(voucher: Voucher, locked: Voucher) -> Voucher:
    voucher.refresh_from_db()
    return voucher


def activate_voucher(voucher: Voucher, *, by, reason: str = "") -> Voucher:
    """Office confirms the signed agreement: issued → active."""
    require_role(by, "office", programme=voucher.programme)
    with transaction.atomic():
        locked = _locked(voucher)
        require_state(locked, (V.ISSUED,), V.ACTIVE)
        move(
            locked,
            V.ACTIVE,
            by=by,
            action="voucher.activated",
            reason=reason,
            fields={"activated_at": now()},
        )
        # The applicant hears from the agreement step; the facilitators learn they can start.
        send_mail_on_commit(
            "voucher_activated",
            [f.user.email for f in locked.facilitators.select_related("user")],
            {"voucher": locked},
        )
    return _refresh(voucher, locked)


def request_closing(
    voucher: Voucher, *, by, report: str, next_steps: str = "", recommendation: str = ""
) -> Voucher:
    """An assigned facilitator (or the office) asks to close the case with a closing report."""
    if getattr(by, "role", None) == "facilitator":
        if not voucher.facilitators.filter(user=by).exists():
            raise InvalidTransition(_("Sie sind dieser Begleitung nicht zugeordnet."))
    else:
        require_role(by, "office", programme=voucher.programme)
    if not (report or "").strip():
        raise InvalidTransition(_("Bitte beschreiben Sie kurz die Ergebnisse der Begleitung."))
    with transaction.atomic():
        locked = _locked(voucher)
        require_state(locked, (V.ACTIVE,), V.CLOSING_REQUESTED)
        move(
            locked,
            V.CLOSING_REQUESTED,
            by=by,
            action="voucher.closing_requested",
            fields={
                "closing_requested_at": now(),
                "closing_report": report.strip(),
                "closing_next_steps": next_steps.strip(),
                "closing_follow_up_recommendation": recommendation.strip(),
            },
        )
    return _refresh(voucher, locked)


def close_voucher(voucher: Voucher, *, by, report: str = "") -> Voucher:
    """Office closes the case (from active or closing_requested). The feedback email is
    recorded as pending in the same transaction and enqueued after commit."""
    require_role(by, "office", programme=voucher.programme)
    with transaction.atomic():
        locked = _locked(voucher)
        require_state(locked, (V.ACTIVE, V.CLOSING_REQUESTED), V.CLOSED)
        # Other apps may refuse (rule 10: no session entry pending or disputed).
        hooks.run_close_checks(locked)
        # The outbox entry: pending until the task has sent every invitation.
        fields = {
            "closed_at": now(),
            "closed_by": by,
            "feedback_status": Voucher.FeedbackStatus.PENDING,
            "feedback_enqueued_at": None,
        }
        if report.strip():
            fields["closing_report"] = report.strip()
        move(locked, V.CLOSED, by=by, action="voucher.closed", reason=report.strip(), fields=fields)
        voucher_id = locked.pk
        transaction.on_commit(lambda: _enqueue_feedback(voucher_id))
    return _refresh(voucher, locked)


def _enqueue_feedback(voucher_id: int) -> None:
    enqueue_feedback_request(voucher_id)
