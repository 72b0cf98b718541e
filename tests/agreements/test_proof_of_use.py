"""The proof of use (Verwendungsnachweis, rule 13): drafted from confirmed hours, immutable
numbered PDF/A-2b versions with SHA-256, signed off by the office."""

from __future__ import annotations

import hashlib

import pytest

from agreements.models import ClosingStatement, ProofOfUse
from agreements.pdfa import xmp_info
from agreements.services import (
    accept_proof_of_use,
    generate_proof_of_use,
    submit_closing_statement,
)
from portal.errors import InvalidTransition, RuleViolation
from portal.models import AuditEntry
from sessions_log.services import confirm_entries, log_session
from tests.agreements.conftest import pdf_text, stored_bytes
from tests.factories import OperatorFactory, UserFactory
from vouchers.services import request_closing

pytestmark = pytest.mark.django_db


def _log(voucher, facilitator, minutes, **kwargs):
    from django.utils import timezone

    kwargs.setdefault("date", timezone.localdate())
    return log_session(
        voucher,
        by=facilitator.user,
        minutes=minutes,
        activity="workshop",
        format="vor_ort",
        **kwargs,
    )


@pytest.fixture
def closing_case(issued_voucher, facilitators, partner_applicant):
    """An active case with confirmed hours by both facilitators and one pending entry."""
    issued_voucher.status = "active"
    issued_voucher.save(update_fields=["status"])
    weiss, oeztuerk = facilitators
    confirmed = [
        _log(issued_voucher, weiss, 150),
        _log(issued_voucher, oeztuerk, 90),
        _log(issued_voucher, weiss, 60),
    ]
    confirm_entries(confirmed, by=partner_applicant)
    _log(issued_voucher, oeztuerk, 45)  # pending: not in the proof of use
    request_closing(
        issued_voucher, by=weiss.user, report="Leitbild beschlossen, Steuergruppe arbeitet weiter."
    )
    issued_voucher.refresh_from_db()
    return issued_voucher


def test_proof_of_use_contains_the_case_and_confirmed_hours(
    closing_case, office, partner_applicant
):
    submit_closing_statement(
        closing_case, by=partner_applicant, text="Die Begleitung hat uns sehr geholfen."
    )
    proof = generate_proof_of_use(closing_case, by=office)
    data = stored_bytes(proof.pdf)
    assert proof.sha256 == hashlib.sha256(data).hexdigest()
    text = pdf_text(data)
    assert "Verwendungsnachweis" in text
    assert "Gemeinde Überlingen-Süd" in text
    assert closing_case.code in text
    assert "Ein gemeinsames Leitbild" in text  # goals of the Antrag
    assert "Leitbild beschlossen" in text  # the facilitators' closing report
    assert "Die Begleitung hat uns sehr geholfen." in text  # the organisation's statement
    # Confirmed total: 300 minutes = 5:00 hours (the pending 45 minutes are not counted).
    assert "5:00" in text
    assert "300 Minuten" in text
    assert "345" not in text
    by_facilitator = {row["label"]: row["minutes"] for row in proof.snapshot["by_facilitator"]}
    assert by_facilitator == {"Jürgen Weiß": 210, "Ayşe Öztürk": 90}
    assert "Jürgen Weiß 3:30" in text
    assert "Ayşe Öztürk 1:30" in text
    assert proof.status == ProofOfUse.Status.DRAFT
    assert proof.number == 1


def test_proof_of_use_is_pdfa_2_with_xmp(closing_case, office):
    proof = generate_proof_of_use(closing_case, by=office)
    info = xmp_info(stored_bytes(proof.pdf))
    assert info["part"] == "2"
    assert info["conformance"] == "B"
    assert closing_case.code in info["title"]
    assert info["creators"] == [closing_case.programme.operator.legal_name]


def test_versions_are_numbered_and_immutable(closing_case, office):
    first = generate_proof_of_use(closing_case, by=office)
    second = generate_proof_of_use(closing_case, by=office)
    assert (first.number, second.number) == (1, 2)
    first.sha256 = "0" * 64
    with pytest.raises(InvalidTransition):
        first.save()
    with pytest.raises(InvalidTransition):
        first.delete()
    with pytest.raises(InvalidTransition):
        ProofOfUse.objects.filter(voucher=closing_case).delete()


def test_only_once_closing_is_requested(issued_voucher, office):
    with pytest.raises(InvalidTransition):
        generate_proof_of_use(issued_voucher, by=office)
    assert not ProofOfUse.objects.exists()


def test_office_of_another_operator_and_others_are_refused(
    closing_case, partner_applicant, facilitators
):
    stranger_office = UserFactory(role="office", operators=[OperatorFactory()])
    for who in (stranger_office, partner_applicant, facilitators[0].user):
        with pytest.raises(RuleViolation):
            generate_proof_of_use(closing_case, by=who)


def test_office_accepts_a_draft_once_audited(
    closing_case, office, django_capture_on_commit_callbacks
):
    from django.core import mail

    proof = generate_proof_of_use(closing_case, by=office)
    with django_capture_on_commit_callbacks(execute=True):
        accept_proof_of_use(proof, by=office)
    proof.refresh_from_db()
    assert proof.status == ProofOfUse.Status.ACCEPTED
    assert proof.accepted_by == office
    assert AuditEntry.objects.filter(action="proof_of_use.accepted").count() == 1
    assert len(mail.outbox) == 1
    with pytest.raises(InvalidTransition):
        accept_proof_of_use(proof, by=office)


def test_closing_statement_once_and_only_by_members(
    closing_case, partner_applicant, other_applicant
):
    with pytest.raises(InvalidTransition):
        submit_closing_statement(closing_case, by=other_applicant, text="fremd")
    submit_closing_statement(closing_case, by=partner_applicant, text="Unser Bericht.")
    with pytest.raises(InvalidTransition):
        submit_closing_statement(closing_case, by=partner_applicant, text="noch einmal")
    assert ClosingStatement.objects.get().text == "Unser Bericht."


def test_retention_keeps_cases_five_years_after_the_accepted_proof(closing_case, office, settings):
    import datetime as dt

    from django.utils import timezone

    from reports.gdpr import retention_due

    proof = generate_proof_of_use(closing_case, by=office)
    accept_proof_of_use(proof, by=office)
    long_ago = timezone.now() - dt.timedelta(days=settings.RETENTION_DAYS_AFTER_CLOSE + 10)
    type(closing_case).objects.filter(pk=closing_case.pk).update(
        status="closed", closed_at=long_ago
    )
    assert not retention_due().filter(pk=closing_case.pk).exists()
    later = timezone.now() + dt.timedelta(days=5 * 366)
    assert retention_due(now=later).filter(pk=closing_case.pk).exists()
