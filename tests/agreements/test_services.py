"""Agreement services: versions, signing, paper signature, bulk regeneration."""

from __future__ import annotations

import hashlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from agreements import services
from agreements.models import AgreementVersion, RegenerationRun, SignedAgreement
from portal.errors import InvalidTransition, RuleViolation
from portal.models import AuditEntry
from tests.agreements.conftest import MINIMAL_PDF, make_version, stored_bytes, stored_files
from tests.factories import FacilitatorFactory, UserFactory, VoucherFactory

pytestmark = pytest.mark.django_db


def pdf_upload(name="scan.pdf", data=MINIMAL_PDF, content_type="application/pdf"):
    return SimpleUploadedFile(name, data, content_type=content_type)


# --- generate_agreement -------------------------------------------------------------------


def test_every_call_stores_a_new_numbered_immutable_version(
    issued_voucher, office, django_capture_on_commit_callbacks, mailoutbox
):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.generate_agreement(issued_voucher, by=office)
    first_bytes = stored_bytes(first.pdf)
    assert first.number == 1
    assert first.sha256 == hashlib.sha256(first_bytes).hexdigest()
    assert first.created_by == office
    assert first.created_at is not None
    assert first.snapshot["voucher"]["code"] == issued_voucher.code
    assert [f["name"] for f in first.snapshot["facilitators"]] == ["Ayşe Öztürk", "Jürgen Weiß"]

    # A change of data makes a new version; the first one keeps its bytes.
    issued_voucher.valid_until = issued_voucher.valid_until.replace(day=1)
    issued_voucher.save(update_fields=["valid_until"])
    second = services.generate_agreement(issued_voucher, by=office)
    assert second.number == 2
    assert second.sha256 == hashlib.sha256(stored_bytes(second.pdf)).hexdigest()
    assert second.pdf.name != first.pdf.name
    first.refresh_from_db()
    assert stored_bytes(first.pdf) == first_bytes
    assert first.sha256 == hashlib.sha256(first_bytes).hexdigest()
    assert second.snapshot["voucher"]["valid_until"] != first.snapshot["voucher"]["valid_until"]

    audit = AuditEntry.objects.filter(action="agreement.generated", target_id=issued_voucher.pk)
    assert audit.count() == 2
    assert audit.filter(actor=office, data__version=1).exists()
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == [issued_voucher.organisation.members.get().email]
    assert issued_voucher.code in mailoutbox[0].subject


def test_admin_may_generate_too(issued_voucher):
    admin = UserFactory(role="admin")
    assert services.generate_agreement(issued_voucher, by=admin).number == 1


@pytest.mark.parametrize("role", ["applicant", "facilitator"])
def test_only_office_may_generate(issued_voucher, role):
    user = UserFactory(role=role, organisation=issued_voucher.organisation)
    with pytest.raises(InvalidTransition):
        services.generate_agreement(issued_voucher, by=user)
    assert not AgreementVersion.objects.exists()


def test_no_agreement_for_a_cancelled_voucher(partner, programme, office, media_root):
    voucher = VoucherFactory(organisation=partner, programme=programme, status="cancelled")
    with pytest.raises(InvalidTransition):
        services.generate_agreement(voucher, by=office)
    assert not AgreementVersion.objects.exists()
    assert stored_files(media_root) == []


@pytest.mark.parametrize("status", ["active", "closing_requested", "closed"])
def test_generating_is_allowed_in_any_state_after_issue(partner, programme, office, status):
    voucher = VoucherFactory(organisation=partner, programme=programme, status=status)
    assert services.generate_agreement(voucher, by=office).number == 1


def test_versions_cannot_be_changed_or_deleted(issued_voucher, office):
    version = make_version(issued_voucher, by=office)
    version.sha256 = "0" * 64
    with pytest.raises(InvalidTransition):
        version.save()
    with pytest.raises(InvalidTransition):
        version.delete()
    with pytest.raises(InvalidTransition):
        AgreementVersion.objects.filter(pk=version.pk).update(sha256="0" * 64)
    with pytest.raises(InvalidTransition):
        AgreementVersion.objects.filter(pk=version.pk).delete()
    version.refresh_from_db()
    assert version.sha256 != "0" * 64


# --- signed upload --------------------------------------------------------------------------


def test_applicant_uploads_the_signed_scan(
    issued_voucher, partner_applicant, office, django_capture_on_commit_callbacks, mailoutbox
):
    version = make_version(issued_voucher, by=office)
    with django_capture_on_commit_callbacks(execute=True):
        signed = services.upload_signed_agreement(
            issued_voucher, by=partner_applicant, file=pdf_upload("../../evil name.pdf")
        )
    assert signed.status == SignedAgreement.Status.UPLOADED
    assert signed.version == version
    assert signed.sha256 == hashlib.sha256(MINIMAL_PDF).hexdigest()
    assert signed.size == len(MINIMAL_PDF)
    # The server chooses the name; the user's file name is never used on disk.
    assert signed.file.name == f"signed/{issued_voucher.pk}/{signed.uuid}.pdf"
    assert stored_bytes(signed.file) == MINIMAL_PDF
    assert AuditEntry.objects.filter(action="agreement.uploaded", actor=partner_applicant).exists()
    assert len(mailoutbox) == 1
    # The programme's operator receives the notice, not an address from the settings.
    assert mailoutbox[0].to == [issued_voucher.programme.operator.notification_address]
    assert mailoutbox[0].to == ["programmbuero@muster.example"]


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("vertrag.pdf", b"MZ\x90\x00\x03\x00\x00\x00\x04\x00\x00\x00\xff\xff" + b"\x00" * 64),
        ("vertrag.pdf", b"<!DOCTYPE html><html><script>alert(1)</script></html>"),
        ("vertrag.pdf", b""),
        ("vertrag.pdf", b" %PDF-1.4 leading space"),
    ],
)
def test_non_pdf_content_is_refused_whatever_the_name(
    issued_voucher, partner_applicant, name, data, media_root
):
    make_version(issued_voucher)
    with pytest.raises(RuleViolation):
        services.upload_signed_agreement(
            issued_voucher, by=partner_applicant, file=pdf_upload(name, data)
        )
    assert not SignedAgreement.objects.exists()
    assert stored_files(media_root, "signed") == []


def test_oversized_upload_is_refused(issued_voucher, partner_applicant, settings, media_root):
    make_version(issued_voucher)
    settings.MAX_SIGNED_UPLOAD_BYTES = 1024
    big = MINIMAL_PDF + b"0" * 2048
    with pytest.raises(RuleViolation, match="zu groß"):
        services.upload_signed_agreement(
            issued_voucher, by=partner_applicant, file=pdf_upload(data=big)
        )
    assert not SignedAgreement.objects.exists()
    assert stored_files(media_root, "signed") == []


def test_upload_refused_without_a_version(issued_voucher, partner_applicant, media_root):
    with pytest.raises(RuleViolation, match="noch keine Vereinbarung"):
        services.upload_signed_agreement(issued_voucher, by=partner_applicant, file=pdf_upload())
    assert not SignedAgreement.objects.exists()
    assert stored_files(media_root) == []


def test_upload_by_another_organisation_is_refused(issued_voucher, other_applicant, media_root):
    make_version(issued_voucher)
    with pytest.raises(InvalidTransition):
        services.upload_signed_agreement(issued_voucher, by=other_applicant, file=pdf_upload())
    assert not SignedAgreement.objects.exists()
    assert stored_files(media_root, "signed") == []


def test_upload_refused_once_the_voucher_is_active(partner, programme, partner_applicant):
    voucher = VoucherFactory(organisation=partner, programme=programme, status="active")
    make_version(voucher)
    with pytest.raises(InvalidTransition):
        services.upload_signed_agreement(voucher, by=partner_applicant, file=pdf_upload())
    assert not SignedAgreement.objects.exists()


def test_a_new_upload_supersedes_the_pending_one(issued_voucher, partner_applicant):
    make_version(issued_voucher)
    first = services.upload_signed_agreement(
        issued_voucher, by=partner_applicant, file=pdf_upload()
    )
    second = services.upload_signed_agreement(
        issued_voucher, by=partner_applicant, file=pdf_upload()
    )
    first.refresh_from_db()
    assert first.status == SignedAgreement.Status.SUPERSEDED
    assert second.status == SignedAgreement.Status.UPLOADED


# --- office decisions -------------------------------------------------------------------------


def test_office_confirms_and_the_voucher_becomes_active(
    issued_voucher, partner_applicant, office, django_capture_on_commit_callbacks, mailoutbox
):
    make_version(issued_voucher)
    signed = services.upload_signed_agreement(
        issued_voucher, by=partner_applicant, file=pdf_upload()
    )
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.confirm_signed_agreement(signed, by=office)
    issued_voucher.refresh_from_db()
    signed.refresh_from_db()
    assert issued_voucher.status == "active"
    assert issued_voucher.activated_at is not None
    assert signed.status == SignedAgreement.Status.CONFIRMED
    assert signed.decided_by == office
    assert AuditEntry.objects.filter(action="agreement.confirmed", actor=office).exists()
    assert AuditEntry.objects.filter(
        action="voucher.activated", target_id=issued_voucher.pk, to_state="active"
    ).exists()
    subjects = [m.subject for m in mailoutbox]
    assert any("bestätigt" in s and issued_voucher.code in s for s in subjects)


def test_confirming_twice_is_refused(issued_voucher, partner_applicant, office):
    make_version(issued_voucher)
    signed = services.upload_signed_agreement(
        issued_voucher, by=partner_applicant, file=pdf_upload()
    )
    services.confirm_signed_agreement(signed, by=office)
    with pytest.raises(InvalidTransition):
        services.confirm_signed_agreement(signed, by=office)


def test_applicant_cannot_confirm_own_upload(issued_voucher, partner_applicant):
    make_version(issued_voucher)
    signed = services.upload_signed_agreement(
        issued_voucher, by=partner_applicant, file=pdf_upload()
    )
    with pytest.raises(InvalidTransition):
        services.confirm_signed_agreement(signed, by=partner_applicant)
    issued_voucher.refresh_from_db()
    assert issued_voucher.status == "issued"


def test_office_rejects_with_a_reason(
    issued_voucher, partner_applicant, office, django_capture_on_commit_callbacks, mailoutbox
):
    make_version(issued_voucher)
    signed = services.upload_signed_agreement(
        issued_voucher, by=partner_applicant, file=pdf_upload()
    )
    with pytest.raises(RuleViolation):
        services.reject_signed_agreement(signed, by=office, reason="  ")
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.reject_signed_agreement(signed, by=office, reason="Der Stempel fehlt.")
    signed.refresh_from_db()
    issued_voucher.refresh_from_db()
    assert signed.status == SignedAgreement.Status.REJECTED
    assert signed.rejection_reason == "Der Stempel fehlt."
    assert issued_voucher.status == "issued"
    assert AuditEntry.objects.filter(
        action="agreement.rejected", reason="Der Stempel fehlt."
    ).exists()
    assert "Der Stempel fehlt." in mailoutbox[0].body


def test_office_marks_signed_on_paper(
    issued_voucher, office, django_capture_on_commit_callbacks, mailoutbox
):
    version = make_version(issued_voucher)
    with pytest.raises(RuleViolation):
        services.mark_signed_on_paper(issued_voucher, by=office, note="")
    with django_capture_on_commit_callbacks(execute=True):
        signed = services.mark_signed_on_paper(
            issued_voucher, by=office, note="Original per Post am 12.03. erhalten."
        )
    issued_voucher.refresh_from_db()
    assert issued_voucher.status == "active"
    assert signed.on_paper
    assert signed.status == SignedAgreement.Status.CONFIRMED
    assert signed.version == version
    assert not signed.file
    assert AuditEntry.objects.filter(action="agreement.signed_on_paper").exists()
    assert any("Papier" in m.subject for m in mailoutbox)


def test_paper_signature_needs_a_version(issued_voucher, office):
    with pytest.raises(RuleViolation):
        services.mark_signed_on_paper(issued_voucher, by=office, note="Per Post.")
    issued_voucher.refresh_from_db()
    assert issued_voucher.status == "issued"


# --- bulk regeneration -----------------------------------------------------------------------


def test_bulk_regeneration_renews_unsigned_agreements_only(
    programme, partner, office, django_capture_on_commit_callbacks
):
    issued = VoucherFactory(organisation=partner, programme=programme, status="issued")
    active = VoucherFactory(programme=programme, status="active")
    with django_capture_on_commit_callbacks(execute=True):
        run = services.start_regeneration(programme, by=office)
    run.refresh_from_db()
    assert run.status == RegenerationRun.Status.DONE
    assert (run.done, run.total, run.percent) == (1, 1, 100)
    assert issued.agreement_versions.count() == 1
    assert active.agreement_versions.count() == 0
    # A redelivered task does nothing twice.
    services.process_regeneration(run.pk)
    assert issued.agreement_versions.count() == 1


def test_regeneration_continues_where_it_stopped(programme, office):
    vouchers = [VoucherFactory(programme=programme, status="issued") for _ in range(2)]
    run = RegenerationRun.objects.create(
        programme=programme,
        created_by=office,
        voucher_ids=[v.pk for v in vouchers],
        processed_ids=[vouchers[0].pk],
    )
    services.process_regeneration(run.pk)
    run.refresh_from_db()
    assert run.status == RegenerationRun.Status.DONE
    assert vouchers[0].agreement_versions.count() == 0
    assert vouchers[1].agreement_versions.count() == 1


def test_only_office_starts_a_regeneration(programme):
    with pytest.raises(InvalidTransition):
        services.start_regeneration(programme, by=FacilitatorFactory().user)
