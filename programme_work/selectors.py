"""Reads, scoped to the user (views never build their own filters → others get a 404), and
the figures of plan progress and attendance, computed in the database in a constant number of
queries whatever the number of cases, milestones or events."""

from __future__ import annotations

from django.db.models import Count, Exists, Min, OuterRef, Q, QuerySet
from django.utils import timezone

from portal.scoping import office_scope
from programme_work.models import Event, Milestone, Participation
from programme_work.services.plans import PLAN_KINDS
from vouchers.models import Voucher
from vouchers.selectors import vouchers_visible_to

M = Milestone.Status
A = Participation.Attendance


def plan_cases_visible_to(user) -> QuerySet[Voucher]:
    """Cases with a process plan the user may see (team, the organisation, the office)."""
    return vouchers_visible_to(user).filter(programme__kind__in=PLAN_KINDS)


def with_progress(queryset: QuerySet[Voucher], today=None) -> QuerySet[Voucher]:
    """Annotate ``ms_total`` (not dropped), ``ms_done``, ``ms_overdue`` and ``ms_next_due``."""
    today = today or timezone.localdate()
    path = "process_plan__milestones__"
    return queryset.annotate(
        ms_total=Count("process_plan__milestones", filter=~Q(**{f"{path}status": M.DROPPED})),
        ms_done=Count("process_plan__milestones", filter=Q(**{f"{path}status": M.DONE})),
        ms_overdue=Count(
            "process_plan__milestones",
            filter=Q(**{f"{path}status": M.OPEN, f"{path}planned_on__lt": today}),
        ),
        ms_next_due=Min(
            f"{path}planned_on",
            filter=Q(**{f"{path}status": M.OPEN, f"{path}planned_on__gte": today}),
        ),
    )


def held_mandatory() -> Q:
    """Participations in mandatory events that took place (over and not cancelled)."""
    return Q(event__mandatory=True, event__cancelled=False, event__ends_at__lte=timezone.now())


def with_attendance(queryset: QuerySet[Voucher]) -> QuerySet[Voucher]:
    """Annotate ``mandatory_held``, ``mandatory_attended`` and ``mandatory_missed`` (excused
    or absent) of the case's organisation in the case's programme."""
    base = Participation.objects.filter(
        held_mandatory(),
        organisation_id=OuterRef("organisation_id"),
        event__programme_id=OuterRef("programme_id"),
    )
    from django.db.models import IntegerField, Subquery
    from django.db.models.functions import Coalesce

    def counted(extra: Q):
        return Coalesce(
            Subquery(
                base.filter(extra)
                .values("organisation_id")
                .annotate(n=Count("pk"))
                .values("n")[:1],
                output_field=IntegerField(),
            ),
            0,
        )

    return queryset.annotate(
        mandatory_held=counted(Q()),
        mandatory_attended=counted(Q(attendance=A.PRESENT)),
        mandatory_missed=counted(Q(attendance__in=[A.EXCUSED, A.ABSENT])),
    )


def attendance_overview(programme) -> list[dict]:
    """Per partner organisation of the programme (open or earlier cases with an invitation,
    and every open case): mandatory events held, attended, excused, absent, not recorded;
    ``flagged`` when it missed one. Two queries."""
    rows = {
        row["organisation_id"]: {**row, "voucher_id": None}
        for row in Participation.objects.filter(held_mandatory(), event__programme=programme)
        .values("organisation_id", "organisation__name")
        .annotate(
            held=Count("pk"),
            attended=Count("pk", filter=Q(attendance=A.PRESENT)),
            excused=Count("pk", filter=Q(attendance=A.EXCUSED)),
            absent=Count("pk", filter=Q(attendance=A.ABSENT)),
            unknown=Count("pk", filter=Q(attendance=A.UNKNOWN)),
        )
    }
    for voucher_id, organisation_id, name in (
        Voucher.objects.filter(programme=programme, status__in=Voucher.OPEN_STATUSES)
        .order_by("issued_at")
        .values_list("pk", "organisation_id", "organisation__name")
    ):
        row = rows.setdefault(
            organisation_id,
            {
                "organisation_id": organisation_id,
                "organisation__name": name,
                "held": 0,
                "attended": 0,
                "excused": 0,
                "absent": 0,
                "unknown": 0,
            },
        )
        row["voucher_id"] = voucher_id
    result = sorted(rows.values(), key=lambda r: (r["organisation__name"] or "").lower())
    for row in result:
        row["missed"] = row["excused"] + row["absent"]
        row["flagged"] = row["missed"] > 0
    return result


def attendance_rate(rows: list[dict]) -> float | None:
    """Share of recorded mandatory participations attended (0–1), ``None`` without data."""
    recorded = sum(r["attended"] + r["missed"] for r in rows)
    return sum(r["attended"] for r in rows) / recorded if recorded else None


def events_visible_to(user) -> QuerySet[Event]:
    qs = Event.objects.select_related("programme__operator")
    if not user.is_authenticated:
        return qs.none()
    if user.role in ("office", "admin"):
        return office_scope(qs, user)
    if user.role == "applicant" and user.organisation_id:
        return qs.filter(
            Exists(
                Participation.objects.filter(
                    event_id=OuterRef("pk"), organisation_id=user.organisation_id
                )
            )
        )
    if user.role == "facilitator":
        return qs.filter(
            Exists(
                Voucher.objects.filter(
                    programme_id=OuterRef("programme_id"), facilitators__user=user
                )
            )
        )
    return qs.none()


def milestones_for_proof_of_use(voucher) -> list[dict]:
    """The case's milestones as the Sachbericht of the proof of use lists them (dropped ones
    left out); registered with ``agreements.proof_of_use.register_milestones``."""

    rows = (
        Milestone.objects.filter(plan__voucher=voucher)
        .exclude(status=Milestone.Status.DROPPED)
        .order_by("position", "pk")
    )
    return [
        {
            "title": m.title,
            "done": m.status == Milestone.Status.DONE,
            "done_on": m.done_on.strftime("%d.%m.%Y") if m.done_on else "",
        }
        for m in rows
    ]
