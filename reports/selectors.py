"""Report querysets: scoped to the programme office, annotated in the database.

**Tier (Rangstufe) of a case, as the ranking rule saw it when the office decided** — an
approximation, because neither the queue's tier nor the region flags are stored historically:

- *first-time* = the organisation had no other, not cancelled voucher in the same programme
  issued **before** this voucher (for an application: before its decision, or before now
  while it is undecided; its own voucher never counts);
- *structurally weak or rural* = the organisation's **current** flags (declared or confirmed;
  until the office confirms them the declared flags count, as in the queue).

Tier 1 = first-time and weak/rural · 2 = first-time only · 3 = weak/rural only · 4 = other.
If the office corrects a flag after the decision, the report shows the corrected tier.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import (
    Case,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Concat, Now
from django.utils import timezone

from portal.models import FacilitatorProfile, ProgrammePeriod
from portal.scoping import office_scope
from reports.aggregates import GroupConcat
from sessions_log.models import SessionEntry
from vouchers.models import Application, FeedbackResponse, Voucher

TIER_LABELS = {
    1: "Stufe 1 · Erstantrag und strukturschwach/ländlich",
    2: "Stufe 2 · Erstantrag",
    3: "Stufe 3 · strukturschwach/ländlich",
    4: "Stufe 4 · sonstige",
}


def is_report_user(user) -> bool:
    return bool(user and user.is_authenticated and user.role in ("office", "admin"))


def period_bounds(period: ProgrammePeriod) -> tuple[dt.datetime, dt.datetime]:
    """Aware datetimes [start 00:00, day after end 00:00) in German local time."""
    start = timezone.make_aware(dt.datetime.combine(period.start, dt.time.min))
    end = timezone.make_aware(dt.datetime.combine(period.end + dt.timedelta(days=1), dt.time.min))
    return start, end


def _tier_case(first_time: str, weak: str) -> Case:
    return Case(
        When(Q(**{first_time: True, weak: True}), then=Value(1)),
        When(Q(**{first_time: True}), then=Value(2)),
        When(Q(**{weak: True}), then=Value(3)),
        default=Value(4),
        output_field=IntegerField(),
    )


def _weak_or_rural(prefix: str):
    return Case(
        When(
            Q(**{f"{prefix}structurally_weak": True}) | Q(**{f"{prefix}rural": True}),
            then=Value(True),
        ),
        default=Value(False),
    )


def annotate_voucher_tier(qs: QuerySet[Voucher], prefix: str = "") -> QuerySet:
    """Annotate ``first_time``, ``weak_or_rural`` and ``tier`` of a voucher.

    ``prefix`` is the path to the voucher (``"voucher__"`` for session entries)."""
    earlier = (
        Voucher.objects.filter(
            organisation_id=OuterRef(f"{prefix}organisation_id"),
            programme_id=OuterRef(f"{prefix}programme_id"),
        )
        .filter(
            Q(issued_at__lt=OuterRef(f"{prefix}issued_at"))
            | Q(issued_at=OuterRef(f"{prefix}issued_at"), pk__lt=OuterRef(f"{prefix}pk"))
        )
        .exclude(status=Voucher.Status.CANCELLED)
    )
    return qs.annotate(
        first_time=~Exists(earlier),
        weak_or_rural=_weak_or_rural(f"{prefix}organisation__"),
    ).annotate(tier=_tier_case("first_time", "weak_or_rural"))


def annotate_application_tier(qs: QuerySet[Application]) -> QuerySet:
    earlier = (
        Voucher.objects.filter(
            organisation_id=OuterRef("organisation_id"),
            programme_id=OuterRef("programme_id"),
            issued_at__lt=Coalesce(OuterRef("decided_at"), Now()),
        )
        .exclude(status=Voucher.Status.CANCELLED)
        .exclude(application_id=OuterRef("pk"))
    )
    return qs.annotate(
        first_time=~Exists(earlier),
        weak_or_rural=_weak_or_rural("organisation__"),
    ).annotate(tier=_tier_case("first_time", "weak_or_rural"))


def facilitator_names(voucher_ref: str = "pk") -> Subquery:
    """Comma-separated names of a voucher's facilitators, one subquery (no N+1)."""
    through = Voucher.facilitators.through
    names = (
        through.objects.filter(voucher_id=OuterRef(voucher_ref))
        .values("voucher_id")
        .annotate(
            names=GroupConcat(
                Concat(
                    "facilitatorprofile__user__first_name",
                    Value(" "),
                    "facilitatorprofile__user__last_name",
                )
            )
        )
        .values("names")
    )
    return Subquery(names)


def has_facilitator(profile: FacilitatorProfile, voucher_ref: str = "pk") -> Exists:
    through = Voucher.facilitators.through
    return Exists(
        through.objects.filter(voucher_id=OuterRef(voucher_ref), facilitatorprofile_id=profile.pk)
    )


# --- Report lists -------------------------------------------------------------------------


def applications_report(user) -> QuerySet[Application]:
    if not is_report_user(user):
        return Application.objects.none()
    qs = (
        office_scope(Application.objects, user)
        .exclude(status=Application.Status.DRAFT)
        .annotate(
            voucher_code=F("voucher__code"),
            voucher_pk=F("voucher__pk"),
        )
    )
    return annotate_application_tier(qs)


def vouchers_report(user) -> QuerySet[Voucher]:
    if not is_report_user(user):
        return Voucher.objects.none()
    used = (
        SessionEntry.objects.filter(voucher_id=OuterRef("pk"))
        .values("voucher_id")
        .annotate(m=Sum("minutes"), u=Sum("units"))
    )
    qs = office_scope(Voucher.objects, user).annotate(
        facilitator_names=facilitator_names(),
        # Blank, not 0, where a figure does not apply: hours for unit-based sparring, units
        # for everything else (issue 20, defect 11).
        minutes_used=Case(
            When(programme__kind="virtuell", then=Value(None)),
            default=Coalesce(Subquery(used.values("m")), Value(0)),
        ),
        units_used=Case(
            When(programme__kind="virtuell", then=Coalesce(Subquery(used.values("u")), Value(0))),
            default=Value(None),
        ),
    )
    return annotate_voucher_tier(qs)


def sessions_report(user) -> QuerySet[SessionEntry]:
    if not is_report_user(user):
        return SessionEntry.objects.none()
    return office_scope(SessionEntry.objects, user, path="voucher__programme__operator").annotate(
        facilitator_name=Concat(
            "facilitator__user__first_name", Value(" "), "facilitator__user__last_name"
        ),
    )


def feedback_report(user) -> QuerySet[FeedbackResponse]:
    if not is_report_user(user):
        return FeedbackResponse.objects.none()
    return office_scope(
        FeedbackResponse.objects.all(), user, path="request__voucher__programme__operator"
    )
