"""The applicant's Antrag: choose a programme, fill in and save a draft, submit, read,
withdraw. Another organisation's Antrag is never found (selectors → 404)."""

from __future__ import annotations

from django.contrib import messages
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.template.response import TemplateResponse
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from portal.errors import RuleViolation
from portal.models import Programme
from portal.views.mixins import RoleRequiredMixin
from vouchers import services
from vouchers.forms import ApplicationForm, WithdrawForm
from vouchers.models import Application, Voucher
from vouchers.selectors import applications_visible_to
from vouchers.services.eligibility import programme_choices
from vouchers.views.next_steps import decorate_application


class ApplicantRequiredMixin(RoleRequiredMixin):
    allowed_roles = ("applicant",)

    def dispatch(self, request, *args, **kwargs):
        if (
            request.user.is_authenticated
            and request.user.role == "applicant"
            and not request.user.organisation_id
        ):
            return TemplateResponse(
                request,
                "rule_violation.html",
                {"message": _("Ihr Konto ist noch keiner Organisation zugeordnet.")},
                status=403,
            )
        return super().dispatch(request, *args, **kwargs)


def voucher_of(application: Application) -> Voucher | None:
    try:
        return application.voucher
    except Voucher.DoesNotExist:
        return None


def refused(request, message: str, status: int = 400):
    return TemplateResponse(request, "rule_violation.html", {"message": message}, status=status)


class ProgrammeChoiceView(ApplicantRequiredMixin, TemplateView):
    """Step 1: which programme? Offers those the organisation may apply for and says why the
    others are closed (an open case or Antrag, not eligible, entry by call)."""

    template_name = "vouchers/application_start.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        choices = programme_choices(self.request.user.organisation)
        ctx["choices"] = [c for c in choices if c.may_apply]
        ctx["closed"] = [c for c in choices if not c.may_apply]
        return ctx


class ApplicationFormView(ApplicantRequiredMixin, View):
    """Create (``programme`` slug) or edit (``pk``) a draft. Button "Entwurf speichern" saves
    what is there; "Antrag absenden" checks completeness and submits in one transaction."""

    template_name = "vouchers/application_form.html"

    def setup(self, request, *args, **kwargs):
        super().setup(request, *args, **kwargs)
        self.application = None
        self.programme = None

    def load(self, request):
        if "pk" in self.kwargs:
            self.application = get_object_or_404(
                applications_visible_to(request.user), pk=self.kwargs["pk"]
            )
            self.programme = self.application.programme
        else:
            self.programme = get_object_or_404(
                Programme, slug=self.kwargs["programme"], active=True
            )

    def form(self, request, data=None, submitting=False):
        organisation = request.user.organisation
        instance = self.application or Application(
            organisation=organisation,
            programme=self.programme,
            contact_name=request.user.get_full_name(),
            contact_email=request.user.email,
            contact_phone=request.user.phone,
        )
        return ApplicationForm(
            data,
            instance=instance,
            programme=self.programme,
            organisation=organisation,
            submitting=submitting,
        )

    def render(self, request, form, status=200):
        return render(
            request,
            self.template_name,
            {"form": form, "programme": self.programme, "application": self.application},
            status=status,
        )

    def ineligible(self, request):
        if self.application is None:
            problem = services.eligibility_problem(request.user.organisation, self.programme)
            if problem:
                return refused(request, problem, status=403)
        return None

    def get(self, request, *args, **kwargs):
        self.load(request)
        if self.application and not self.application.is_editable:
            messages.info(request, _("Ein eingereichter Antrag kann nicht mehr geändert werden."))
            return redirect(self.application)
        return self.ineligible(request) or self.render(request, self.form(request))

    def post(self, request, *args, **kwargs):
        self.load(request)
        if self.application and not self.application.is_editable:
            return refused(request, _("Ein eingereichter Antrag kann nicht mehr geändert werden."))
        if response := self.ineligible(request):
            return response
        submitting = request.POST.get("action") == "submit"
        form = self.form(request, request.POST, submitting=submitting)
        if not form.is_valid():
            return self.render(request, form, status=400)
        try:
            application = self.save(request, form, submitting=submitting)
        except RuleViolation as exc:
            form.add_error(None, exc.message)
            return self.render(request, form, status=400)
        if submitting:
            messages.success(
                request,
                _("Ihr Antrag ist eingegangen. Sie erhalten eine Bestätigung per E-Mail."),
            )
            return redirect(application)
        messages.success(request, _("Ihr Entwurf ist gespeichert."))
        return redirect("vouchers:application_edit", pk=application.pk)

    @staticmethod
    def save(request, form, *, submitting: bool) -> Application:
        """All or nothing: a refused submission leaves the database unchanged."""
        user = request.user
        data = form.cleaned_data
        with transaction.atomic():
            application = form.save(commit=False)
            application = services.save_draft(application, by=user, topics=data.get("topics"))
            services.declare_region_flags(
                user.organisation,
                by=user,
                structurally_weak=data.get("structurally_weak", False),
                rural=data.get("rural", False),
                justification=data.get("flags_justification", ""),
            )
            if submitting:
                services.submit_application(application, by=user)
        return application


class ApplicationDetailView(RoleRequiredMixin, TemplateView):
    """The Antrag read-only (applicant of the organisation, office, assigned facilitators)."""

    allowed_roles = ("applicant", "office", "admin", "facilitator")
    template_name = "vouchers/application_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        application = get_object_or_404(
            applications_visible_to(self.request.user)
            .select_related(
                "voucher",
                "preferred_facilitator__user",
                "preferred_language",
                "follow_up_of",
                "programme__operator",
            )
            .prefetch_related("topics"),
            pk=self.kwargs["pk"],
        )
        ctx["application"] = decorate_application(application)
        ctx["voucher"] = voucher_of(application)
        ctx["page_operator"] = application.programme.operator  # the footer names the operator
        ctx["can_withdraw"] = self.request.user.has_perm(
            "vouchers.withdraw_application", application
        )
        ctx["can_edit"] = self.request.user.has_perm("vouchers.change_application", application)
        return ctx


class ApplicationWithdrawView(ApplicantRequiredMixin, View):
    """Confirmation page (GET) and withdrawal (POST) of an undecided Antrag."""

    template_name = "vouchers/application_withdraw.html"

    def get_application(self, request):
        return get_object_or_404(applications_visible_to(request.user), pk=self.kwargs["pk"])

    def get(self, request, *args, **kwargs):
        application = self.get_application(request)
        if application.status not in Application.WITHDRAWABLE_STATUSES:
            return refused(
                request,
                _(
                    "Über diesen Antrag ist bereits entschieden; er kann nicht mehr zurückgezogen werden."
                ),
            )
        return render(
            request, self.template_name, {"application": application, "form": WithdrawForm()}
        )

    def post(self, request, *args, **kwargs):
        application = self.get_application(request)
        form = WithdrawForm(request.POST)
        if not form.is_valid():
            return render(
                request,
                self.template_name,
                {"application": application, "form": form},
                status=400,
            )
        try:
            services.withdraw_application(
                application, by=request.user, reason=form.cleaned_data["reason"]
            )
        except RuleViolation as exc:
            form.add_error(None, exc.message)
            return render(
                request,
                self.template_name,
                {"application": application, "form": form},
                status=400,
            )
        messages.success(request, _("Sie haben den Antrag zurückgezogen."))
        return redirect("vouchers:applicant_dashboard")
