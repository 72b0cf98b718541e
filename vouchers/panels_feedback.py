"""The feedback panel of the case page: status per recipient, for the programme office only."""

from __future__ import annotations

from vouchers.feedback_selectors import voucher_feedback_requests
from vouchers.models import Voucher

TEMPLATE = "vouchers/feedback/partials/case_feedback.html"


def panel_context(voucher: Voucher) -> dict:
    """What the partial shows: the voucher's feedback status and one row per invitation
    (sent / reminded / answered). Never the content of an answer (that is anonymous)."""
    requests = list(voucher_feedback_requests(voucher))
    return {
        "voucher": voucher,
        "status": voucher.feedback_status,
        "status_display": voucher.get_feedback_status_display(),
        "requests": requests,
        "answered": sum(1 for r in requests if r.answered_at),
    }


def case_panel(voucher: Voucher, user) -> dict | None:
    """``{"template": …, "context": {"feedback_panel": …}}`` for office/admin, else ``None``.

    Render with ``{% include panel.template %}`` (the partial also reads
    ``panel.context.feedback_panel``) or with ``render_to_string(template, context)``."""
    if not (getattr(user, "is_authenticated", False) and user.role in ("office", "admin")):
        return None
    return {"template": TEMPLATE, "context": {"feedback_panel": panel_context(voucher)}}
