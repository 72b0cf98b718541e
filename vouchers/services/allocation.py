"""Approving an Antrag: issuing a voucher within the contingent (rules 2 and 3).

Locking: the ``ProgrammePeriod`` row stands for the contingent. Inside one transaction we lock
it with ``select_for_update()`` *before* counting, so two staff approving at the same moment are
serialised: the second one re-counts after the first has committed and is refused with
``ContingentExhausted`` if nothing is left. The running number of the voucher code is computed
under the same lock. On SQLite the IMMEDIATE transaction mode serialises writers instead.
Open offers (``vouchers.services.offers``) count against the contingent: they reserve their
places, so an approval cannot take them. The period's lottery seed is drawn at its first
allocation (``ensure_seed``), and every allocation is written to the allocation log.

Validity (``valid_until``): today + ``programme.voucher_validity_days``, but never after
``programme.offer_ends`` when the programme has an end date (Virtuelle Begleitung: "bis zum
Jahresende"). We deliberately do *not* cut it at the end of the programme period: the period
only decides which contingent a voucher counts against, and a voucher issued in December must
still leave time for a 16-hour process.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit import log_action
from portal.errors import ContingentExhausted, InvalidTransition, RuleViolation
from portal.models import FacilitatorProfile, Organisation, Programme, ProgrammePeriod
from portal.notifications import send_mail_on_commit
from vouchers.hooks import run_admission_checks
from vouchers.models import Application, Offer, Voucher
from vouchers.services.allocation_log import ensure_seed, record_event, standing
from vouchers.services.applications import (
    applicant_recipients,
    refuse_if_open_voucher,
)
from vouchers.services.queue import count_allocated, count_open_offers
from vouchers.services.transitions import A, move, now, require_role, require_state

MAX_FACILITATORS = 2
_CODE_TAIL = re.compile(r"-(\d+)$")


def _profiles(facilitators: Iterable | None) -> list[FacilitatorProfile]:
    """Accept FacilitatorProfile objects or their users; drop duplicates, keep order."""
    result: list[FacilitatorProfile] = []
    for item in facilitators or ():
        profile = getattr(item, "facilitator_profile", item)
        if not isinstance(profile, FacilitatorProfile):
            raise RuleViolation(_("Bitte wählen Sie eine Prozessbegleiter*in aus der Übersicht."))
        if profile.pk not in {p.pk for p in result}:
            result.append(profile)
    return result


def valid_until_for(programme: Programme, *, today: dt.date | None = None) -> dt.date:
    today = today or timezone.localdate()
    end = today + dt.timedelta(days=programme.voucher_validity_days)
    if programme.offer_ends:
        end = min(end, programme.offer_ends)
    return end


def next_code(programme: Programme, period: ProgrammePeriod) -> str:
    """``PB-2027-0042``: prefix, year of the period, running number within that prefix and
    year. Call with the period row locked."""
    prefix = f"{programme.code_prefix}-{period.start.year}-"
    codes = Voucher.objects.filter(code__startswith=prefix).values_list("code", flat=True)
    numbers = [int(m.group(1)) for c in codes if (m := _CODE_TAIL.search(c))]
    return f"{prefix}{max(numbers, default=0) + 1:04d}"


def _create_voucher(application: Application, period: ProgrammePeriod, *, by) -> Voucher:
    programme = application.programme
    voucher = Voucher(
        application=application,
        organisation_id=application.organisation_id,
        programme=programme,
        period=period,
        status=Voucher.Status.ISSUED,
        cap_minutes=programme.cap_minutes,
        cap_units=programme.cap_units,
        cap_units_in_process=programme.cap_units_in_process,
        valid_until=valid_until_for(programme),
        issued_at=now(),
        issued_by=by,
    )
    # Two programmes may share a prefix (their periods are locked separately): the unique code
    # is the backstop, and a clash just takes the next number.
    for _attempt in range(5):
        voucher.code = next_code(programme, period)
        try:
            with transaction.atomic():
                voucher.save(force_insert=True)
            return voucher
        except IntegrityError:
            voucher.pk = None
            if not Voucher.objects.filter(code=voucher.code).exists():
                raise
    raise RuleViolation(
        _("Der Gutscheincode konnte nicht vergeben werden. Bitte erneut versuchen.")
    )


def approve_application(application: Application, *, by, facilitators=()) -> Voucher:
    """Office: approve an open Antrag and issue its voucher within the contingent.

    ``facilitators``: 0, 1 or 2 FacilitatorProfiles or their users. With none given in a
    free-choice programme the applicant's preferred facilitator is assigned."""
    require_role(by, "office", programme=application.programme)
    run_admission_checks(application, facilitators)  # programme_work: Beschluss, team
    profiles = _profiles(facilitators)
    if len(profiles) > MAX_FACILITATORS:
        raise RuleViolation(_("Eine Begleitung übernehmen höchstens zwei Prozessbegleiter*innen."))
    if any(not p.active for p in profiles):
        raise RuleViolation(_("Eine ausgewählte Prozessbegleiter*in ist derzeit nicht aktiv."))

    with transaction.atomic():
        period = application.programme.current_period()
        if period is None:
            raise ContingentExhausted(
                _("Für dieses Programm ist kein Zeitraum mit Kontingent angelegt.")
            )
        # The contingent's row lock: everything below is serialised per period.
        period = ProgrammePeriod.objects.select_for_update().get(pk=period.pk)
        locked = Application.objects.select_for_update().get(pk=application.pk)
        if locked.status not in Application.OPEN_STATUSES:
            raise InvalidTransition(
                _("Dieser Antrag ist im Status „%(status)s“ und kann nicht bewilligt werden.")
                % {"status": locked.get_status_display()}
            )
        require_state(locked, Application.OPEN_STATUSES, A.APPROVED)
        programme = locked.programme
        if programme.offer_ends and programme.offer_ends < timezone.localdate():
            raise RuleViolation(_("Das Angebot dieses Programms ist beendet."))
        used = count_allocated(period)
        # Open offers reserve their places (rule 11); the Antrag's own offer is its place.
        reserved = count_open_offers(period, exclude_application=locked)
        if used + reserved >= period.contingent:
            if reserved:
                raise ContingentExhausted(
                    _(
                        "Das Kontingent für %(period)s ist ausgeschöpft: %(used)s von %(total)s "
                        "Gutscheinen sind vergeben, %(offered)s Plätze sind angeboten und bis zum "
                        "Ende ihrer Frist reserviert."
                    )
                    % {
                        "period": period.name,
                        "used": used,
                        "total": period.contingent,
                        "offered": reserved,
                    }
                )
            raise ContingentExhausted(
                _(
                    "Das Kontingent für %(period)s ist ausgeschöpft: %(used)s von %(total)s "
                    "Gutscheinen sind vergeben."
                )
                % {"period": period.name, "used": used, "total": period.contingent}
            )
        refuse_if_open_voucher(locked.organisation_id, locked.programme_id)
        if not profiles and programme.applicant_chooses and locked.preferred_facilitator_id:
            profiles = [locked.preferred_facilitator]
        ensure_seed(period, by=by)
        where = standing(locked, period)
        own_offer = (
            Offer.objects.select_for_update()
            .filter(application=locked, period=period, status=Offer.Status.OPEN)
            .first()
        )
        if own_offer is not None:
            own_offer.status = Offer.Status.ACCEPTED
            own_offer.decided_at = now()
            own_offer.save(update_fields=["status", "decided_at"])
            log_action(by, "offer.accepted", own_offer, from_state="open", to_state="accepted")
        voucher = issue_voucher(locked, period, by=by, used=used, facilitators=profiles)
        record_event(
            period,
            kind="allocated",
            application=locked,
            voucher=voucher,
            offer=own_offer,
            tier=where.tier,
            rule=where.rule,
        )
    return voucher


def issue_voucher(
    application: Application,
    period: ProgrammePeriod,
    *,
    by,
    used: int,
    facilitators: list[FacilitatorProfile] | None = None,
    action_reason: str = "",
) -> Voucher:
    """Create the voucher of an open ``application`` (row locked) in ``period`` (row locked,
    contingent checked by the caller), approve the Antrag, audit and email after commit."""
    programme = application.programme
    profiles = list(facilitators or [])
    if not profiles and programme.applicant_chooses and application.preferred_facilitator_id:
        profiles = [application.preferred_facilitator]
    voucher = _create_voucher(application, period, by=by)
    if profiles:
        voucher.facilitators.add(*profiles)
    move(
        application,
        A.APPROVED,
        by=by,
        action="application.approved",
        reason=action_reason,
        fields={"decided_at": now(), "decided_by": by},
        data={"voucher": voucher.code},
    )
    log_action(
        by,
        "voucher.issued",
        voucher,
        to_state=Voucher.Status.ISSUED,
        data={
            "code": voucher.code,
            "period": period.name,
            "contingent_used": used + 1,
            "contingent": period.contingent,
            "facilitators": [p.pk for p in profiles],
        },
    )
    # Organisation is loaded for the email context only (no lock needed).
    application.organisation = Organisation.objects.get(pk=application.organisation_id)
    send_mail_on_commit(
        "application_approved",
        applicant_recipients(application),
        {"application": application, "voucher": voucher, "facilitators": profiles},
    )
    for profile in profiles:
        send_mail_on_commit(
            "facilitator_assigned",
            [profile.user.email],
            {"voucher": voucher, "application": application, "facilitator": profile},
        )
    return voucher


def assign_facilitators(voucher: Voucher, *, by, facilitators) -> Voucher:
    """Office: change the team of an open voucher (one or two facilitators)."""
    require_role(by, "office", programme=voucher.programme)
    profiles = _profiles(facilitators)
    if not 1 <= len(profiles) <= MAX_FACILITATORS:
        raise RuleViolation(_("Bitte wählen Sie eine oder zwei Prozessbegleiter*innen."))
    with transaction.atomic():
        locked = Voucher.objects.select_for_update().get(pk=voucher.pk)
        if not locked.is_open:
            raise InvalidTransition(_("Die Begleitung ist bereits abgeschlossen."))
        before = set(locked.facilitators.values_list("pk", flat=True))
        locked.facilitators.set(profiles)
        log_action(
            by,
            "voucher.facilitators_changed",
            locked,
            data={"before": sorted(before), "after": [p.pk for p in profiles]},
        )
        for profile in profiles:
            if profile.pk not in before:
                send_mail_on_commit(
                    "facilitator_assigned",
                    [profile.user.email],
                    {"voucher": locked, "application": locked.application, "facilitator": profile},
                )
    return voucher
