"""The applicant's offer page (Annehmen / Ablehnen), the office's one-click offer of a free
place, and cancelling or giving back a voucher."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from portal.errors import RuleViolation
from portal.scoping import programmes_for
from portal.views.mixins import OfficeRequiredMixin, RoleRequiredMixin
from vouchers import services
from vouchers.offer_selectors import offers_visible_to
from vouchers.selectors import vouchers_visible_to
from vouchers.views.applications import ApplicantRequiredMixin


class OfferDetailView(RoleRequiredMixin, TemplateView):
    """The freed place, its deadline, what accepting means; Annehmen / Ablehnen."""

    allowed_roles = ("applicant", "office", "admin")
    template_name = "vouchers/offer_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        offer = get_object_or_404(offers_visible_to(self.request.user), pk=kwargs["pk"])
        programme = offer.application.programme
        ctx.update(
            offer=offer,
            application=offer.application,
            programme=programme,
            page_operator=programme.operator,
            can_answer=self.request.user.role == "applicant" and offer.is_open,
        )
        return ctx


class OfferAnswerView(ApplicantRequiredMixin, View):
    """POST: accept or decline (``answer`` in the URL)."""

    answer = "accept"

    def post(self, request, *args, **kwargs):
        offer = get_object_or_404(offers_visible_to(request.user), pk=kwargs["pk"])
        try:
            if self.answer == "accept":
                voucher = services.accept_offer(offer, by=request.user)
            else:
                services.decline_offer(offer, by=request.user)
        except RuleViolation as exc:
            messages.error(request, exc.message)
            return redirect(offer.get_absolute_url())
        if self.answer == "accept":
            messages.success(
                request,
                _("Sie haben den Platz angenommen. Ihr Gutschein %(code)s ist ausgestellt.")
                % {"code": voucher.code},
            )
            return redirect(voucher.get_absolute_url())
        messages.success(
            request,
            _("Sie haben das Angebot abgelehnt. Ihr Antrag bleibt auf der Warteliste."),
        )
        return redirect("vouchers:applicant_dashboard")


class OfferFreePlaceView(OfficeRequiredMixin, View):
    """POST from the queue: offer a free place to the first Antrag in rank (one click)."""

    def post(self, request, *args, **kwargs):
        programme = get_object_or_404(programmes_for(request.user), pk=kwargs["programme"])
        try:
            offer = services.offer_free_place(programme, by=request.user)
        except RuleViolation as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Der Platz ist dem ersten Antrag der Rangfolge angeboten (Frist bis %(date)s).")
                % {"date": timezone.localtime(offer.expires_at).strftime("%d.%m.%Y")},
            )
        return redirect(f"{reverse('vouchers:queue')}?programme={programme.pk}")


class VoucherCancelView(RoleRequiredMixin, View):
    """POST from the case page: the office cancels (issued or active, with a reason); a
    member of the organisation gives an unsigned voucher back ("Gutschein zurückgeben")."""

    allowed_roles = ("applicant", "office", "admin")

    def post(self, request, *args, **kwargs):
        voucher = get_object_or_404(vouchers_visible_to(request.user), pk=kwargs["pk"])
        reason = request.POST.get("reason", "")[:2000]
        try:
            if request.user.role == "applicant":
                services.return_voucher(voucher, by=request.user, reason=reason)
            else:
                services.cancel_voucher(voucher, by=request.user, reason=reason)
        except RuleViolation as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Der Gutschein ist storniert."))
        return redirect(voucher.get_absolute_url())
