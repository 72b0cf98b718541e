"""The ranked allocation queue (rule 1) and the contingent figures shown next to it.

The rank is computed in the database: one SELECT whose ``tier`` is a single ``EXISTS`` ("has
ever had a voucher in this programme") in a ``CASE`` arithmetic, ordered by tier, submission
time and id — no sorting in Python. The values that only explain a row (``first_time``,
``weak_or_rural``, the ``rank_reason`` text, ``waiting``) follow from the tier and the
organisation's flags and are filled in as the rows are read, so the database computes them for
the rows shown, not for every open Antrag it sorts."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Case, Exists, IntegerField, OuterRef, Q, QuerySet, Value, When
from django.db.models.expressions import CombinedExpression
from django.db.models.query import ModelIterable
from django.utils import timezone
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


def tier_expression() -> CombinedExpression:
    """Tier 1–4 as ``1 + 2·had_voucher + (not weak_or_rural)``: 1 = first Antrag from a
    structurally weak or rural region, 2 = first Antrag, 3 = weak or rural, 4 = the rest.
    The ``EXISTS`` appears (and is evaluated) once per row."""
    return (
        Value(1)
        + Case(When(_had_voucher(), then=Value(2)), default=Value(0), output_field=IntegerField())
        + Case(When(WEAK_OR_RURAL, then=Value(0)), default=Value(1), output_field=IntegerField())
    )


def rank_reason(*, first_time: bool, weak: bool, rural: bool, flags_confirmed: bool) -> str:
    """The reason shown next to the tier, e.g. "Erstantrag · ländlich · Regionsangaben unbestätigt"."""
    parts = [_("Erstantrag") if first_time else _("Folgeantrag")]
    if weak and rural:
        parts.append(_("strukturschwach · ländlich"))
    elif weak:
        parts.append(_("strukturschwach"))
    elif rural:
        parts.append(_("ländlich"))
    if (weak or rural) and not flags_confirmed:
        parts.append(_("Regionsangaben unbestätigt"))
    return SEPARATOR.join(parts)


class RankedIterable(ModelIterable):
    """Yields the model instances of a ranked query with ``first_time``, ``weak_or_rural``,
    ``rank_reason`` and ``waiting`` set from the row's ``tier`` and its organisation."""

    def __iter__(self):
        now = timezone.now()
        reasons = {}  # at most 16 combinations: each text is translated once per query
        for application in super().__iter__():
            tier = application.tier
            organisation = application.organisation
            application.first_time = tier <= 2
            application.weak_or_rural = tier in (1, 3)
            key = (
                application.first_time,
                organisation.structurally_weak,
                organisation.rural,
                organisation.flags_confirmed,
            )
            if key not in reasons:
                first_time, weak, rural, confirmed = key
                reasons[key] = rank_reason(
                    first_time=first_time, weak=weak, rural=rural, flags_confirmed=confirmed
                )
            application.rank_reason = reasons[key]
            submitted = application.submitted_at
            application.waiting = None if submitted is None else now - submitted
            yield application


def annotate_rank(queryset: QuerySet[Application]) -> QuerySet[Application]:
    """Add ``tier`` (1–4, in SQL) to ``queryset``, and to every row read from it
    ``first_time``, ``weak_or_rural``, ``rank_reason`` (str) and ``waiting`` (the duration
    since submission). The organisation comes along (``select_related``) for the reason."""
    ranked = queryset.select_related("organisation").annotate(tier=tier_expression())
    # Kept by filter(), order_by(), slicing …; values() and friends replace it as usual.
    ranked._iterable_class = RankedIterable
    return ranked


def open_applications(programme: Programme) -> QuerySet[Application]:
    """Open Anträge (submitted, in review, waitlisted) of ``programme``, unranked. Through the
    reverse relation, so every row's ``programme`` is ``programme`` without a join."""
    return programme.applications.filter(status__in=Application.OPEN_STATUSES)


def ranked_queue(programme: Programme) -> QuerySet[Application]:
    """Open Anträge (submitted, in review, waitlisted) of ``programme`` in rank order:
    tier, then submission time (first come, first served), then id. One query."""
    qs = open_applications(programme).select_related("organisation", "preferred_facilitator__user")
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
