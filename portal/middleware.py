"""Turns a ``RuleViolation`` that escaped a view into a German message — never a 500."""

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils.http import url_has_allowed_host_and_scheme

from portal.errors import RuleViolation


class RuleViolationMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not isinstance(exception, RuleViolation):
            return None
        if request.method == "POST" and not getattr(request, "htmx", False):
            # Post/Redirect/Get back to where the user came from, with the message shown.
            messages.error(request, exception.message)
            # Without a Referer go home: request.path may be a POST-only endpoint (→ 405).
            target = request.META.get("HTTP_REFERER") or ""
            if target and url_has_allowed_host_and_scheme(
                target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
            ):
                # A URL, never a view name: a Referer like "x" made redirect() raise (500).
                return HttpResponseRedirect(target)
            return redirect("home")
        return TemplateResponse(
            request, "rule_violation.html", {"message": exception.message}, status=400
        )
