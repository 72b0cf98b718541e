"""Dashboard figures of a programme period, computed in the database (constant query count).

Definitions (shown on the dashboard as well):

- **used** = vouchers of the period whose status is not ``cancelled``; **reserved** = the part of
  them that is issued but not yet active (agreement not yet signed); **free** = contingent − used.
- **applications of the period** = applications of the programme submitted within the period
  (drafts: created within the period).
- **median days submission → decision**: applications of the period that were approved or
  rejected, ``decided_at − submitted_at``; **approval → signed agreement**: vouchers of the
  period with ``activated_at``, ``activated_at − issued_at`` (a voucher is issued on approval).
- **hours/units used vs allocated**: confirmed minutes (units, rule 10) on the period's not-cancelled
  vouchers against the sum of their caps.
- **ending within 30 days**: open vouchers (issued, active, closing requested) whose
  ``valid_until`` lies between today and today + 30 days.
- **feedback**: response rate = answered / sent requests of the period's vouchers; averages over
  all answers (ratings 1–5), recommendation share = answers that would recommend / answers.
- **monthly line**: applications submitted per month and approvals (vouchers issued, including
  later cancelled ones) per month of the period.
"""

from __future__ import annotations

import datetime as dt
import statistics
from dataclasses import dataclass, field

from django.db.models import Avg, Count, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from portal.models import Bundesland, Programme, ProgrammePeriod
from reports.selectors import TIER_LABELS, annotate_voucher_tier, period_bounds
from sessions_log.models import SessionEntry
from vouchers.models import Application, FeedbackRequest, Voucher

ENDING_SOON_DAYS = 30
ENDING_SOON_LIST_LIMIT = 20


@dataclass
class TierShare:
    tier: int
    label: str
    count: int
    share: float  # percent of used vouchers


@dataclass
class Dashboard:
    programme: Programme
    period: ProgrammePeriod
    today: dt.date
    contingent: int = 0
    used: int = 0
    reserved: int = 0
    free: int = 0
    applications_by_status: list[tuple[str, str, int]] = field(default_factory=list)
    applications_total: int = 0
    tiers: list[TierShare] = field(default_factory=list)
    median_days_to_decision: float | None = None
    median_days_to_agreement: float | None = None
    minutes_used: int = 0
    minutes_allocated: int = 0
    units_used: int = 0
    units_allocated: int = 0
    ending_soon_count: int = 0
    ending_soon: list[Voucher] = field(default_factory=list)
    feedback_sent: int = 0
    feedback_answered: int = 0
    feedback_response_rate: float | None = None  # percent
    feedback_answers: int = 0
    avg_satisfaction: float | None = None
    avg_goals_reached: float | None = None
    avg_structure_useful: float | None = None
    recommend_share: float | None = None  # percent
    by_bundesland: list[tuple[str, str, int]] = field(default_factory=list)
    monthly: list[tuple[dt.date, int, int]] = field(default_factory=list)

    @property
    def is_virtual(self) -> bool:
        return self.programme.is_virtual

    @property
    def hours_used(self) -> float:
        return self.minutes_used / 60

    @property
    def hours_allocated(self) -> float:
        return self.minutes_allocated / 60

    @property
    def used_percent(self) -> float | None:
        return _percent(self.used, self.contingent)


def _percent(part: int, whole: int) -> float | None:
    return part * 100 / whole if whole else None


def _median_days(pairs) -> float | None:
    days = [(end - start).total_seconds() / 86400 for start, end in pairs if start and end]
    return statistics.median(days) if days else None


def month_starts(start: dt.date, end: dt.date, limit: int = 36) -> list[dt.date]:
    months, cur = [], start.replace(day=1)
    while cur <= end and len(months) < limit:
        months.append(cur)
        cur = (cur + dt.timedelta(days=32)).replace(day=1)
    return months


def _month_key(value) -> dt.date:
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value) if timezone.is_aware(value) else value
        return value.date().replace(day=1)
    return value.replace(day=1)


def programme_dashboard(
    programme: Programme, period: ProgrammePeriod, *, today: dt.date | None = None
) -> Dashboard:
    """All dashboard figures of one programme period (11 queries whatever the data size)."""
    today = today or timezone.localdate()
    start, end = period_bounds(period)
    d = Dashboard(programme=programme, period=period, today=today, contingent=period.contingent)
    vouchers = Voucher.objects.filter(period=period).exclude(status=Voucher.Status.CANCELLED)
    soon = Q(
        status__in=Voucher.OPEN_STATUSES,
        valid_until__gte=today,
        valid_until__lte=today + dt.timedelta(days=ENDING_SOON_DAYS),
    )

    # 1: contingent, caps, ending soon
    agg = vouchers.aggregate(
        used=Count("pk"),
        reserved=Count("pk", filter=Q(status=Voucher.Status.ISSUED)),
        minutes_allocated=Coalesce(Sum("cap_minutes"), 0),
        units_allocated=Coalesce(Sum("cap_units"), 0),
        ending_soon=Count("pk", filter=soon),
    )
    d.used, d.reserved = agg["used"], agg["reserved"]
    d.free = max(period.contingent - d.used, 0)
    d.minutes_allocated, d.units_allocated = agg["minutes_allocated"], agg["units_allocated"]
    d.ending_soon_count = agg["ending_soon"]

    # 2: the vouchers ending soon
    d.ending_soon = list(
        vouchers.filter(soon)
        .select_related("organisation")
        .order_by("valid_until", "code")[:ENDING_SOON_LIST_LIMIT]
    )

    # 3: delivered minutes and units: only those the organisation confirmed (rule 10)
    logged = (
        SessionEntry.objects.filter(voucher__in=vouchers)
        .confirmed()
        .aggregate(minutes=Coalesce(Sum("minutes"), 0), units=Coalesce(Sum("units"), 0))
    )
    d.minutes_used, d.units_used = logged["minutes"], logged["units"]

    # 4: applications by status. Drafts are not applications yet: neither a row nor in the
    # total, so that every total is the sum of its rows.
    applications = (
        Application.objects.filter(programme=programme)
        .exclude(status=Application.Status.DRAFT)
        .annotate(ref=Coalesce("submitted_at", "created_at"))
        .filter(ref__gte=start, ref__lt=end)
    )
    counts = dict(
        applications.order_by()
        .values_list("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    d.applications_by_status = [
        (value, label, counts.get(value, 0))
        for value, label in Application.Status.choices
        if value != Application.Status.DRAFT
    ]
    d.applications_total = sum(counts.values())

    # 5 and 6: medians
    d.median_days_to_decision = _median_days(
        applications.filter(
            status__in=(Application.Status.APPROVED, Application.Status.REJECTED),
            submitted_at__isnull=False,
            decided_at__isnull=False,
        ).values_list("submitted_at", "decided_at")
    )
    d.median_days_to_agreement = _median_days(
        vouchers.filter(activated_at__isnull=False).values_list("issued_at", "activated_at")
    )

    # 7: tiers
    tier_counts = dict(
        annotate_voucher_tier(vouchers)
        .order_by()
        .values("tier")
        .annotate(n=Count("pk"))
        .values_list("tier", "n")
    )
    d.tiers = [
        TierShare(t, TIER_LABELS[t], tier_counts.get(t, 0), _percent(tier_counts.get(t, 0), d.used))
        for t in (1, 2, 3, 4)
    ]

    # 8: by Bundesland
    by_land = dict(
        vouchers.order_by()
        .values("organisation__bundesland")
        .annotate(n=Count("pk"))
        .values_list("organisation__bundesland", "n")
    )
    d.by_bundesland = [
        (code, label, by_land[code]) for code, label in Bundesland.choices if by_land.get(code)
    ]

    # 9 and 10: feedback
    # One query: a response belongs to exactly one request (one-to-one), so the LEFT JOIN
    # does not multiply rows and the averages over the joined responses are exact.
    fb = FeedbackRequest.objects.filter(voucher__in=vouchers).aggregate(
        sent=Count("pk", filter=Q(sent_at__isnull=False)),
        answered=Count("pk", filter=Q(sent_at__isnull=False, response__isnull=False)),
        n=Count("response"),
        sat=Avg("response__satisfaction"),
        goals=Avg("response__goals_reached"),
        structure=Avg("response__structure_useful"),
        recommend=Count("response", filter=Q(response__would_recommend=True)),
    )
    d.feedback_sent, d.feedback_answered = fb["sent"], fb["answered"]
    d.feedback_response_rate = _percent(d.feedback_answered, d.feedback_sent)
    answers = fb
    d.feedback_answers = answers["n"]
    d.avg_satisfaction = answers["sat"]
    d.avg_goals_reached = answers["goals"]
    d.avg_structure_useful = answers["structure"]
    d.recommend_share = _percent(answers["recommend"], answers["n"])

    # 11 and 12: monthly applications and approvals
    submitted = _monthly(
        Application.objects.filter(
            programme=programme, submitted_at__gte=start, submitted_at__lt=end
        ),
        "submitted_at",
    )
    approved = _monthly(
        Voucher.objects.filter(programme=programme, issued_at__gte=start, issued_at__lt=end),
        "issued_at",
    )
    d.monthly = [
        (m, submitted.get(m, 0), approved.get(m, 0)) for m in month_starts(period.start, period.end)
    ]
    return d


def _monthly(qs, field_name: str) -> dict[dt.date, int]:
    rows = (
        qs.order_by()
        .annotate(month=TruncMonth(field_name))
        .values("month")
        .annotate(n=Count("pk"))
        .values_list("month", "n")
    )
    out: dict[dt.date, int] = {}
    for month, n in rows:
        key = _month_key(month)
        out[key] = out.get(key, 0) + n
    return out
