"""The session panel for the case page (``vouchers:case_detail``).

The case view calls ``case_panel(voucher, request.user)`` and renders the returned template
with the returned context, e.g. ``render_to_string(panel["template"], panel["context"],
request)`` or ``{% include panel.template with sessions_panel=panel.context.sessions_panel %}``.
All values live under the one key ``sessions_panel``, so merging the context into the case
page's context clashes with nothing. Queries: a constant handful, whatever the number of
sessions."""

from __future__ import annotations

from django.urls import reverse

from sessions_log.models import SessionEntry
from sessions_log.selectors import voucher_usage
from vouchers.models import Voucher

TEMPLATE = "sessions_log/partials/case_sessions.html"


def _is_office(user) -> bool:
    return user.is_authenticated and user.role in ("office", "admin")


def case_panel(voucher: Voucher, user) -> dict | None:
    """Timeline of sessions with totals and the cap bar, plus the actions ``user`` may take.
    ``None`` if the user may not see the voucher's sessions."""
    if not user.has_perm("sessions_log.view_sessionentry", voucher):
        return None
    office = _is_office(user)
    entries = list(
        SessionEntry.objects.filter(voucher=voucher)
        .select_related("facilitator__user")
        .order_by("date", "pk")
    )
    rows = []
    running = 0
    for entry in entries:
        entry.voucher = voucher  # known already: no query per entry for the checks below
        running += entry.minutes
        can_change = user.has_perm("sessions_log.change_sessionentry", entry)
        rows.append(
            {
                "entry": entry,
                "running_minutes": running,
                "can_change": can_change
                and voucher.status in (Voucher.Status.ACTIVE, Voucher.Status.CLOSING_REQUESTED),
                "edit_url": reverse("sessions_log:session_edit", args=[entry.pk]),
                "delete_url": reverse("sessions_log:session_delete", args=[entry.pk]),
                "resolve_url": reverse("sessions_log:resolve_dispute", args=[entry.pk])
                if office and entry.status == SessionEntry.Status.DISPUTED
                else "",
            }
        )
    active = voucher.status == Voucher.Status.ACTIVE
    can_log = active and user.has_perm("sessions_log.add_sessionentry", voucher)
    can_request_closing = active and user.has_perm("sessions_log.request_closing", voucher)
    can_close = office and voucher.status in (
        Voucher.Status.ACTIVE,
        Voucher.Status.CLOSING_REQUESTED,
    )
    usage = voucher_usage(voucher)
    return {
        "template": TEMPLATE,
        "context": {
            "sessions_panel": {
                "voucher": voucher,
                "usage": usage,
                "rows": rows,
                "count": len(entries),
                "total_minutes": running,
                "total_units": sum(entry.units for entry in entries),
                # Rule 10: what the organisation confirmed, and what still waits.
                "confirmed_minutes": sum(e.minutes for e in entries if e.counts_as_delivered),
                "pending_count": sum(1 for e in entries if e.status == SessionEntry.Status.PENDING),
                "disputed_count": sum(
                    1 for e in entries if e.status == SessionEntry.Status.DISPUTED
                ),
                "is_member": user.role == "applicant"
                and user.organisation_id == voucher.organisation_id,
                "confirm_url": reverse("sessions_log:confirm_hours"),
                "read_only": not (office or user.role == "facilitator"),
                "show_closing_report": bool(voucher.closing_report),
                "can_log": can_log,
                "can_request_closing": can_request_closing,
                "can_close": can_close,
                "log_url": reverse("sessions_log:session_add", args=[voucher.pk]),
                "closing_url": reverse("sessions_log:request_closing", args=[voucher.pk]),
                "close_url": reverse("sessions_log:close", args=[voucher.pk]),
            }
        },
    }
