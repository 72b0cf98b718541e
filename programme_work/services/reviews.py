"""Reviews of the call's Bewerbungen: assigning reviewers, declaring a conflict, scoring."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from portal.audit import log_action
from portal.errors import InvalidTransition
from programme_work.models import CallApplication, ReviewAssignment, Score
from vouchers.services.transitions import require_role


def assign_reviewer(call_application: CallApplication, *, by, reviewer) -> ReviewAssignment:
    require_role(by, "office", programme=call_application.call.programme)
    assignment, _created = ReviewAssignment.objects.get_or_create(
        call_application=call_application, reviewer=reviewer
    )
    log_action(by, "call.reviewer_assigned", assignment, data={"reviewer": reviewer.pk})
    return assignment


def declare_conflict(assignment: ReviewAssignment, *, by, reason: str) -> ReviewAssignment:
    if by.pk != assignment.reviewer_id:
        raise InvalidTransition(_("Nur die Gutachter*in selbst erklärt einen Konflikt."))
    with transaction.atomic():
        assignment.conflict = True
        assignment.conflict_reason = (reason or "").strip()[:1000]
        assignment.save(update_fields=["conflict", "conflict_reason"])
        assignment.scores.all().delete()
        log_action(by, "call.conflict_declared", assignment, reason=assignment.conflict_reason)
    return assignment


def score(assignment: ReviewAssignment, *, by, scores: dict[int, tuple[int, str]]) -> None:
    """Record the reviewer's scores (0–5 with a justification) per criterion."""
    if by.pk != assignment.reviewer_id:
        raise InvalidTransition(_("Nur die zugewiesene Gutachter*in kann bewerten."))
    if assignment.conflict:
        raise InvalidTransition(
            _("Bei einem erklärten Interessenkonflikt können Sie diese Bewerbung nicht bewerten.")
        )
    criteria = {c.pk: c for c in assignment.call_application.call.criteria.all()}
    with transaction.atomic():
        for criterion_id, (value, justification) in scores.items():
            if criterion_id not in criteria:
                raise InvalidTransition(_("Unbekanntes Kriterium."))
            if not isinstance(value, int) or not 0 <= value <= 5:
                raise InvalidTransition(_("Die Punkte liegen zwischen 0 und 5."))
            Score.objects.update_or_create(
                assignment=assignment,
                criterion=criteria[criterion_id],
                defaults={"value": value, "justification": (justification or "").strip()[:2000]},
            )
        log_action(by, "call.scored", assignment, data={"criteria": sorted(scores)})
