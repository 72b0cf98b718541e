"""The allocation log (Vergabeprotokoll) of a programme period: every allocation, offer,
decline, expiry and cancellation in order, with date, tier and the rule that decided
("Rang 1, Eingang 12.11.", "Losentscheid"). Rows are written by the services that make the
steps (``record_event``), in the same transaction; names are shown only where the operator
publishes them (``Operator.publish_allocation_names``)."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.db.models import QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit import log_action
from portal.models import ProgrammePeriod
from vouchers.models import AllocationEvent, Application, Offer
from vouchers.services.lottery import BERLIN
from vouchers.services.queue import count_allocated, count_open_offers, ranked_queue


def rule_text(*, tier: int | None, submitted_at, lottery: bool = False) -> str:
    """ "Rang 1, Eingang 12.11." (+ ", Losentscheid" where the lottery ordered a tie)."""
    if tier is None or submitted_at is None:
        return ""
    text = _("Rang %(tier)s, Eingang %(date)s") % {
        "tier": tier,
        "date": submitted_at.astimezone(BERLIN).strftime("%d.%m."),
    }
    if lottery:
        text += ", " + _("Losentscheid")
    return text


@dataclass(frozen=True)
class Standing:
    """Where an open Antrag stands in the ranked queue of a period right now."""

    tier: int | None
    submitted_at: object
    lottery: bool

    @property
    def rule(self) -> str:
        return rule_text(tier=self.tier, submitted_at=self.submitted_at, lottery=self.lottery)


def standing(application: Application, period: ProgrammePeriod) -> Standing:
    """The tier of ``application`` in ``period``'s queue and whether the lottery ordered it
    (another open Antrag of the same tier and day). Two queries; call before the step
    takes the Antrag out of the queue."""
    queue = ranked_queue(application.programme, period=period)
    row = queue.filter(pk=application.pk).values("tier", "submitted_day", "lottery").first()
    if row is None:
        return Standing(None, application.submitted_at, False)
    tied = bool(row["lottery"]) and (
        queue.filter(tier=row["tier"], submitted_day=row["submitted_day"]).count() > 1
    )
    return Standing(row["tier"], application.submitted_at, tied)


def record_event(
    period: ProgrammePeriod,
    *,
    kind: str,
    application: Application | None = None,
    voucher=None,
    offer: Offer | None = None,
    tier: int | None = None,
    rule: str = "",
) -> AllocationEvent:
    return AllocationEvent.objects.create(
        period=period,
        kind=kind,
        created_at=timezone.now(),
        application=application,
        voucher=voucher,
        offer=offer,
        tier=tier,
        submitted_at=application.submitted_at if application is not None else None,
        rule=rule[:200],
    )


@dataclass(frozen=True)
class PeriodSummary:
    """allocated + offered + free = contingent (free may be 0 when the office lowered it)."""

    period: ProgrammePeriod
    allocated: int
    offered: int

    @property
    def contingent(self) -> int:
        return self.period.contingent

    @property
    def free(self) -> int:
        return max(self.contingent - self.allocated - self.offered, 0)


def period_summary(period: ProgrammePeriod) -> PeriodSummary:
    return PeriodSummary(period, count_allocated(period), count_open_offers(period))


def log_entries(period: ProgrammePeriod, *, names: bool) -> QuerySet[AllocationEvent]:
    """The period's log in order. With ``names`` the organisation comes along (one join)."""
    events = AllocationEvent.objects.filter(period=period).order_by("created_at", "pk")
    if names:
        return events.select_related("application__organisation")
    return events


def ensure_seed(period: ProgrammePeriod, *, by) -> str:
    """Draw the period's seed if it has none (call with the period row locked). Returns it."""
    if period.lottery_seed:
        return period.lottery_seed
    period.lottery_seed = secrets.token_hex(16)
    period.save(update_fields=["lottery_seed"])
    log_action(by, "period.lottery_seed_drawn", period, data={"seed": period.lottery_seed})
    record_event(period, kind="seed", rule=period.lottery_seed)
    return period.lottery_seed
