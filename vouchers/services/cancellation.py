"""Cancelling a voucher (rule 2, rule 11).

Before the agreement is signed (``issued``, no ``activated_at``) a cancellation frees the
place: it returns to the period's contingent and is offered to the next Antrag in rank
(``auto_offer``). After signing (``active``) the place stays used — the contingent counts
the voucher — but the case ends cleanly: it is no longer open, so its facilitators are free
for other cases, and the applicant and the facilitators are told.

The applicant may give an unsigned voucher back itself ("Gutschein zurückgeben",
``return_voucher``): directly, without a confirmation by the office. Nothing has been done
on an unsigned voucher yet, so there is nothing for the office to weigh; the sooner the
place is offered on, the better for the next in rank. The office is told by email."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from portal.errors import InvalidTransition, RuleViolation
from portal.notifications import send_mail_on_commit
from vouchers.models import Voucher
from vouchers.services.allocation_log import record_event
from vouchers.services.applications import applicant_recipients
from vouchers.services.offers import lock_period, place_freed
from vouchers.services.transitions import V, move, now, require_role, require_state

MAX_REASON = 2000


def _cancel(voucher: Voucher, *, by, reason: str, allowed: tuple[str, ...]) -> Voucher:
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(_("Bitte geben Sie einen Grund für die Stornierung an."))
    if len(reason) > MAX_REASON:
        raise RuleViolation(_("Der Grund ist zu lang (höchstens 2000 Zeichen)."))
    with transaction.atomic():
        period = lock_period(voucher.period_id)
        locked = Voucher.objects.select_for_update().get(pk=voucher.pk)
        require_state(locked, allowed, V.CANCELLED)
        frees_place = not locked.is_signed
        move(
            locked,
            V.CANCELLED,
            by=by,
            action="voucher.cancelled",
            reason=reason,
            fields={"cancelled_at": now(), "cancelled_by": by, "cancellation_reason": reason},
            data={"place_freed": frees_place, "period": period.name},
        )
        application = locked.application
        record_event(
            period,
            kind="cancelled" if frees_place else "cancelled_signed",
            application=application,
            voucher=locked,
        )
        context = {"voucher": locked, "reason": reason, "place_freed": frees_place}
        recipients = (
            applicant_recipients(application)
            if application
            else [u.email for u in locked.organisation.contacts()]
        )
        send_mail_on_commit("voucher_cancelled", recipients, context)
        facilitators = [f.user.email for f in locked.facilitators.select_related("user")]
        send_mail_on_commit("voucher_cancelled_facilitator", facilitators, context)
        if frees_place:
            place_freed(period, by=by)
    voucher.refresh_from_db()
    return voucher


def cancel_voucher(voucher: Voucher, *, by, reason: str) -> Voucher:
    """Office of the programme's operator, with a reason; from ``issued`` or ``active``.
    Before signing the place is freed and offered (rule 11); after signing it is not."""
    require_role(by, "office", programme=voucher.programme)
    return _cancel(voucher, by=by, reason=reason, allowed=(V.ISSUED, V.ACTIVE))


def return_voucher(voucher: Voucher, *, by, reason: str) -> Voucher:
    """A member of the organisation gives an unsigned voucher back (directly; the office is
    told). After signing only the office can end the case."""
    if not (
        getattr(by, "role", None) == "applicant"
        and by.organisation_id
        and by.organisation_id == voucher.organisation_id
    ):
        raise InvalidTransition(
            _("Nur Mitglieder der Organisation können den Gutschein zurückgeben.")
        )
    if voucher.is_signed or voucher.status != V.ISSUED:
        raise InvalidTransition(
            _(
                "Nach der Unterschrift der Vereinbarung kann der Gutschein nicht mehr zurückgegeben "
                "werden. Bitte wenden Sie sich an das Programmbüro."
            )
        )
    voucher = _cancel(voucher, by=by, reason=reason, allowed=(V.ISSUED,))
    office = voucher.programme.operator.notification_address
    if office:
        send_mail_on_commit(
            "voucher_returned_office", [office], {"voucher": voucher, "reason": reason}
        )
    return voucher
