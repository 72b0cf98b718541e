"""The ranked allocation queue (rule 1) and the contingent figures shown next to it.

The rank is computed in the database: one SELECT whose ``tier`` is a single ``EXISTS`` ("has
ever had a voucher in this programme") in a ``CASE`` arithmetic, ordered by tier, submission
time and id — no sorting in Python. The values that only explain a row (``first_time``,
``weak_or_rural``, the ``rank_reason`` text, ``waiting``) follow from the tier and the
organisation's flags and are filled in as the rows are read, so the database computes them for
the rows shown, not for every open Antrag it sorts.

Ties (rule 11, M40): within a tier, Anträge submitted on the same calendar day are ordered by
the period's lottery (``vouchers.services.lottery``) once its seed is drawn; the reason of
such a row says "Losentscheid"."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import (
    Case,
    CharField,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.db.models.expressions import CombinedExpression
from django.db.models.query import ModelIterable
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.models import Programme, ProgrammePeriod
from vouchers.models import Application, Offer, Voucher
from vouchers.services.lottery import BERLIN, lottery_expression

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


def _tie_key(application) -> tuple | None:
    """(tier, day of submission) of a row drawn by the lottery; ``None`` without a draw."""
    if not getattr(application, "lottery", "") or application.submitted_at is None:
        return None
    return (application.tier, application.submitted_at.astimezone(BERLIN).date())


def _mark_ties(rows):
    """Rows come in rank order, so ties of a tier and day are neighbours: one row of look-ahead
    marks each row that shares its tier and day with the one before or after it."""
    previous, previous_key, previous_tied = None, None, False
    for application in rows:
        key = _tie_key(application)
        tied = key is not None and key == previous_key
        if previous is not None:
            previous.decided_by_lottery = previous_tied or tied
            yield previous
        previous, previous_key, previous_tied = application, key, tied
    if previous is not None:
        previous.decided_by_lottery = previous_tied
        yield previous


class RankedIterable(ModelIterable):
    """Yields the model instances of a ranked query with ``first_time``, ``weak_or_rural``,
    ``rank_reason`` and ``waiting`` set from the row's ``tier`` and its organisation
    (``decided_by_lottery`` and "Losentscheid" in the reason where the lottery ordered a tie)."""

    def __iter__(self):
        lottery = None
        for application in _mark_ties(self._rows()):
            if application.decided_by_lottery:
                lottery = lottery or SEPARATOR + _("Losentscheid")
                application.rank_reason += lottery
            yield application

    def _rows(self):
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


def ranked_queue(
    programme: Programme, *, period: ProgrammePeriod | None = None
) -> QuerySet[Application]:
    """Open Anträge (submitted, in review, waitlisted) of ``programme`` in rank order: tier,
    then day of submission, then — once the period's seed is drawn — the lottery among the
    Anträge of that tier and day, then submission time (first come, first served) and id.
    ``period``: whose seed orders ties (default: the programme's current period). One query
    (the current period's seed is read in the same query)."""
    seed = period.lottery_seed if period is not None else current_seed(programme)
    qs = open_applications(programme).select_related("organisation", "preferred_facilitator__user")
    ranked = annotate_rank(qs).annotate(
        submitted_day=F("submitted_on"), lottery=lottery_expression(seed)
    )
    return ranked.order_by("tier", "submitted_day", "lottery", "submitted_at", "pk")


def current_seed(programme: Programme) -> Subquery:
    """The seed of ``programme.current_period()`` as a scalar subquery (evaluated once): the
    period containing today, else the latest one."""
    today = timezone.localdate()
    current = Case(
        When(start__lte=today, end__gte=today, then=Value(0)),
        default=Value(1),
        output_field=IntegerField(),
    )
    periods = ProgrammePeriod.objects.filter(programme_id=programme.pk).order_by(current, "-start")
    return Subquery(periods.values("lottery_seed")[:1], output_field=CharField())


@dataclass(frozen=True)
class Contingent:
    period: ProgrammePeriod | None
    used: int
    total: int
    offered: int = 0  # places reserved by open offers

    @property
    def left(self) -> int:
        return max(self.total - self.used - self.offered, 0)

    @property
    def exhausted(self) -> bool:
        return self.left == 0


def allocated_vouchers(period: ProgrammePeriod) -> QuerySet[Voucher]:
    """Vouchers that use up the period's contingent (rule 2): all but those cancelled before
    their agreement was signed (a cancellation after signing does not free the place)."""
    return Voucher.objects.filter(period=period).exclude(
        status=Voucher.Status.CANCELLED, activated_at__isnull=True
    )


def count_allocated(period: ProgrammePeriod) -> int:
    return allocated_vouchers(period).count()


def count_open_offers(period: ProgrammePeriod, *, exclude_application=None) -> int:
    """Places reserved by open offers (rule 11)."""
    offers = Offer.objects.filter(period=period, status=Offer.Status.OPEN)
    if exclude_application is not None:
        offers = offers.exclude(application=exclude_application)
    return offers.count()


def contingent_status(programme: Programme) -> Contingent:
    """Used / offered / total of the programme's current period (for display; allocation
    re-counts under the row lock)."""
    period = programme.current_period()
    if period is None:
        return Contingent(None, 0, 0)
    used, offered = (
        ProgrammePeriod.objects.filter(pk=period.pk)
        .annotate(
            used=Count(
                "vouchers",
                filter=~Q(vouchers__status=Voucher.Status.CANCELLED, vouchers__activated_at=None),
                distinct=True,
            ),
            offered=Count("offers", filter=Q(offers__status=Offer.Status.OPEN), distinct=True),
        )
        .values_list("used", "offered")
        .get()
    )
    return Contingent(period, used, period.contingent, offered)
