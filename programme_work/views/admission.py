"""The applicant's admission prerequisites (contact person, Beschluss) and the download of
the Beschluss for the organisation and the operator's office."""

from __future__ import annotations

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views import View

from portal.errors import RuleViolation
from portal.views.mixins import RoleRequiredMixin
from programme_work.forms import AdministrationContactForm, CouncilDecisionForm
from programme_work.models import CouncilDecision
from programme_work.services import admission
from vouchers.selectors import applications_visible_to


class PrerequisitesView(RoleRequiredMixin, View):
    allowed_roles = ("applicant",)
    template_name = "programme_work/prerequisites.html"

    def application(self):
        application = get_object_or_404(
            applications_visible_to(self.request.user).select_related("programme__operator"),
            pk=self.kwargs["pk"],
        )
        if not admission.needs_prerequisites(application.programme):
            raise Http404
        return application

    def render(self, application, contact_form=None, decision_form=None, status=200):
        contact = getattr(application, "administration_contact", None)
        initial = (
            {
                "name": contact.name,
                "function": contact.function,
                "email": contact.email,
                "phone": contact.phone,
            }
            if contact
            else {}
        )
        context = {
            "application": application,
            "contact": contact,
            "decision": admission.current_decision(application),
            "contact_form": contact_form
            or AdministrationContactForm(initial=initial, prefix="contact"),
            "decision_form": decision_form or CouncilDecisionForm(prefix="decision"),
            "form": contact_form if status == 400 and contact_form else decision_form,
            "page_operator": application.programme.operator,
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk):
        return self.render(self.application())

    def post(self, request, pk):
        application = self.application()
        if request.POST.get("action") == "contact":
            form = AdministrationContactForm(request.POST, prefix="contact")
            if form.is_valid():
                try:
                    admission.save_administration_contact(
                        application, by=request.user, **form.cleaned_data
                    )
                except RuleViolation as exc:
                    form.add_error(None, exc.message)
                else:
                    messages.success(request, _("Die Ansprechperson ist gespeichert."))
                    return redirect("programme_work:prerequisites", pk=application.pk)
            return self.render(application, contact_form=form, status=400)
        form = CouncilDecisionForm(request.POST, request.FILES, prefix="decision")
        if form.is_valid():
            try:
                admission.upload_council_decision(
                    application,
                    by=request.user,
                    file=form.cleaned_data["file"],
                    decided_on=form.cleaned_data["decided_on"],
                )
            except RuleViolation as exc:
                form.add_error("file", exc.message)
            else:
                messages.success(request, _("Der Beschluss ist hochgeladen."))
                return redirect("programme_work:prerequisites", pk=application.pk)
        return self.render(application, decision_form=form, status=400)


class DecisionDownloadView(RoleRequiredMixin, View):
    allowed_roles = ("applicant", "office", "admin")

    def get(self, request, pk):
        decision = get_object_or_404(
            CouncilDecision.objects.filter(
                application__in=applications_visible_to(request.user).values("pk")
            ),
            pk=pk,
        )
        response = FileResponse(
            decision.file.open("rb"),
            as_attachment=True,
            filename=f"beschluss-{decision.application_id}.pdf",
            content_type="application/pdf",
        )
        response["Cache-Control"] = "private, no-store"
        response["X-Content-Type-Options"] = "nosniff"
        return response
