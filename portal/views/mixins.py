"""View helpers shared by all apps."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied

from portal.errors import RuleViolation


class RoleRequiredMixin(AccessMixin):
    """Allow only the listed roles (anonymous → login, wrong role → 403)."""

    allowed_roles: tuple[str, ...] = ()

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if request.user.role not in self.allowed_roles:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class OfficeRequiredMixin(RoleRequiredMixin):
    allowed_roles = ("office", "admin")


class RuleViolationFormMixin:
    """In ``form_valid`` call the service inside ``run_service``; a ``RuleViolation`` becomes a
    form error (status 400) and the form keeps what was typed."""

    def form_valid(self, form):
        try:
            return self.run_service(form)
        except RuleViolation as exc:
            form.add_error(None, exc.message)
            response = self.form_invalid(form)
            response.status_code = 400
            return response

    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response

    def run_service(self, form):  # pragma: no cover - overridden
        raise NotImplementedError


def success(request, text: str) -> None:
    messages.success(request, text)


__all__ = ["OfficeRequiredMixin", "PermissionDenied", "RoleRequiredMixin", "RuleViolationFormMixin"]
