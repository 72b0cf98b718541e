"""Demo data of freed places (issue 19): in the DSEE programme an Antrag near the end of the
queue gets a voucher, which is cancelled before signing; its place is offered to the first
Antrag in rank, that offer expires and passes to the next one, whose offer stays open. The programme's allocation log is public.
Idempotent: does nothing once an offer exists."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone

from portal.errors import RuleViolation
from portal.models import Programme, User
from vouchers.models import Offer
from vouchers.services import approve_application, cancel_voucher, expire_offers, ranked_queue

PROGRAMME_SLUG = "prozessbegleitung"


def _office_for(programme: Programme) -> User | None:
    return (
        User.objects.filter(role=User.Role.OFFICE, operators=programme.operator_id)
        .order_by("pk")
        .first()
    )


def seed_offers() -> int:
    """Returns the number of offers made (0 when already seeded or nothing to do)."""
    if Offer.objects.exists():
        return 0
    programme = Programme.objects.filter(slug=PROGRAMME_SLUG).first()
    office = _office_for(programme) if programme else None
    period = programme.current_period() if programme else None
    if office is None or period is None:
        return 0
    queue = list(ranked_queue(programme))
    if len(queue) < 3:
        return 0
    # The last Antrag in rank whose tier has others too gets a voucher and gives it back
    # before signing: the demo's other cases and the queue's four tiers stay as they are.
    tiers = [a.tier for a in queue]
    chosen = next((a for a in reversed(queue) if tiers.count(a.tier) > 1), None)
    if chosen is None:
        return 0
    try:
        voucher = approve_application(chosen, by=office, facilitators=[])
    except RuleViolation:
        return 0
    with transaction.atomic():
        programme.publish_allocation_log = True
        programme.save(update_fields=["publish_allocation_log"])
    cancel_voucher(
        voucher,
        by=office,
        reason="Die Stadt hat den Gutschein vor der Unterschrift zurückgegeben (Demo).",
    )
    first = Offer.objects.filter(period=period, status=Offer.Status.OPEN).first()
    if first is not None:
        # Its deadline passed unanswered: the beat task passes the place to the next in rank.
        Offer.objects.filter(pk=first.pk).update(
            expires_at=timezone.now() - dt.timedelta(minutes=1)
        )
        expire_offers()
    return Offer.objects.filter(period=period).count()
