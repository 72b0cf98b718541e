"""The agreement panel on the case page (built by the vouchers app).

``case_panel(voucher, user)`` returns ``{"template": ..., "context": {...}}`` or ``None`` when
the user may not see the voucher's agreement. Context keys are prefixed ``agreement_`` so the
case page can merge them into its own context; ``render_case_panel`` renders it to HTML.
Constant queries: the versions (limited), the signed copies (limited), and for facilitators
one permission lookup."""

from __future__ import annotations

from django.template.loader import render_to_string

from agreements import selectors

TEMPLATE = "agreements/partials/case_agreements.html"
SHOWN_VERSIONS = 5


def case_panel(voucher, user) -> dict | None:
    if not user.is_authenticated or not user.has_perm("agreements.view_agreement", voucher):
        return None
    versions = list(selectors.versions_of(voucher)[:SHOWN_VERSIONS])
    signed = []
    if user.has_perm("agreements.view_signed_agreement", voucher):
        signed = list(selectors.signed_copies_of(voucher)[:1])
    latest_signed = signed[0] if signed else None
    return {
        "template": TEMPLATE,
        "context": {
            "agreement_voucher": voucher,
            "agreement_current": versions[0] if versions else None,
            "agreement_versions": versions if user.is_office else versions[:1],
            "agreement_latest_signed": latest_signed,
            "agreement_pending": latest_signed
            if latest_signed is not None and latest_signed.is_pending
            else None,
            "agreement_can_generate": user.has_perm("agreements.generate_agreement", voucher),
            "agreement_can_upload": bool(versions)
            and user.has_perm("agreements.upload_signed_agreement", voucher),
            "agreement_is_office": user.is_office,
        },
    }


def render_case_panel(voucher, user, request=None) -> str:
    """The panel as HTML ("" when the user may not see it)."""
    panel = case_panel(voucher, user)
    if panel is None:
        return ""
    return render_to_string(panel["template"], panel["context"], request=request)
