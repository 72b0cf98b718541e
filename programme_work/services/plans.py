"""Process plans (M31): a case's milestones from its programme's default template, adapted by
the team.

When does a case get its plan? ``plan_for(voucher)`` creates it from the default template the
first time anyone looks at the case (case page, plan page, office progress list) or changes
it; admission itself stays untouched in ``vouchers`` (a lower floor that must not call us).
The plan is therefore there from the first visit after admission on, and a template changed
before that visit is the one used. Creation is idempotent (unique ``voucher``) and audited as
``plan.created`` by the system.

Every change by the team is written to the case's audit trail (target: the voucher, so it
appears on the case page): who, what (``data``), why (``reason``)."""

from __future__ import annotations

import datetime as dt

from django.apps import apps as django_apps
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from portal.audit import log_action
from portal.errors import RuleViolation
from programme_work.models import Milestone, PlanTemplate, ProcessPlan, TemplateMilestone
from programme_work.plan_texts import install_templates
from programme_work.services.common import clean_text, require_plan_editor
from vouchers.models import Voucher

M = Milestone.Status
PLAN_KINDS = ("begleitprozess", "werkstatt")
TITLE_LIMIT = 200
TEXT_LIMIT = 4000


def has_plan(programme) -> bool:
    """Programmes whose cases keep a process plan."""
    return programme.kind in PLAN_KINDS


def ensure_templates(programme) -> None:
    """A programme of a planning kind created after the data migration gets the seeds'
    templates too (idempotent)."""
    if has_plan(programme):
        install_templates(django_apps, programme)


def default_template(programme) -> PlanTemplate | None:
    ensure_templates(programme)
    templates = PlanTemplate.objects.filter(programme=programme)
    return templates.filter(is_default=True).first() or templates.first()


def plan_for(voucher: Voucher) -> ProcessPlan | None:
    """The case's plan, created from the default template on first use; ``None`` for
    programmes without plans."""
    existing = ProcessPlan.objects.filter(voucher=voucher).first()
    if existing is not None or not has_plan(voucher.programme):
        return existing
    template = default_template(voucher.programme)
    try:
        with transaction.atomic():
            plan = ProcessPlan.objects.create(voucher=voucher, template=template)
            items = TemplateMilestone.objects.filter(template=template) if template else []
            Milestone.objects.bulk_create(
                Milestone(
                    plan=plan,
                    position=index,
                    section=item.section,
                    title=item.title,
                    description=item.description,
                    source=item,
                )
                for index, item in enumerate(items)
            )
            log_action(
                None,
                "plan.created",
                voucher,
                data={"template": template.name if template else "", "milestones": len(items)},
            )
    except IntegrityError:  # created a moment earlier by a concurrent request
        return ProcessPlan.objects.get(voucher=voucher)
    return plan


def ensure_plans(vouchers) -> None:
    """``plan_for`` for each case without a plan yet (one query when all have one)."""
    vouchers = [v for v in vouchers if has_plan(v.programme)]
    have = set(
        ProcessPlan.objects.filter(voucher__in=[v.pk for v in vouchers]).values_list(
            "voucher_id", flat=True
        )
    )
    for voucher in vouchers:
        if voucher.pk not in have:
            plan_for(voucher)


def _locked_plan(voucher: Voucher) -> ProcessPlan:
    plan = plan_for(voucher)
    if plan is None:
        raise RuleViolation(_("Für dieses Programm gibt es keinen Prozessplan."))
    return ProcessPlan.objects.select_for_update().get(pk=plan.pk)


def _locked_milestone(milestone: Milestone, by) -> tuple[ProcessPlan, Milestone]:
    voucher = Voucher.objects.select_related("programme").get(pk=milestone.plan.voucher_id)
    require_plan_editor(voucher, by)
    plan = _locked_plan(voucher)
    return plan, Milestone.objects.get(pk=milestone.pk, plan=plan)


def _audit(by, action: str, plan: ProcessPlan, milestone: Milestone, *, reason="", **data):
    log_action(
        by,
        action,
        plan.voucher,
        reason=reason,
        data={"milestone": milestone.pk, "title": milestone.title, **data},
    )


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None


def add_milestone(
    voucher: Voucher,
    *,
    by,
    title: str = "",
    description: str = "",
    planned_on: dt.date | None = None,
    source: TemplateMilestone | None = None,
    reason: str = "",
) -> Milestone:
    """The team adds a milestone at the end: its own, or one from a template of the
    programme (e.g. a Baustein of seed 002)."""
    require_plan_editor(voucher, by)
    if source is not None:
        if source.template.programme_id != voucher.programme_id:
            raise RuleViolation(_("Diese Vorlage gehört zu einem anderen Programm."))
        title = title or source.title
        description = description or source.description
    title = clean_text(title, limit=TITLE_LIMIT)
    if not title:
        raise RuleViolation(_("Bitte geben Sie dem Meilenstein einen Titel."))
    with transaction.atomic():
        plan = _locked_plan(voucher)
        last = plan.milestones.aggregate(last=Max("position"))["last"]
        milestone = Milestone.objects.create(
            plan=plan,
            position=0 if last is None else last + 1,
            section=source.section if source else "",
            title=title,
            description=clean_text(description, limit=TEXT_LIMIT),
            source=source,
            planned_on=planned_on,
            updated_by=by,
        )
        _audit(by, "milestone.created", plan, milestone, reason=reason, planned_on=_iso(planned_on))
    return milestone


def update_milestone(
    milestone: Milestone,
    *,
    by,
    title: str | None = None,
    description: str | None = None,
    planned_on: dt.date | None = None,
    reason: str = "",
) -> Milestone:
    """The team changes the title, description or planned date."""
    with transaction.atomic():
        plan, locked = _locked_milestone(milestone, by)
        changes = {}
        if title is not None:
            title = clean_text(title, limit=TITLE_LIMIT)
            if not title:
                raise RuleViolation(_("Bitte geben Sie dem Meilenstein einen Titel."))
            if title != locked.title:
                changes["title"] = [locked.title, title]
                locked.title = title
        if description is not None:
            description = clean_text(description, limit=TEXT_LIMIT)
            if description != locked.description:
                changes["description"] = True
                locked.description = description
        if planned_on != locked.planned_on:
            changes["planned_on"] = [_iso(locked.planned_on), _iso(planned_on)]
            locked.planned_on = planned_on
        if changes:
            locked.updated_by = by
            locked.save()
            _audit(by, "milestone.updated", plan, locked, reason=reason, changes=changes)
    return locked


def move_milestone(milestone: Milestone, *, by, direction: str) -> Milestone:
    """Swap with the neighbour above (``"up"``) or below (``"down"``)."""
    if direction not in ("up", "down"):
        raise RuleViolation(_("Unbekannte Richtung."))
    with transaction.atomic():
        plan, locked = _locked_milestone(milestone, by)
        ordered = list(plan.milestones.order_by("position", "pk"))
        index = next(i for i, m in enumerate(ordered) if m.pk == locked.pk)
        other = index - 1 if direction == "up" else index + 1
        if not 0 <= other < len(ordered):
            return locked
        ordered[index], ordered[other] = ordered[other], ordered[index]
        for position, item in enumerate(ordered):
            if item.position != position:
                Milestone.objects.filter(pk=item.pk).update(position=position)
        _audit(by, "milestone.updated", plan, locked, moved=direction, position=other + 1)
    locked.refresh_from_db()
    return locked


def drop_milestone(milestone: Milestone, *, by, reason: str) -> Milestone:
    """The team drops a milestone (it stays visible as „entfallen“); a reason is required."""
    reason = clean_text(reason, limit=TEXT_LIMIT)
    if not reason:
        raise RuleViolation(_("Bitte begründen Sie, warum der Meilenstein entfällt."))
    with transaction.atomic():
        plan, locked = _locked_milestone(milestone, by)
        if locked.status != M.OPEN:
            raise RuleViolation(_("Nur offene Meilensteine können entfallen."))
        locked.status, locked.drop_reason, locked.updated_by = M.DROPPED, reason, by
        locked.save()
        _audit(by, "milestone.cancelled", plan, locked, reason=reason)
    return locked


def complete_milestone(
    milestone: Milestone, *, by, done_on: dt.date, note: str = "", session_entries=()
) -> Milestone:
    """The team marks a milestone done, with the date and a short note; optionally links
    session entries of the same case."""
    from django.utils import timezone

    if done_on is None:
        raise RuleViolation(_("Bitte geben Sie an, wann der Meilenstein erreicht wurde."))
    if done_on > timezone.localdate():
        raise RuleViolation(_("Das Datum darf nicht in der Zukunft liegen."))
    with transaction.atomic():
        plan, locked = _locked_milestone(milestone, by)
        if locked.status == M.DROPPED:
            raise RuleViolation(_("Ein entfallener Meilenstein kann nicht erledigt werden."))
        entries = [e for e in session_entries if e.voucher_id == plan.voucher_id]
        if len(entries) != len(list(session_entries)):
            raise RuleViolation(_("Verknüpfen Sie nur Sitzungen dieses Falls."))
        locked.status, locked.done_on, locked.updated_by = M.DONE, done_on, by
        locked.done_note = clean_text(note, limit=TEXT_LIMIT)
        locked.save()
        if entries:
            locked.session_entries.add(*entries)
        _audit(
            by,
            "milestone.done",
            plan,
            locked,
            done_on=done_on.isoformat(),
            note=locked.done_note,
            sessions=[e.pk for e in entries],
        )
    return locked


def reopen_milestone(milestone: Milestone, *, by, reason: str) -> Milestone:
    """Undo „erledigt“ or „entfallen“ (with a reason)."""
    reason = clean_text(reason, limit=TEXT_LIMIT)
    if not reason:
        raise RuleViolation(_("Bitte begründen Sie, warum der Meilenstein wieder offen ist."))
    with transaction.atomic():
        plan, locked = _locked_milestone(milestone, by)
        before = locked.status
        locked.status, locked.done_on, locked.updated_by = M.OPEN, None, by
        locked.save()
        _audit(by, "milestone.updated", plan, locked, reason=reason, reopened_from=before)
    return locked
