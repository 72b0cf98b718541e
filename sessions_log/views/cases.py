"""Closing and the office list: the case-level pages of the session log (the facilitator's
dashboard: ``views.dashboard``)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _
from django.views.generic import FormView
from django_filters.views import FilterView

from portal.errors import InvalidTransition, RuleViolation
from portal.scoping import office_scope
from portal.views.mixins import OfficeRequiredMixin, RoleRequiredMixin
from sessions_log.filters import OfficeVoucherFilter
from sessions_log.forms import CloseVoucherForm, ClosingRequestForm
from sessions_log.selectors import office_vouchers, usage_of, voucher_usage
from sessions_log.views.common import (
    BadRequestOnInvalidFormMixin,
    V,
    VoucherMixin,
)
from vouchers.services import close_voucher, request_closing


class RequestClosingView(RoleRequiredMixin, VoucherMixin, BadRequestOnInvalidFormMixin, FormView):
    """The assigned facilitator asks to close the case with a closing report."""

    allowed_roles = ("facilitator",)
    form_class = ClosingRequestForm
    template_name = "sessions_log/closing_request_form.html"

    def get(self, request, *args, **kwargs):
        self._require_may_request()
        return super().get(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        self._require_may_request()
        return super().post(request, *args, **kwargs)

    def _require_may_request(self):
        if self.voucher.status != V.ACTIVE or not self.request.user.has_perm(
            "sessions_log.request_closing", self.voucher
        ):
            raise InvalidTransition(
                _(
                    "Den Abschluss können Sie nur für einen aktiven Gutschein beantragen. "
                    "Status: „%(status)s“."
                )
                % {"status": self.voucher.get_status_display()}
            )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["usage"] = voucher_usage(self.voucher)
        return ctx

    def form_valid(self, form):
        try:
            request_closing(self.voucher, by=self.request.user, **form.cleaned_data)
        except RuleViolation as exc:
            form.add_error(None, exc.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Ihr Abschlussbericht ist eingegangen. Das Programmbüro prüft den Abschluss."),
        )
        return HttpResponseRedirect(self.voucher.get_absolute_url())


class CloseVoucherView(OfficeRequiredMixin, VoucherMixin, BadRequestOnInvalidFormMixin, FormView):
    """Office confirms the closing (from active or closing requested)."""

    form_class = CloseVoucherForm
    template_name = "sessions_log/close_form.html"

    def get_initial(self):
        return {"report": self.voucher.closing_report}

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["usage"] = voucher_usage(self.voucher)
        ctx["closable"] = self.voucher.status in (V.ACTIVE, V.CLOSING_REQUESTED)
        return ctx

    def form_valid(self, form):
        try:
            close_voucher(self.voucher, by=self.request.user, report=form.cleaned_data["report"])
        except RuleViolation as exc:
            form.add_error(None, exc.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Der Gutschein %(code)s ist abgeschlossen. Der Feedbackbogen wird versandt.")
            % {"code": self.voucher.code},
        )
        return HttpResponseRedirect(self.voucher.get_absolute_url())


class OfficeVoucherListView(OfficeRequiredMixin, FilterView):
    """All running vouchers with used/remaining, sortable and filterable, paginated."""

    filterset_class = OfficeVoucherFilter
    template_name = "sessions_log/office_list.html"
    paginate_by = settings.PAGINATE_BY
    strict = False

    def get_queryset(self):
        # Office staff see only their operators' programmes (issue 14).
        return office_scope(office_vouchers(), self.request.user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["rows"] = [{"voucher": v, "usage": usage_of(v)} for v in ctx["object_list"]]
        query = self.request.GET.copy()
        query.pop("page", None)
        ctx["query_without_page"] = query.urlencode()
        current = query.get("sortierung", "")
        sort_links = {}
        for key in OfficeVoucherFilter.SORT_KEYS:
            params = query.copy()
            params["sortierung"] = f"-{key}" if current == key else key
            state = "ascending" if current == key else "descending" if current == f"-{key}" else ""
            sort_links[key] = {"url": "?" + params.urlencode(), "aria_sort": state}
        ctx["sort_links"] = sort_links
        return ctx
