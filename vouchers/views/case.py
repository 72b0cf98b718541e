"""The case page of a voucher: status timeline, team, audit trail (office) and the panels
other apps contribute (sessions, agreement, feedback)."""

from __future__ import annotations

import importlib

from django.shortcuts import get_object_or_404
from django.template.loader import render_to_string
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from portal.audit import action_label, audit_trail
from portal.views.mixins import RoleRequiredMixin
from vouchers.models import Application, Voucher
from vouchers.selectors import vouchers_visible_to
from vouchers.views.next_steps import decorate_voucher

# (module, function) of the apps that contribute a panel; each returns None or
# {"template": "...", "context": {...}}. Missing modules are skipped (apps ship separately).
PANEL_PROVIDERS = (
    ("sessions_log.panels", "case_panel"),
    ("agreements.panels", "case_panel"),
    ("agreements.panels_evidence", "case_panel"),
    ("vouchers.panels_feedback", "case_panel"),
)

# Status codes of Anträge and cases in words (the audit trail keeps the codes); translated
# when shown, so that English pages say them in English.
STATE_LABELS = {**dict(Application.Status.choices), **dict(Voucher.Status.choices)}


def collect_panels(voucher: Voucher, user, request) -> list[str]:
    """Rendered HTML of every available panel, in a fixed order."""
    rendered = []
    for module_name, function_name in PANEL_PROVIDERS:
        try:
            provider = getattr(importlib.import_module(module_name), function_name)
        except (ImportError, AttributeError):
            continue
        panel = provider(voucher, user)
        if not panel:
            continue
        context = {**panel.get("context", {}), "panel": panel, "voucher": voucher}
        rendered.append(render_to_string(panel["template"], context, request=request))
    return rendered


def timeline(voucher: Voucher) -> list[dict]:
    """The voucher's steps with their dates; reached steps are marked ``done``."""
    application = voucher.application
    steps = []
    if application is not None and application.submitted_at:
        steps.append((_("Antrag eingereicht"), application.submitted_at))
    steps += [
        (_("Gutschein ausgestellt"), voucher.issued_at),
        (_("Vereinbarung unterschrieben, Begleitung aktiv"), voucher.activated_at),
        (_("Abschluss beantragt"), voucher.closing_requested_at),
        (_("Begleitung abgeschlossen"), voucher.closed_at),
    ]
    if voucher.status == Voucher.Status.CANCELLED:
        steps.append((_("Gutschein storniert"), voucher.cancelled_at))
    return [{"label": label, "date": date, "done": bool(date)} for label, date in steps]


class CaseDetailView(RoleRequiredMixin, TemplateView):
    allowed_roles = ("applicant", "office", "admin", "facilitator")
    template_name = "vouchers/case_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        voucher = get_object_or_404(
            vouchers_visible_to(user)
            .select_related("application", "issued_by", "closed_by", "programme__operator")
            .prefetch_related("facilitators__user"),
            pk=self.kwargs["pk"],
        )
        decorate_voucher(voucher)
        audit = None
        if user.has_perm("vouchers.view_audit", voucher):
            targets = [voucher] + ([voucher.application] if voucher.application else [])
            audit = sorted(
                (entry for target in targets for entry in audit_trail(target)),
                key=lambda e: (e.created_at, e.pk),
                reverse=True,
            )
            for entry in audit:
                entry.action_label = action_label(entry.action)
                entry.from_label = str(STATE_LABELS.get(entry.from_state, entry.from_state))
                entry.to_label = str(STATE_LABELS.get(entry.to_state, entry.to_state))
        ctx.update(
            voucher=voucher,
            application=voucher.application,
            timeline=timeline(voucher),
            audit=audit,
            panels=collect_panels(voucher, user, self.request),
            is_office=user.role in ("office", "admin"),
            page_operator=voucher.programme.operator,  # the footer names the operator
            can_cancel=can_cancel(user, voucher),
        )
        return ctx


def can_cancel(user, voucher: Voucher) -> bool:
    """Office: issued or active; a member of the organisation: issued and unsigned."""
    if user.role in ("office", "admin"):
        return voucher.status in (Voucher.Status.ISSUED, Voucher.Status.ACTIVE)
    return (
        user.role == "applicant"
        and voucher.status == Voucher.Status.ISSUED
        and not voucher.is_signed
    )
