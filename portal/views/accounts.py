"""Login, registration, password management, and the office page that confirms newly
registered organisations and membership requests."""

from __future__ import annotations

import logging

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth import views as auth_views
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse_lazy
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import FormView, TemplateView

from portal import services
from portal.errors import RuleViolation
from portal.forms import EmailAuthenticationForm, MembershipRejectForm, RegistrationForm
from portal.models import Organisation, User
from portal.security import throttle
from portal.security.axes import client_ip
from portal.security.events import log_event
from portal.views.mixins import OfficeRequiredMixin


class RefusedFormIs400:
    """GOV.UK pattern: a refused form answers 400 and keeps what was typed."""

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class PortalLoginView(RefusedFormIs400, auth_views.LoginView):
    """Login by email; Django rotates the session key on login."""

    form_class = EmailAuthenticationForm
    redirect_authenticated_user = True


class PortalLogoutView(auth_views.LogoutView):
    """POST only (Django 5); then back to the start page with a note."""

    def post(self, request, *args, **kwargs):
        response = super().post(request, *args, **kwargs)
        messages.info(request, _("Sie haben sich abgemeldet."))
        return response


class PortalPasswordResetView(RefusedFormIs400, auth_views.PasswordResetView):
    email_template_name = "registration/password_reset_email.txt"
    html_email_template_name = "registration/password_reset_email.html"
    subject_template_name = "registration/password_reset_subject.txt"

    def form_valid(self, form):
        # The link is built from SITE_URL, not from the request's Host header.
        self.extra_email_context = {
            "SITE_URL": settings.SITE_URL,
            "PROGRAMME_OFFICE": settings.PROGRAMME_OFFICE,
        }
        return super().form_valid(form)


class PortalPasswordResetConfirmView(RefusedFormIs400, auth_views.PasswordResetConfirmView):
    pass


class PortalPasswordChangeView(RefusedFormIs400, auth_views.PasswordChangeView):
    pass


class RegisterView(RefusedFormIs400, FormView):
    """Applicant self-registration: the person, and an existing or a new organisation."""

    template_name = "registration/register.html"
    form_class = RegistrationForm
    success_url = reverse_lazy("home")

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated:
            return redirect("home")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        data = form.cleaned_data
        if not throttle.registration_allowed(ip=client_ip(self.request), email=data["email"]):
            log_event("registration_throttled", level=logging.WARNING)
            form.add_error(
                None,
                _(
                    "Von Ihrem Anschluss oder Ihrer E-Mail-Domain wurden in der letzten Stunde "
                    "zu viele Konten registriert. Bitte versuchen Sie es später noch einmal "
                    "oder wenden Sie sich an das Programmbüro."
                ),
            )
            response = self.render_to_response(self.get_context_data(form=form), status=429)
            response["Retry-After"] = str(settings.REGISTRATION_WINDOW)
            return response
        new_org = form.new_organisation_values()
        user = services.register_applicant(
            email=data["email"],
            password=data["password1"],
            first_name=data["first_name"],
            last_name=data["last_name"],
            phone=data.get("phone", ""),
            position=data.get("position", ""),
            organisation=None if new_org else data["organisation"],
            new_organisation=new_org,
        )
        login(self.request, user, backend="django.contrib.auth.backends.ModelBackend")
        if new_org:
            messages.success(
                self.request,
                _(
                    "Ihr Konto ist angelegt. Das Programmbüro prüft die neue Organisation. Sie "
                    "können schon jetzt einen Antrag vorbereiten; einreichen können Sie ihn nach "
                    "der Freigabe."
                ),
            )
        else:
            messages.success(
                self.request,
                _(
                    "Ihr Konto ist angelegt. Das Programmbüro bestätigt Ihre Zugehörigkeit zur "
                    "Organisation; danach sehen Sie deren Anträge und Gutscheine."
                ),
            )
        return super().form_valid(form)


class PendingRegistrationsView(OfficeRequiredMixin, TemplateView):
    """Office: newly registered organisations and membership requests to confirm."""

    template_name = "portal/pending_registrations.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        memberships = list(services.pending_memberships())
        orgs = Organisation.objects.in_bulk({m.target_id for m in memberships})
        for entry in memberships:
            entry.organisation = orgs.get(entry.target_id)
        ctx["organisations"] = services.pending_organisations()
        ctx["memberships"] = memberships
        return ctx


class ApproveOrganisationView(OfficeRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        organisation = get_object_or_404(Organisation, pk=pk)
        try:
            services.approve_organisation(organisation, by=request.user)
        except RuleViolation as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request, _("„%(name)s“ ist freigegeben.") % {"name": organisation.name}
            )
        return redirect("organisation_pending")


class ApproveMembershipView(OfficeRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        user = get_object_or_404(User, pk=pk, role=User.Role.APPLICANT)
        try:
            user = services.approve_membership(user, by=request.user)
        except RuleViolation as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("%(person)s gehört jetzt zu „%(name)s“.")
                % {"person": user, "name": user.organisation.name},
            )
        return redirect("organisation_pending")


class RejectMembershipView(OfficeRequiredMixin, View):
    http_method_names = ["post"]

    def post(self, request, pk):
        user = get_object_or_404(User, pk=pk, role=User.Role.APPLICANT)
        form = MembershipRejectForm(request.POST)
        reason = form.cleaned_data["reason"] if form.is_valid() else ""
        try:
            services.reject_membership(user, by=request.user, reason=reason)
        except RuleViolation as exc:
            messages.error(request, exc.message)
        else:
            messages.info(
                request, _("Die Anfrage von %(person)s ist abgelehnt.") % {"person": user}
            )
        return redirect("organisation_pending")


__all__ = [
    "ApproveMembershipView",
    "ApproveOrganisationView",
    "PendingRegistrationsView",
    "PortalLoginView",
    "RegisterView",
    "RejectMembershipView",
]
