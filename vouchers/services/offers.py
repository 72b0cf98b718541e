"""Offers of freed places (rule 11).

A place is freed when a voucher is cancelled before its agreement is signed, when the office
raises a contingent, or when an offer is declined or expires. With ``programme.auto_offer``
(default) the place goes at once as an ``Offer`` to the first Antrag of the ranked queue that
has not had an offer in that period, with a deadline of ``programme.offer_days``; otherwise the
office sees the free place on the queue and offers it with one click (``offer_free_place``).

Locking: every step that changes what a period's contingent holds locks the
``ProgrammePeriod`` row first (as ``approve_application`` does), then the offer / Antrag rows.
An open offer counts against the contingent (it reserves its place), so approvals cannot take
it; accepting converts the reservation into a voucher under the same lock. Expiry re-reads
each due offer under the lock, so two runs at once pass each place on exactly once."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit import log_action
from portal.errors import ContingentExhausted, InvalidTransition, RuleViolation
from portal.models import Programme, ProgrammePeriod
from portal.notifications import send_mail_on_commit
from vouchers.models import Application, Offer, Voucher
from vouchers.services.allocation_log import ensure_seed, record_event, standing
from vouchers.services.applications import applicant_recipients, refuse_if_open_voucher
from vouchers.services.queue import count_allocated, count_open_offers, ranked_queue
from vouchers.services.transitions import A, move, now, require_role

# The concurrency tests switch this off to show that the race is real without the lock.
LOCK_ROWS = True
OfferStatus = Offer.Status


def lock_period(period_id: int) -> ProgrammePeriod:
    """The contingent's row lock (rule 2)."""
    rows = ProgrammePeriod.objects.select_related("programme__operator")
    if LOCK_ROWS:
        rows = rows.select_for_update(of=("self",))
    return rows.get(pk=period_id)


def _lock_offer(offer_id: int) -> Offer:
    rows = Offer.objects.select_related("application__organisation", "application__programme")
    if LOCK_ROWS:
        rows = rows.select_for_update(of=("self",))
    return rows.get(pk=offer_id)


def free_places(period: ProgrammePeriod) -> int:
    """Places neither allocated nor reserved by an open offer (call under the lock to act)."""
    return period.contingent - count_allocated(period) - count_open_offers(period)


def offer_next(period: ProgrammePeriod, *, by, at: dt.datetime | None = None) -> Offer | None:
    """Offer one free place of ``period`` (locked by the caller) to the first Antrag in rank
    that has not had an offer in this period. ``None`` when no place is free or nobody waits.
    ``at``: the moment of the offer (its deadline counts from there; default now)."""
    if period.end < timezone.localdate() or free_places(period) <= 0:
        return None
    ensure_seed(period, by=by)
    programme = period.programme
    candidate = (
        ranked_queue(programme, period=period)
        .exclude(pk__in=Offer.objects.filter(period=period).values("application_id"))
        .first()
    )
    if candidate is None:
        return None
    where = standing(candidate, period)
    offer = Offer.objects.create(
        application=candidate,
        period=period,
        status=OfferStatus.OPEN,
        expires_at=(at or now()) + dt.timedelta(days=programme.offer_days),
        created_by=by if getattr(by, "pk", None) else None,
        tier=where.tier,
        rule=where.rule,
    )
    log_action(
        by,
        "offer.made",
        offer,
        to_state=OfferStatus.OPEN,
        data={"application": candidate.pk, "expires_at": offer.expires_at.isoformat()},
    )
    record_event(
        period, kind="offered", application=candidate, offer=offer, tier=where.tier, rule=where.rule
    )
    send_mail_on_commit(
        "offer_made", applicant_recipients(candidate), {"offer": offer, "application": candidate}
    )
    return offer


def place_freed(period: ProgrammePeriod, *, by) -> Offer | None:
    """A place of ``period`` (locked) became free: offer it when the programme says so."""
    if period.programme.auto_offer:
        return offer_next(period, by=by)
    return None


def offer_free_place(programme: Programme, *, by) -> Offer:
    """Office, one click on the queue: offer a free place of the current period to the first
    Antrag in rank (for programmes without ``auto_offer``)."""
    require_role(by, "office", programme=programme)
    current = programme.current_period()
    if current is None:
        raise ContingentExhausted(
            _("Für dieses Programm ist kein Zeitraum mit Kontingent angelegt.")
        )
    with transaction.atomic():
        period = lock_period(current.pk)
        if free_places(period) <= 0:
            raise ContingentExhausted(_("Im Kontingent ist derzeit kein Platz frei."))
        offer = offer_next(period, by=by)
        if offer is None:
            raise RuleViolation(_("Es wartet kein Antrag, dem der Platz angeboten werden kann."))
    return offer


def change_contingent(period: ProgrammePeriod, *, by, contingent: int) -> ProgrammePeriod:
    """Office: change a period's contingent. It may not fall below what is allocated or
    reserved; each place added is offered (``auto_offer``) to the next in rank."""
    require_role(by, "office", programme=period.programme)
    if not 0 <= contingent <= 100_000:
        raise RuleViolation(_("Bitte geben Sie eine Zahl zwischen 0 und 100000 an."))
    with transaction.atomic():
        locked = lock_period(period.pk)
        taken = count_allocated(locked) + count_open_offers(locked)
        if contingent < taken:
            raise RuleViolation(
                _(
                    "Das Kontingent kann nicht unter %(taken)s sinken: so viele Plätze sind vergeben oder angeboten."
                )
                % {"taken": taken}
            )
        before = locked.contingent
        locked.contingent = contingent
        locked.save(update_fields=["contingent"])
        log_action(
            by, "period.contingent_changed", locked, data={"before": before, "after": contingent}
        )
        record_event(locked, kind="contingent", rule=f"{before} → {contingent}")
        for _place in range(max(contingent - before, 0)):
            if place_freed(locked, by=by) is None:
                break
    period.refresh_from_db()
    return period


def _require_member(user, offer: Offer) -> None:
    if not (
        getattr(user, "role", None) == "applicant"
        and user.organisation_id
        and user.organisation_id == offer.application.organisation_id
    ):
        raise InvalidTransition(
            _("Dieses Platzangebot können nur Mitglieder der Organisation annehmen oder ablehnen.")
        )


def _require_open(offer: Offer, *, at=None) -> None:
    if offer.status != OfferStatus.OPEN:
        raise InvalidTransition(
            _("Dieses Platzangebot ist bereits %(status)s.")
            % {"status": offer.get_status_display()}
        )
    if offer.expires_at <= (at or now()):
        raise InvalidTransition(_("Die Frist dieses Platzangebots ist abgelaufen."))


def accept_offer(offer: Offer, *, by) -> Voucher:
    """A member of the offered Antrag's organisation accepts: the voucher is issued under the
    contingent lock (the offer's reservation becomes the voucher). The office is told, to
    match facilitators where the programme has it do so."""
    from vouchers.services.allocation import issue_voucher

    _require_member(by, offer)
    with transaction.atomic():
        period = lock_period(offer.period_id)
        locked = _lock_offer(offer.pk)
        _require_open(locked)
        application = Application.objects.select_for_update().get(pk=locked.application_id)
        if application.status not in Application.OPEN_STATUSES:
            raise InvalidTransition(_("Der Antrag zu diesem Platzangebot ist nicht mehr offen."))
        refuse_if_open_voucher(application.organisation_id, application.programme_id)
        used = count_allocated(period)
        if used + count_open_offers(period, exclude_application=application) >= period.contingent:
            raise ContingentExhausted(_("Das Kontingent ist ausgeschöpft."))  # never by design
        locked.status = OfferStatus.ACCEPTED
        locked.decided_at = now()
        locked.save(update_fields=["status", "decided_at"])
        log_action(
            by, "offer.accepted", locked, from_state=OfferStatus.OPEN, to_state=OfferStatus.ACCEPTED
        )
        application.organisation = locked.application.organisation
        voucher = issue_voucher(
            application,
            period,
            by=by,
            used=used,
            action_reason=_("Platzangebot angenommen"),
        )
        record_event(
            period,
            kind="accepted",
            application=application,
            voucher=voucher,
            offer=locked,
            tier=locked.tier,
            rule=locked.rule,
        )
        office = period.programme.operator.notification_address
        send_mail_on_commit(
            "offer_accepted_office",
            [office] if office else [],
            {"offer": locked, "application": application, "voucher": voucher},
        )
    offer.refresh_from_db()
    return voucher


def _pass_on(
    locked: Offer, period: ProgrammePeriod, *, by, status: str, reason: str, at=None
) -> None:
    """Close ``locked`` as declined/expired, keep its Antrag waiting, offer the place on."""
    locked.status = status
    locked.decided_at = now()
    locked.save(update_fields=["status", "decided_at"])
    log_action(
        by, f"offer.{status}", locked, from_state=OfferStatus.OPEN, to_state=status, reason=reason
    )
    application = Application.objects.select_for_update().get(pk=locked.application_id)
    if application.status in (A.SUBMITTED, A.IN_REVIEW):
        move(
            application,
            A.WAITLISTED,
            by=by,
            action="application.waitlisted",
            reason=reason,
        )
    record_event(
        period,
        kind=status,
        application=application,
        offer=locked,
        tier=locked.tier,
        rule=locked.rule,
    )
    if application.status in Application.OPEN_STATUSES:
        application.organisation = locked.application.organisation
        send_mail_on_commit(
            f"offer_{status}",
            applicant_recipients(application),
            {"offer": locked, "application": application},
        )
    offer_next(period, by=by, at=at)


def decline_offer(offer: Offer, *, by) -> Offer:
    """A member of the organisation declines; the place goes to the next in rank (never back
    to this Antrag, which stays on the waiting list)."""
    _require_member(by, offer)
    with transaction.atomic():
        period = lock_period(offer.period_id)
        locked = _lock_offer(offer.pk)
        _require_open(locked)
        _pass_on(
            locked, period, by=by, status=OfferStatus.DECLINED, reason=_("Platzangebot abgelehnt")
        )
    offer.refresh_from_db()
    return offer


def expire_offers(*, now: dt.datetime | None = None) -> int:
    """Beat task: open offers past their deadline (or whose Antrag is no longer open) expire
    and pass their place on. Each offer is re-read under the period lock, so it expires
    exactly once however many runs overlap. Returns the number expired by this run."""
    moment = now or timezone.now()
    due = list(
        Offer.objects.filter(status=OfferStatus.OPEN, expires_at__lte=moment).values_list(
            "pk", "period_id"
        )
    ) + list(
        Offer.objects.filter(status=OfferStatus.OPEN, expires_at__gt=moment)
        .exclude(application__status__in=Application.OPEN_STATUSES)
        .values_list("pk", "period_id")
    )
    expired = 0
    for offer_id, period_id in due:
        with transaction.atomic():
            period = lock_period(period_id)
            locked = _lock_offer(offer_id)
            if locked.status != OfferStatus.OPEN:
                continue  # another run (or the applicant) was first
            still_wanted = locked.application.status in Application.OPEN_STATUSES
            if locked.expires_at > moment and still_wanted:
                continue
            _pass_on(
                locked,
                period,
                by=None,
                status=OfferStatus.EXPIRED,
                reason=_("Frist abgelaufen"),
                at=moment,
            )
            expired += 1
    return expired
