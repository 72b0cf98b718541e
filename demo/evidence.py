"""Demo data of two-sided hours and the proof of use (issue 17): the demo cases' entries get
confirmation states — closed cases confirmed (some deemed), active cases with pending, one
disputed and confirmed entries — and one closed case has an accepted proof of use.
Idempotent: does nothing once a proof of use exists."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from agreements.models import ProofOfUse
from agreements.services import accept_proof_of_use, generate_proof_of_use
from portal.models import User
from sessions_log.models import SessionEntry
from vouchers.models import Voucher

S = SessionEntry.Status
V = Voucher.Status
FINISHED = (V.CLOSING_REQUESTED, V.CLOSED, V.FEEDBACK_SENT, V.FEEDBACK_RECEIVED)


def _office_for(voucher: Voucher) -> User | None:
    return (
        User.objects.filter(role=User.Role.OFFICE, operators=voucher.programme.operator_id)
        .order_by("pk")
        .first()
        or User.objects.filter(role=User.Role.ADMIN).order_by("pk").first()
    )


def _states_for_finished_cases(now) -> None:
    entries = SessionEntry.objects.filter(voucher__status__in=FINISHED, status=S.PENDING)
    for number, entry in enumerate(entries.order_by("pk")):
        entry.status = S.CONFIRMED
        entry.confirmed_at = now
        entry.deemed_confirmed = number % 4 == 3  # some were never answered
        entry.save(update_fields=["status", "confirmed_at", "deemed_confirmed"])


def _states_for_active_cases(now) -> None:
    disputed_one = False
    for voucher in Voucher.objects.filter(status=V.ACTIVE).order_by("pk"):
        member = voucher.organisation.members.filter(role=User.Role.APPLICANT).first()
        entries = list(SessionEntry.objects.filter(voucher=voucher).order_by("date", "pk"))
        # The older half confirmed by the organisation, the newer half still waits.
        for entry in entries[: len(entries) // 2]:
            entry.status = S.CONFIRMED
            entry.confirmed_at = now
            entry.confirmed_by = member
            entry.save(update_fields=["status", "confirmed_at", "confirmed_by"])
        waiting = entries[len(entries) // 2 :]
        if waiting and not disputed_one and member is not None:
            entry = waiting[0]
            entry.status = S.DISPUTED
            entry.disputed_at = now
            entry.disputed_by = member
            entry.dispute_reason = "Die Sitzung hat nach unserem Protokoll nur 90 Minuten gedauert."
            entry.save(update_fields=["status", "disputed_at", "disputed_by", "dispute_reason"])
            disputed_one = True


def _accepted_proof() -> None:
    voucher = (
        Voucher.objects.filter(
            status__in=(V.CLOSED, V.FEEDBACK_SENT, V.FEEDBACK_RECEIVED),
            programme__kind="prozessbegleitung",
            sessions__isnull=False,
        )
        .order_by("pk")
        .first()
    )
    if voucher is None:
        return
    office = _office_for(voucher)
    if office is None:
        return
    proof = generate_proof_of_use(voucher, by=office)
    accept_proof_of_use(proof, by=office)


def seed_evidence() -> None:
    if ProofOfUse.objects.exists():
        return
    now = timezone.now()
    with transaction.atomic():
        _states_for_finished_cases(now)
        _states_for_active_cases(now)
        _accepted_proof()
