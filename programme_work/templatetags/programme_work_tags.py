"""The case page's process-plan panel and the decision page's admission prerequisites,
provided by this app: the vouchers templates only ``{% load %}`` and call these tags, so
the lower floor never imports the work floor."""

from __future__ import annotations

from django import template

from programme_work.models import CouncilDecision
from programme_work.panel import plan_context
from programme_work.services.admission import needs_prerequisites

register = template.Library()


@register.inclusion_tag("programme_work/partials/case_plan.html", takes_context=True)
def case_plan(context, voucher):
    user = context["request"].user
    return {**plan_context(voucher, user), "voucher": voucher, "compact": True, "user": user}


@register.inclusion_tag("programme_work/partials/prerequisites.html", takes_context=True)
def admission_prerequisites(context, application):
    """For a programme that needs them: the contact person and the Beschluss (or what is
    missing), with a link to the page where the applicant provides them."""
    if not needs_prerequisites(application.programme):
        return {"show": False}
    decision = (
        CouncilDecision.objects.filter(application=application, current=True)
        .only("pk", "uploaded_at", "decided_on", "size")
        .first()
    )
    contact = getattr(application, "administration_contact", None)
    user = context["request"].user
    return {
        "show": True,
        "application": application,
        "decision": decision,
        "contact": contact,
        "team_size": application.programme.team_size,
        "can_edit": user.role == "applicant"
        and application.status in ("draft", "submitted", "in_review", "waitlisted"),
    }
