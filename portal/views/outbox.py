"""The office's list of emails whose delivery is uncertain (``portal.outbox``), with a resend
button: the one place where a message may go out a second time, by a person's decision."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from portal import outbox
from portal.errors import RuleViolation
from portal.views.mixins import OfficeRequiredMixin


class UncertainMailView(OfficeRequiredMixin, TemplateView):
    template_name = "portal/outbox.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        mails = outbox.uncertain_for(self.request.user).select_related("operator")
        ctx["page"] = Paginator(mails, settings.PAGINATE_BY).get_page(self.request.GET.get("seite"))
        return ctx


class ResendMailView(OfficeRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        mail = get_object_or_404(outbox.uncertain_for(request.user), pk=pk)
        try:
            outbox.resend(mail, by=request.user)
        except RuleViolation as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Die E-Mail an %(recipient)s wird erneut gesendet.")
                % {"recipient": mail.recipient},
            )
        return redirect("outbox")
