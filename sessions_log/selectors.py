"""Reads of the session log, already scoped to the user (foreign ids → 404 in views), and
the cap usage of vouchers computed in the database (constant queries for any number of
vouchers and sessions)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import (
    Case,
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
from django.db.models.functions import Coalesce, Greatest

from portal.models import Programme
from portal.scoping import office_scope
from sessions_log.models import SessionEntry
from sessions_log.validators import DEFAULT_UNIT_MINUTES
from vouchers.models import Voucher
from vouchers.selectors import vouchers_visible_to

VIRTUELL = Programme.Kind.VIRTUELL


def sessions_visible_to(user) -> QuerySet[SessionEntry]:
    """Entries on vouchers the user may see: office all; facilitators their assigned cases
    (the whole team's timeline); applicants their organisation's cases."""
    qs = SessionEntry.objects.select_related("voucher", "facilitator__user")
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if user.role in ("office", "admin"):
        return office_scope(qs, user, path="voucher__programme__operator")
    return qs.filter(voucher__in=vouchers_visible_to(user).values("pk"))


def sessions_changeable_by(user) -> QuerySet[SessionEntry]:
    """Entries the user may correct or delete (state permitting): office all; facilitators
    only their own entries on cases they are still assigned to; applicants none."""
    qs = sessions_visible_to(user)
    if not getattr(user, "is_authenticated", False):
        return qs.none()
    if user.role in ("office", "admin"):
        return qs
    if user.role == "facilitator":
        return qs.filter(facilitator__user=user)
    return qs.none()


def _sum_per_voucher(field: str):
    rows = SessionEntry.objects.filter(voucher=OuterRef("pk")).order_by().values("voucher")
    return Coalesce(Subquery(rows.annotate(total=Sum(field)).values("total")), Value(0))


def _sum_per_organisation(field: str, **filters):
    rows = (
        SessionEntry.objects.filter(
            voucher__organisation=OuterRef("organisation"),
            voucher__programme__kind=VIRTUELL,
            **filters,
        )
        .order_by()
        .values("voucher__organisation")
    )
    total = Coalesce(Subquery(rows.annotate(total=Sum(field)).values("total")), Value(0))
    return Case(When(programme__kind=VIRTUELL, then=total), default=Value(0))


def annotate_usage(queryset: QuerySet[Voucher]) -> QuerySet[Voucher]:
    """Annotate each voucher with its cap usage (one query for the whole list).

    Prozessbegleitung counts the voucher's minutes; Virtuelle Begleitung counts the units of
    the organisation's virtuell vouchers together, and those with a facilitator in process.
    ``usage_used_minutes`` and ``usage_remaining_minutes`` are comparable across both kinds
    (units × 60), for filters and sorting. They are aliases, not selected: each would repeat
    the sums' subqueries in the SQL (SQL cannot refer to a column of the same SELECT), and
    ``usage_of`` computes them from the four sums; only a filter or a sort by them puts them
    into the query."""
    integer = IntegerField()
    return queryset.annotate(
        usage_voucher_minutes=_sum_per_voucher("minutes"),
        usage_voucher_units=_sum_per_voucher("units"),
        usage_org_units=_sum_per_organisation("units"),
        usage_org_units_in_process=_sum_per_organisation("units", with_facilitator_in_process=True),
        usage_cap_minutes=Coalesce("cap_minutes", "programme__cap_minutes"),
        usage_cap_units=Coalesce("cap_units", "programme__cap_units"),
        usage_cap_in_process=Coalesce("cap_units_in_process", "programme__cap_units_in_process"),
        usage_unit_minutes=Coalesce("programme__unit_minutes", Value(DEFAULT_UNIT_MINUTES)),
    ).alias(
        usage_used_minutes=Case(
            When(
                programme__kind=VIRTUELL,
                then=F("usage_org_units") * F("usage_unit_minutes"),
            ),
            default=F("usage_voucher_minutes"),
            output_field=integer,
        ),
        usage_remaining_minutes=Case(
            When(
                programme__kind=VIRTUELL,
                then=Greatest(F("usage_cap_units") - F("usage_org_units"), Value(0))
                * F("usage_unit_minutes"),
            ),
            default=Greatest(F("usage_cap_minutes") - F("usage_voucher_minutes"), Value(0)),
            output_field=integer,
        ),
    )


@dataclass(frozen=True)
class Usage:
    """Cap usage of one voucher, ready for templates (no rule computed in templates)."""

    is_virtual: bool
    unit_minutes: int
    cap_minutes: int | None
    used_minutes: int
    remaining_minutes: int | None
    voucher_minutes: int
    voucher_units: int
    cap_units: int | None = None
    used_units: int = 0
    remaining_units: int | None = None
    cap_in_process: int | None = None
    used_in_process: int = 0
    remaining_in_process: int | None = None
    facilitator_in_process: bool | None = None

    @property
    def percent_used(self) -> int:
        cap = self.cap_units if self.is_virtual else self.cap_minutes
        used = self.used_units if self.is_virtual else self.used_minutes
        if not cap:
            return 0
        return min(100, round(100 * used / cap))

    @property
    def percent_in_process(self) -> int:
        if not self.cap_in_process:
            return 0
        return min(100, round(100 * self.used_in_process / self.cap_in_process))

    @property
    def exhausted(self) -> bool:
        return self.remaining_minutes is not None and self.remaining_minutes <= 0


def build_usage(
    *,
    is_virtual: bool,
    unit_minutes: int | None,
    cap_minutes: int | None,
    cap_units: int | None,
    cap_in_process: int | None,
    voucher_minutes: int,
    voucher_units: int,
    org_units: int = 0,
    org_units_in_process: int = 0,
    facilitator_in_process: bool | None = None,
) -> Usage:
    """The one place that turns caps and session totals into ``Usage`` (no query).

    ``cap_*`` are the effective caps (the voucher's own, else the programme's);
    ``org_units*`` count the organisation's virtuell vouchers together."""
    unit = unit_minutes or DEFAULT_UNIT_MINUTES
    if not is_virtual:
        return Usage(
            is_virtual=False,
            unit_minutes=unit,
            cap_minutes=cap_minutes,
            used_minutes=voucher_minutes,
            remaining_minutes=(
                max(cap_minutes - voucher_minutes, 0) if cap_minutes is not None else None
            ),
            voucher_minutes=voucher_minutes,
            voucher_units=0,
            facilitator_in_process=facilitator_in_process,
        )
    remaining_units = max(cap_units - org_units, 0) if cap_units is not None else None
    remaining_ip = (
        max(cap_in_process - org_units_in_process, 0) if cap_in_process is not None else None
    )
    if remaining_ip is not None and remaining_units is not None:
        remaining_ip = min(remaining_ip, remaining_units)
    return Usage(
        is_virtual=True,
        unit_minutes=unit,
        cap_minutes=cap_units * unit if cap_units is not None else None,
        used_minutes=org_units * unit,
        remaining_minutes=remaining_units * unit if remaining_units is not None else None,
        voucher_minutes=voucher_minutes,
        voucher_units=voucher_units,
        cap_units=cap_units,
        used_units=org_units,
        remaining_units=remaining_units,
        cap_in_process=cap_in_process,
        used_in_process=org_units_in_process,
        remaining_in_process=remaining_ip,
        facilitator_in_process=facilitator_in_process,
    )


def usage_of(voucher: Voucher) -> Usage:
    """Build ``Usage`` from a voucher annotated by ``annotate_usage`` (no query)."""
    if not hasattr(voucher, "usage_voucher_minutes"):
        return voucher_usage(voucher)
    return build_usage(
        is_virtual=voucher.programme.kind == VIRTUELL,
        unit_minutes=voucher.usage_unit_minutes,
        cap_minutes=voucher.usage_cap_minutes,
        cap_units=voucher.usage_cap_units,
        cap_in_process=voucher.usage_cap_in_process,
        voucher_minutes=voucher.usage_voucher_minutes,
        voucher_units=voucher.usage_voucher_units,
        org_units=voucher.usage_org_units,
        org_units_in_process=voucher.usage_org_units_in_process,
    )


def voucher_usage(voucher: Voucher) -> Usage:
    """Cap usage of one voucher (one query)."""
    annotated = annotate_usage(
        Voucher.objects.filter(pk=voucher.pk).select_related("programme")
    ).get()
    return usage_of(annotated)


def office_vouchers() -> QuerySet[Voucher]:
    """Running vouchers (active, or closing requested) for the office list, with usage."""
    qs = Voucher.objects.select_related("organisation", "programme").filter(
        Q(status=Voucher.Status.ACTIVE) | Q(status=Voucher.Status.CLOSING_REQUESTED)
    )
    return annotate_usage(qs).order_by("valid_until", "pk")
