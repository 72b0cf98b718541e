"""What the case page and the plan page show of a case's process work: the plan as a
timeline (planned vs done, overdue in words and colour), the project groups, and the
partner's mandatory-meeting attendance. A constant number of queries."""

from __future__ import annotations

from django.utils import timezone

from programme_work.models import GroupMember, Milestone, Participation
from programme_work.selectors import held_mandatory
from programme_work.services.plans import has_plan, plan_for

M = Milestone.Status
A = Participation.Attendance


def attendance_of(voucher) -> dict:
    rows = list(
        Participation.objects.filter(
            held_mandatory(),
            organisation_id=voucher.organisation_id,
            event__programme_id=voucher.programme_id,
        )
        .select_related("event")
        .order_by("event__starts_at")
    )
    attended = sum(1 for r in rows if r.attendance == A.PRESENT)
    missed = [r for r in rows if r.attendance in (A.EXCUSED, A.ABSENT)]
    return {"held": len(rows), "attended": attended, "missed": missed, "flagged": bool(missed)}


def plan_context(voucher, user) -> dict:
    """Everything the partial ``programme_work/partials/case_plan.html`` needs."""
    if not has_plan(voucher.programme) or not user.has_perm(
        "programme_work.view_processplan", voucher
    ):
        return {"plan": None}
    today = timezone.localdate()
    plan = plan_for(voucher)
    milestones = list(plan.milestones.order_by("position", "pk"))
    for milestone in milestones:
        milestone.overdue = milestone.is_overdue(today)
    active = [m for m in milestones if m.status != M.DROPPED]
    upcoming = [
        m.planned_on
        for m in active
        if m.status == M.OPEN and m.planned_on and m.planned_on >= today
    ]
    members = list(GroupMember.objects.filter(voucher=voucher).order_by("group", "name", "pk"))
    return {
        "plan": plan,
        "milestones": milestones,
        "done_count": sum(1 for m in active if m.status == M.DONE),
        "total_count": len(active),
        "overdue_count": sum(1 for m in milestones if m.overdue),
        "next_due": min(upcoming) if upcoming else None,
        "can_edit": user.has_perm("programme_work.change_processplan", voucher),
        "can_edit_groups": user.has_perm("programme_work.change_groupmember", voucher),
        "steering": [m for m in members if m.group == GroupMember.Group.STEERING],
        "resonance": [m for m in members if m.group == GroupMember.Group.RESONANCE],
        "attendance": attendance_of(voucher),
    }
