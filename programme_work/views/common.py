"""Helpers shared by the views."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render

from portal.errors import RuleViolation
from programme_work.models import Milestone
from programme_work.selectors import plan_cases_visible_to


def case_or_404(user, pk: int):
    return get_object_or_404(
        plan_cases_visible_to(user).select_related("programme__operator"), pk=pk
    )


def milestone_or_404(user, pk: int) -> Milestone:
    milestone = get_object_or_404(
        Milestone.objects.select_related("plan"),
        pk=pk,
        plan__voucher__in=plan_cases_visible_to(user).values("pk"),
    )
    return milestone


def run_form(request, form, template: str, context: dict, action, success_url: str, done: str):
    """Valid form → the service (``action(cleaned_data)``) → message and redirect; a
    ``RuleViolation`` becomes a form error (400)."""
    if form.is_valid():
        try:
            action(form.cleaned_data)
        except RuleViolation as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, done)
            return redirect(success_url)
    return render(request, template, {**context, "form": form}, status=400)
