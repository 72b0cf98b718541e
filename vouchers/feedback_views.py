"""Feedback pages: the public form behind a signed link, and the programme office's views
(status per voucher, figures per programme and facilitator, free-text answers)."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.cache import never_cache
from django.views.generic import TemplateView

from portal.models import FacilitatorProfile, Programme
from portal.scoping import programmes_for
from portal.views.mixins import OfficeRequiredMixin
from vouchers import feedback_selectors as selectors
from vouchers.feedback_forms import FeedbackForm
from vouchers.panels_feedback import panel_context
from vouchers.selectors import vouchers_visible_to
from vouchers.services.feedback import (
    FeedbackLinkError,
    link_error_message,
    resolve_token,
    submit_feedback,
)

# A link that cannot be used any more is "gone": a friendly page, not an error page.
LINK_UNUSABLE_STATUS = 410


def _link_unusable(request, exc: FeedbackLinkError) -> TemplateResponse:
    return TemplateResponse(
        request,
        "vouchers/feedback/link_invalid.html",
        {"reason": exc.reason, "message": link_error_message(exc)},
        status=LINK_UNUSABLE_STATUS,
    )


@method_decorator(never_cache, name="dispatch")
class FeedbackFormView(View):
    """The questionnaire. No login: whoever holds the signed, unused, unexpired link may answer
    once for that voucher."""

    template_name = "vouchers/feedback/form.html"

    def dispatch(self, request, *args, token: str = "", **kwargs):
        try:
            self.feedback_request = resolve_token(token)
        except FeedbackLinkError as exc:
            return _link_unusable(request, exc)
        return super().dispatch(request, *args, **kwargs)

    def render(self, form, status=200):
        voucher = self.feedback_request.voucher
        context = {
            "form": form,
            "voucher": voucher,
            "organisation": voucher.organisation,
            "programme": voucher.programme,
            "recipient_name": self.feedback_request.recipient_name,
            "expires_at": self.feedback_request.expires_at,
        }
        return TemplateResponse(self.request, self.template_name, context, status=status)

    def get(self, request, *args, **kwargs):
        return self.render(FeedbackForm())

    def post(self, request, *args, **kwargs):
        form = FeedbackForm(request.POST)
        if not form.is_valid():
            return self.render(form, status=400)
        try:
            submit_feedback(self.feedback_request, **form.cleaned_data)
        except FeedbackLinkError as exc:  # answered in another tab a moment ago
            return _link_unusable(request, exc)
        return redirect("feedback:thanks")


class FeedbackThanksView(TemplateView):
    template_name = "vouchers/feedback/thanks.html"


class FeedbackOverviewView(OfficeRequiredMixin, TemplateView):
    """All programmes with response rate and averages."""

    template_name = "vouchers/feedback/overview.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["rows"] = selectors.programme_overview(self.request.user)
        ctx["threshold"] = selectors.ANONYMITY_THRESHOLD
        return ctx


class _ProgrammeMixin(OfficeRequiredMixin):
    def get_programme(self) -> Programme:
        return get_object_or_404(programmes_for(self.request.user), slug=self.kwargs["slug"])

    def free_text_page(self, facilitator=None):
        """Free text only once at least ``ANONYMITY_THRESHOLD`` answers carry some (a group
        too small to hide who wrote what shows nothing), never with names (issue 20, 10)."""
        answers = selectors.free_text_answers(self.programme, facilitator)
        if answers.count() < selectors.ANONYMITY_THRESHOLD:
            return None
        return Paginator(answers, settings.PAGINATE_BY).get_page(self.request.GET.get("page"))


class FeedbackProgrammeView(_ProgrammeMixin, TemplateView):
    """One programme: figures, a table per facilitator (anonymised below 3), free text."""

    template_name = "vouchers/feedback/programme.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        self.programme = self.get_programme()
        ctx.update(
            programme=self.programme,
            figures=selectors.programme_figures(self.programme),
            facilitator_rows=selectors.facilitator_figures(self.programme),
            page_obj=self.free_text_page(),
            threshold=selectors.ANONYMITY_THRESHOLD,
        )
        return ctx


class FeedbackFacilitatorView(_ProgrammeMixin, TemplateView):
    """One facilitator within a programme; nothing from answers below the threshold."""

    template_name = "vouchers/feedback/facilitator.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        self.programme = self.get_programme()
        facilitator = get_object_or_404(
            FacilitatorProfile.objects.select_related("user"), pk=self.kwargs["pk"]
        )
        [(_, figures)] = selectors.facilitator_figures(self.programme, facilitator)
        ctx.update(
            programme=self.programme,
            facilitator=facilitator,
            figures=figures,
            page_obj=None if figures.hidden else self.free_text_page(facilitator),
            threshold=selectors.ANONYMITY_THRESHOLD,
        )
        return ctx


class VoucherFeedbackView(OfficeRequiredMixin, TemplateView):
    """The feedback status of one voucher (the same panel as on the case page)."""

    template_name = "vouchers/feedback/voucher.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        voucher = get_object_or_404(vouchers_visible_to(self.request.user), pk=self.kwargs["pk"])
        ctx["voucher"] = voucher
        ctx["feedback_panel"] = panel_context(voucher)
        return ctx
