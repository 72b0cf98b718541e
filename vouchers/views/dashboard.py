"""The applicant's dashboard: own Anträge and vouchers with status and the next step."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from portal.errors import RuleViolation
from vouchers import services
from vouchers.hooks import attach_usage, with_usage
from vouchers.models import Application, Voucher
from vouchers.offer_selectors import with_open_offer
from vouchers.selectors import organisation_applications, organisation_vouchers, vouchers_visible_to
from vouchers.views.applications import ApplicantRequiredMixin
from vouchers.views.next_steps import decorate_application, decorate_voucher


class ApplicantDashboardView(ApplicantRequiredMixin, TemplateView):
    template_name = "vouchers/applicant_dashboard.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        applications = Paginator(
            with_open_offer(organisation_applications(user)), settings.PAGINATE_BY
        ).get_page(self.request.GET.get("seite"))
        for application in applications:
            decorate_application(application)
        voucher_page = Paginator(
            with_usage(organisation_vouchers(user)), settings.PAGINATE_BY
        ).get_page(self.request.GET.get("gutscheine"))
        vouchers = list(voucher_page)
        attach_usage(vouchers)
        # Whether a follow-up may be requested is decided here, not in the template.
        blocked_programmes = set(
            Application.objects.filter(
                organisation_id=user.organisation_id,
                status__in=(Application.Status.DRAFT, *Application.OPEN_STATUSES),
            ).values_list("programme_id", flat=True)
        ) | set(
            Voucher.objects.filter(
                organisation_id=user.organisation_id, status__in=Voucher.OPEN_STATUSES
            ).values_list("programme_id", flat=True)
        )
        for voucher in vouchers:
            decorate_voucher(voucher)
            voucher.can_follow_up = (
                voucher.is_closed
                and voucher.programme.allows_follow_up
                and voucher.programme.active
                and voucher.programme_id not in blocked_programmes
            )
        ctx.update(
            organisation=user.organisation,
            applications=applications,
            vouchers=vouchers,
            voucher_page=voucher_page,
            open_offers=[a for a in applications if a.open_offer_id],
        )
        return ctx


class FollowUpView(ApplicantRequiredMixin, View):
    """POST: request a follow-up voucher after a closed one → a new draft to complete."""

    def post(self, request, *args, **kwargs):
        voucher = get_object_or_404(vouchers_visible_to(request.user), pk=kwargs["pk"])
        try:
            application = services.request_follow_up(voucher, by=request.user)
        except RuleViolation as exc:
            messages.error(request, exc.message)
            return redirect("vouchers:applicant_dashboard")
        messages.success(
            request,
            _(
                "Ihr Folgeantrag ist als Entwurf angelegt. Bitte ergänzen Sie ihn und senden Sie ihn ab."
            ),
        )
        return redirect("vouchers:application_edit", pk=application.pk)
