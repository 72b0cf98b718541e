"""Public pages: start page, role-based home redirect, legal pages."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect
from django.views.generic import TemplateView

from portal.models import Programme

HOME_BY_ROLE = {
    "applicant": "vouchers:applicant_dashboard",
    "office": "vouchers:queue",
    "facilitator": "sessions_log:dashboard",
    "admin": "reports:dashboard",
}


class StartView(TemplateView):
    template_name = "portal/start.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["programmes"] = (
            Programme.objects.filter(active=True)
            .select_related("operator")
            .prefetch_related("operator__contacts")
            .order_by("name")
        )
        return ctx


@login_required
def home(request):
    """Each role lands on its own dashboard."""
    return redirect(HOME_BY_ROLE.get(request.user.role, "start"))


class AccessibilityView(TemplateView):
    template_name = "portal/accessibility.html"


class PrivacyView(TemplateView):
    template_name = "portal/privacy.html"


class ImprintView(TemplateView):
    template_name = "portal/imprint.html"
