"""The ranked allocation queue (rule 1) and the contingent figures shown next to it.

The rank is computed in the database: one SELECT with an ``EXISTS`` for "has ever had a voucher
in this programme" and ``CASE`` expressions for tier and reason — no sorting in Python."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import (
    BooleanField,
    Case,
    CharField,
    DurationField,
    Exists,
    ExpressionWrapper,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Value,
    When,
)
from django.db.models.functions import Concat, Now
from django.utils.translation import gettext as _

from portal.models import Programme, ProgrammePeriod
from vouchers.models import Application, Voucher

SEPARATOR = " · "

WEAK_OR_RURAL = Q(organisation__structurally_weak=True) | Q(organisation__rural=True)


def _had_voucher() -> Exists:
    """The organisation has had a voucher issued in this programme (cancelled ones don't count)."""
    return Exists(
        Voucher.objects.filter(
            organisation_id=OuterRef("organisation_id"), programme_id=OuterRef("programme_id")
        ).exclude(status=Voucher.Status.CANCELLED)
    )


def _text(value: str) -> Value:
    return Value(value, output_field=CharField())


def annotate_rank(queryset: QuerySet[Application]) -> QuerySet[Application]:
    """Add ``first_time``, ``weak_or_rural``, ``tier`` (1–4), ``rank_reason`` and ``waiting``
    (a duration since submission) to ``queryset``, all as SQL expressions."""
    first = Q(first_time=True)
    weak = Q(organisation__structurally_weak=True)
    rural = Q(organisation__rural=True)
    return queryset.annotate(first_time=~_had_voucher()).annotate(
        weak_or_rural=Case(
            When(WEAK_OR_RURAL, then=Value(True)),
            default=Value(False),
            output_field=BooleanField(),
        ),
        tier=Case(
            When(first & WEAK_OR_RURAL, then=Value(1)),
            When(first, then=Value(2)),
            When(WEAK_OR_RURAL, then=Value(3)),
            default=Value(4),
            output_field=IntegerField(),
        ),
        rank_reason=Concat(
            Case(
                When(first, then=_text(_("Erstantrag"))),
                default=_text(_("Folgeantrag")),
                output_field=CharField(),
            ),
            Case(
                When(weak & rural, then=_text(SEPARATOR + _("strukturschwach · ländlich"))),
                When(weak, then=_text(SEPARATOR + _("strukturschwach"))),
                When(rural, then=_text(SEPARATOR + _("ländlich"))),
                default=_text(""),
                output_field=CharField(),
            ),
            Case(
                When(
                    WEAK_OR_RURAL & Q(organisation__flags_confirmed=False),
                    then=_text(SEPARATOR + _("Flags unbestätigt")),
                ),
                default=_text(""),
                output_field=CharField(),
            ),
            output_field=CharField(),
        ),
        waiting=ExpressionWrapper(Now() - F("submitted_at"), output_field=DurationField()),
    )


def ranked_queue(programme: Programme) -> QuerySet[Application]:
    """Open Anträge (submitted, in review, waitlisted) of ``programme`` in rank order:
    tier, then submission time (first come, first served), then id. One query."""
    qs = Application.objects.filter(
        programme=programme, status__in=Application.OPEN_STATUSES
    ).select_related("organisation", "programme", "preferred_facilitator__user")
    return annotate_rank(qs).order_by("tier", "submitted_at", "pk")


@dataclass(frozen=True)
class Contingent:
    period: ProgrammePeriod | None
    used: int
    total: int

    @property
    def left(self) -> int:
        return max(self.total - self.used, 0)

    @property
    def exhausted(self) -> bool:
        return self.left == 0


def count_allocated(period: ProgrammePeriod) -> int:
    """Vouchers that use up the period's contingent: all but cancelled ones."""
    return Voucher.objects.filter(period=period).exclude(status=Voucher.Status.CANCELLED).count()


def contingent_status(programme: Programme) -> Contingent:
    """Used / total of the programme's current period (for display; allocation re-counts
    under the row lock)."""
    period = programme.current_period()
    if period is None:
        return Contingent(None, 0, 0)
    return Contingent(period, count_allocated(period), period.contingent)
