"""Facilitator utilisation: open cases against capacity and hours logged per month.

Open cases = vouchers in an open state (issued, active, closing requested) the facilitator is
assigned to. Hours per month = minutes of the session entries the facilitator logged, by the
session date, over the last ``months`` calendar months including the current one.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery, Sum, Value
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from portal.models import FacilitatorProfile
from reports.figures import _month_key, month_starts
from sessions_log.models import SessionEntry
from vouchers.models import Voucher

DEFAULT_MONTHS = 12


def month_range(today: dt.date, months: int = DEFAULT_MONTHS) -> list[dt.date]:
    first = today.replace(day=1)
    for _ in range(months - 1):
        first = (first - dt.timedelta(days=1)).replace(day=1)
    return month_starts(first, today, limit=months)


def profiles_with_open_cases(qs: QuerySet[FacilitatorProfile] | None = None) -> QuerySet:
    qs = FacilitatorProfile.objects.all() if qs is None else qs
    return qs.select_related("user").annotate(
        open_cases=Count("vouchers", filter=Q(vouchers__status__in=Voucher.OPEN_STATUSES))
    )


def minutes_by_month(profile_ids, months: list[dt.date]) -> dict[int, dict[dt.date, int]]:
    """{profile id: {month start: minutes}} in one query."""
    out: dict[int, dict[dt.date, int]] = {pk: {} for pk in profile_ids}
    if not months:
        return out
    rows = (
        SessionEntry.objects.filter(facilitator_id__in=list(profile_ids), date__gte=months[0])
        .order_by()
        .annotate(month=TruncMonth("date"))
        .values("facilitator_id", "month")
        .annotate(m=Sum("minutes"))
        .values_list("facilitator_id", "month", "m")
    )
    for pk, month, minutes in rows:
        key = _month_key(month)
        out[pk][key] = out[pk].get(key, 0) + minutes
    return out


@dataclass
class UtilisationRow:
    profile: FacilitatorProfile
    open_cases: int
    capacity: int
    minutes: list[int]  # per month of ``months``

    @property
    def free(self) -> int:
        return max(self.capacity - self.open_cases, 0)

    @property
    def percent(self) -> float | None:
        return self.open_cases * 100 / self.capacity if self.capacity else None

    @property
    def total_minutes(self) -> int:
        return sum(self.minutes)

    @property
    def hours(self) -> list[float]:
        return [m / 60 for m in self.minutes]

    @property
    def total_hours(self) -> float:
        return self.total_minutes / 60


def utilisation_rows(profiles, months: list[dt.date]) -> list[UtilisationRow]:
    """Rows for already annotated profiles (``profiles_with_open_cases``): one more query."""
    profiles = list(profiles)
    by_month = minutes_by_month([p.pk for p in profiles], months)
    return [
        UtilisationRow(
            profile=p,
            open_cases=p.open_cases,
            capacity=p.capacity,
            minutes=[by_month[p.pk].get(m, 0) for m in months],
        )
        for p in profiles
    ]


def open_cases_of(profile: FacilitatorProfile) -> QuerySet[Voucher]:
    used = (
        SessionEntry.objects.filter(voucher_id=OuterRef("pk"))
        .values("voucher_id")
        .annotate(m=Sum("minutes"), u=Sum("units"))
    )
    return (
        Voucher.objects.filter(facilitators=profile, status__in=Voucher.OPEN_STATUSES)
        .select_related("organisation", "programme")
        .annotate(
            minutes_used=Coalesce(
                Subquery(used.values("m")), Value(0), output_field=IntegerField()
            ),
            units_used=Coalesce(Subquery(used.values("u")), Value(0), output_field=IntegerField()),
        )
        .order_by("valid_until", "code")
    )


def today() -> dt.date:
    return timezone.localdate()
