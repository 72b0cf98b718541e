"""Logging, correcting and deleting sessions, the session record page and the htmx preview."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from portal.errors import InvalidTransition, RuleViolation
from portal.views.mixins import RoleRequiredMixin
from sessions_log import services
from sessions_log.durations import format_duration, one_full_stop
from sessions_log.forms import SessionForm
from sessions_log.panels import case_panel
from sessions_log.selectors import sessions_changeable_by, voucher_usage
from sessions_log.views.common import (
    LOGGING_ROLES,
    BadRequestOnInvalidFormMixin,
    V,
    VoucherMixin,
)


class SessionFormMixin(BadRequestOnInvalidFormMixin):
    """Shared by logging and editing: the form, what remains, a refusal → 400 with input."""

    form_class = SessionForm
    template_name = "sessions_log/session_form.html"

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs.update(voucher=self.voucher, user=self.request.user)
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["voucher"] = self.voucher
        ctx["usage"] = voucher_usage(self.voucher)
        return ctx

    def form_valid(self, form):
        try:
            entry = self.run_service(form)
        except RuleViolation as exc:
            form.add_rule_violation(exc)
            return self.form_invalid(form)
        usage = voucher_usage(self.voucher)
        messages.success(self.request, self.success_text(entry, usage))
        return HttpResponseRedirect(self.voucher.get_absolute_url())

    @staticmethod
    def remaining_text(usage) -> str:
        if usage.is_virtual:
            return _("Für die Organisation verbleiben noch %(units)d Sparring-Einheiten.") % {
                "units": usage.remaining_units or 0
            }
        return one_full_stop(
            _("Auf dem Gutschein verbleiben noch %(duration)s.")
            % {"duration": format_duration(usage.remaining_minutes)}
        )


class SessionCreateView(RoleRequiredMixin, VoucherMixin, SessionFormMixin, FormView):
    allowed_roles = LOGGING_ROLES

    def get(self, request, *args, **kwargs):
        self._require_may_log()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self._require_may_log()
        return super().post(request, *args, **kwargs)

    def _require_may_log(self):
        if self.voucher.status != V.ACTIVE or not self.request.user.has_perm(
            "sessions_log.add_sessionentry", self.voucher
        ):
            raise InvalidTransition(
                _(
                    "Sitzungen können nur bei aktiven Gutscheinen eingetragen werden "
                    "(Vereinbarung unterschrieben). Status: „%(status)s“."
                )
                % {"status": self.voucher.get_status_display()}
            )

    def run_service(self, form):
        return services.log_session(self.voucher, by=self.request.user, **form.service_kwargs())

    def success_text(self, entry, usage):
        return _("Die Sitzung wurde eingetragen.") + " " + self.remaining_text(usage)


class EntryMixin:
    """Loads ``self.entry`` from the entries the user may change (foreign ids → 404)."""

    def dispatch(self, request, *args, **kwargs):
        self.entry = get_object_or_404(
            sessions_changeable_by(request.user).select_related("voucher__programme"),
            pk=kwargs["pk"],
        )
        self.voucher = self.entry.voucher
        if not request.user.has_perm("sessions_log.change_sessionentry", self.entry) or (
            self.voucher.status not in (V.ACTIVE, V.CLOSING_REQUESTED)
        ):
            raise InvalidTransition(
                _(
                    "Sitzungen können nur geändert werden, solange der Gutschein nicht "
                    "abgeschlossen ist."
                )
            )
        return super().dispatch(request, *args, **kwargs)


class SessionUpdateView(RoleRequiredMixin, EntryMixin, SessionFormMixin, FormView):
    allowed_roles = LOGGING_ROLES

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["entry"] = self.entry
        return kwargs

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["entry"] = self.entry
        return ctx

    def run_service(self, form):
        return services.update_session(self.entry, by=self.request.user, **form.service_kwargs())

    def success_text(self, entry, usage):
        return _("Die Sitzung wurde geändert.") + " " + self.remaining_text(usage)


class SessionDeleteView(RoleRequiredMixin, EntryMixin, TemplateView):
    """Confirmation page; POST deletes."""

    allowed_roles = LOGGING_ROLES
    template_name = "sessions_log/session_confirm_delete.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(entry=self.entry, voucher=self.voucher)
        return ctx

    def post(self, request, *args, **kwargs):
        services.delete_session(self.entry, by=request.user)
        messages.success(request, _("Die Sitzung wurde gelöscht."))
        return HttpResponseRedirect(self.voucher.get_absolute_url())


class VoucherSessionsView(LoginRequiredMixin, VoucherMixin, View):
    """The session record of one case on its own page (the case page shows the same panel)."""

    def get(self, request, *args, **kwargs):
        panel = case_panel(self.voucher, request.user)
        if panel is None:  # pragma: no cover - visible vouchers always have a panel
            raise InvalidTransition()
        return TemplateResponse(
            request,
            "sessions_log/voucher_sessions.html",
            {"voucher": self.voucher, "panel": panel, **panel["context"]},
        )


class RemainingPreviewView(RoleRequiredMixin, VoucherMixin, View):
    """htmx: what would remain after an entry of the typed duration (form preview)."""

    allowed_roles = LOGGING_ROLES

    def get(self, request, *args, **kwargs):
        usage = voucher_usage(self.voucher)
        try:
            amount = max(int(request.GET.get("units") or request.GET.get("minutes") or 0), 0)
        except ValueError:
            amount = 0
        if usage.is_virtual:
            after = (usage.remaining_units or 0) - amount
        else:
            after = (usage.remaining_minutes or 0) - amount
        return TemplateResponse(
            request,
            "sessions_log/partials/remaining_after.html",
            {"usage": usage, "amount": amount, "after": after, "over": after < 0},
        )
