"""The decision page: the Antrag, the organisation's history, suggested facilitators with
reasons and the contingent left; approve (1–2 facilitators), waitlist or reject."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views import View

from portal.errors import RuleViolation
from portal.views.mixins import OfficeRequiredMixin
from vouchers import services
from vouchers.forms import ApproveForm, RejectForm, WaitlistForm
from vouchers.selectors import applications_visible_to, organisation_history
from vouchers.services.queue import annotate_rank
from vouchers.views.applications import voucher_of
from vouchers.views.next_steps import decorate_application


class DecisionView(OfficeRequiredMixin, View):
    template_name = "vouchers/decision.html"

    def get_application(self):
        queryset = (
            applications_visible_to(self.request.user)
            .select_related(
                "voucher", "preferred_facilitator__user", "preferred_language", "follow_up_of"
            )
            .prefetch_related("topics")
        )
        return get_object_or_404(annotate_rank(queryset), pk=self.kwargs["pk"])

    def render(self, application, forms=None, status=200):
        forms = forms or {}
        applications, vouchers = organisation_history(application.organisation_id)
        suggestions = services.suggest_facilitators(application) if application.is_open else []
        approve_form = forms.get("approve") or ApproveForm(application=application)
        chosen = [str(v) for v in (approve_form["facilitators"].value() or [])]
        context = {
            "application": decorate_application(application),
            "voucher": voucher_of(application),
            "history_applications": [a for a in applications if a.pk != application.pk],
            "history_vouchers": vouchers,
            "suggestions": suggestions,
            "chosen": chosen,
            "contingent": services.contingent_status(application.programme),
            "approve_form": approve_form,
            "waitlist_form": forms.get("waitlist") or WaitlistForm(prefix="waitlist"),
            "reject_form": forms.get("reject") or RejectForm(prefix="reject"),
            "form": next(iter(forms.values()), None),  # for the error summary
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, *args, **kwargs):
        return self.render(self.get_application())

    def post(self, request, *args, **kwargs):
        application = self.get_application()
        action = request.POST.get("action")
        if action == "review":
            return self.run(application, "review", None)
        form_class = {"approve": ApproveForm, "waitlist": WaitlistForm, "reject": RejectForm}.get(
            action
        )
        if form_class is None:
            return self.render(application, status=400)
        if form_class is ApproveForm:
            form = ApproveForm(request.POST, application=application)
        else:
            form = form_class(request.POST, prefix=action)
        if not form.is_valid():
            return self.render(application, {action: form}, status=400)
        return self.run(application, action, form)

    def run(self, application, action, form):
        user = self.request.user
        try:
            if action == "approve":
                voucher = services.approve_application(
                    application, by=user, facilitators=form.cleaned_data["facilitators"]
                )
                messages.success(
                    self.request,
                    _("Der Antrag ist bewilligt. Gutschein %(code)s ist ausgestellt.")
                    % {"code": voucher.code},
                )
                return redirect(voucher)
            if action == "waitlist":
                services.waitlist_application(
                    application, by=user, reason=form.cleaned_data["reason"]
                )
                messages.success(self.request, _("Der Antrag steht jetzt auf der Warteliste."))
            elif action == "reject":
                services.reject_application(
                    application, by=user, reason=form.cleaned_data["reason"]
                )
                messages.success(self.request, _("Der Antrag ist abgelehnt."))
            elif action == "review":
                services.start_review(application, by=user)
                messages.success(self.request, _("Der Antrag ist jetzt in Prüfung."))
                return redirect("vouchers:application_decide", pk=application.pk)
        except RuleViolation as exc:
            if form is None:
                messages.error(self.request, exc.message)
                return redirect("vouchers:application_decide", pk=application.pk)
            form.add_error(None, exc.message)
            return self.render(application, {action: form}, status=400)
        return redirect(
            f"{reverse('vouchers:queue')}?{urlencode({'programme': application.programme_id})}"
        )
