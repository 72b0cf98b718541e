"""Agreement pages end to end through the test client: permissions, downloads, uploads,
office decisions, lists with constant query counts, admin."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from agreements.models import AgreementVersion, RegenerationRun, SignedAgreement
from agreements.panels import case_panel, render_case_panel
from portal.models import AuditEntry
from tests.agreements.conftest import MINIMAL_PDF, make_version, stored_bytes, stored_files
from tests.factories import OrganisationFactory, UserFactory, VoucherFactory

pytestmark = pytest.mark.django_db


def download_url(version):
    return reverse("agreements:download", args=[version.pk])


def body(response) -> bytes:
    return b"".join(response.streaming_content)


# --- downloads ------------------------------------------------------------------------------


def test_downloads_only_for_office_applicants_of_the_organisation_and_assigned_facilitators(
    client, issued_voucher, office, partner_applicant, facilitators
):
    version = make_version(issued_voucher, by=office)
    for user in (office, partner_applicant, facilitators[0].user):
        client.force_login(user)
        response = client.get(download_url(version))
        assert response.status_code == 200
        assert response["Content-Type"] == "application/pdf"
        assert response["Content-Disposition"].startswith("attachment;")
        assert (
            f"Vereinbarung-{issued_voucher.code}-Version-1.pdf" in response["Content-Disposition"]
        )
        assert "no-store" in response["Cache-Control"]
        assert body(response) == stored_bytes(version.pdf)


def test_other_organisation_and_unassigned_facilitator_get_404(
    client, issued_voucher, other_applicant, unassigned_facilitator
):
    version = make_version(issued_voucher)
    for user in (other_applicant, unassigned_facilitator):
        client.force_login(user)
        assert client.get(download_url(version)).status_code == 404
        assert client.get(reverse("agreements:detail", args=[issued_voucher.pk])).status_code == 404


def test_anonymous_download_redirects_to_login(client, issued_voucher):
    version = make_version(issued_voucher)
    response = client.get(download_url(version))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_media_files_have_no_public_url(client, issued_voucher):
    version = make_version(issued_voucher)
    assert client.get(version.pdf.url).status_code == 404


def test_signed_copy_download_is_limited_to_office_and_the_organisation(
    client, issued_voucher, partner_applicant, office, facilitators, other_applicant
):
    make_version(issued_voucher)
    client.force_login(partner_applicant)
    client.post(
        reverse("agreements:upload", args=[issued_voucher.pk]),
        {"file": SimpleUploadedFile("scan.pdf", MINIMAL_PDF, content_type="application/pdf")},
    )
    signed = SignedAgreement.objects.get()
    url = reverse("agreements:signed_download", args=[signed.pk])
    for user, status in (
        (office, 200),
        (partner_applicant, 200),
        (facilitators[0].user, 404),
        (other_applicant, 404),
    ):
        client.force_login(user)
        response = client.get(url)
        assert response.status_code == status
        if status == 200:
            assert response["Content-Disposition"].startswith("attachment;")
            assert body(response) == MINIMAL_PDF


# --- upload ---------------------------------------------------------------------------------


def upload(client, voucher, name, data, content_type="application/pdf"):
    return client.post(
        reverse("agreements:upload", args=[voucher.pk]),
        {"file": SimpleUploadedFile(name, data, content_type=content_type)},
    )


def test_upload_form_stores_the_scan_and_tells_the_office(
    client, issued_voucher, partner_applicant, django_capture_on_commit_callbacks, mailoutbox
):
    make_version(issued_voucher)
    client.force_login(partner_applicant)
    page = client.get(reverse("agreements:upload", args=[issued_voucher.pk]))
    assert page.status_code == 200
    assert 'enctype="multipart/form-data"' in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = upload(client, issued_voucher, "Scan Vereinbarung.pdf", MINIMAL_PDF)
    assert response.status_code == 302
    assert response["Location"] == reverse("agreements:detail", args=[issued_voucher.pk])
    signed = SignedAgreement.objects.get()
    assert signed.uploaded_by == partner_applicant
    assert "Scan" not in signed.file.name
    assert len(mailoutbox) == 1
    detail = client.get(response["Location"])
    assert "hochgeladen" in detail.content.decode()


@pytest.mark.parametrize(
    ("name", "data", "content_type"),
    [
        ("setup.exe.pdf", b"MZ\x90\x00" + b"\x00" * 200, "application/pdf"),
        ("vereinbarung.pdf", b"<html><body>nicht unterschrieben</body></html>", "application/pdf"),
        ("vereinbarung.html", b"<html></html>", "text/html"),
    ],
)
def test_upload_of_non_pdf_is_refused_with_a_clear_message(
    client, issued_voucher, partner_applicant, name, data, content_type, media_root
):
    make_version(issued_voucher)
    client.force_login(partner_applicant)
    response = upload(client, issued_voucher, name, data, content_type)
    assert response.status_code == 400
    html = response.content.decode()
    assert "error-summary" in html
    assert "keine PDF-Datei" in html
    assert 'href="#id_file"' in html
    assert not SignedAgreement.objects.exists()
    assert stored_files(media_root, "signed") == []


def test_oversized_upload_is_refused(
    client, issued_voucher, partner_applicant, settings, media_root
):
    make_version(issued_voucher)
    settings.MAX_SIGNED_UPLOAD_BYTES = 2048
    client.force_login(partner_applicant)
    response = upload(client, issued_voucher, "scan.pdf", MINIMAL_PDF + b"x" * 4096)
    assert response.status_code == 400
    assert "zu groß" in response.content.decode()
    assert not SignedAgreement.objects.exists()
    assert stored_files(media_root, "signed") == []


def test_upload_without_a_file_is_refused(client, issued_voucher, partner_applicant):
    make_version(issued_voucher)
    client.force_login(partner_applicant)
    response = client.post(reverse("agreements:upload", args=[issued_voucher.pk]), {})
    assert response.status_code == 400
    assert "Bitte wählen Sie" in response.content.decode()


def test_upload_for_another_organisations_voucher_is_404(
    client, issued_voucher, other_applicant, media_root
):
    make_version(issued_voucher)
    client.force_login(other_applicant)
    response = upload(client, issued_voucher, "scan.pdf", MINIMAL_PDF)
    assert response.status_code == 404
    assert not SignedAgreement.objects.exists()
    assert stored_files(media_root, "signed") == []


def test_upload_before_any_version_is_refused(client, issued_voucher, partner_applicant):
    client.force_login(partner_applicant)
    response = upload(client, issued_voucher, "scan.pdf", MINIMAL_PDF)
    assert response.status_code == 400
    assert "noch keine Vereinbarung" in response.content.decode()
    assert not SignedAgreement.objects.exists()


@pytest.mark.parametrize("role", ["office", "facilitator"])
def test_upload_page_is_for_applicants_only(client, issued_voucher, role, facilitators):
    user = facilitators[0].user if role == "facilitator" else UserFactory(role=role)
    client.force_login(user)
    assert client.get(reverse("agreements:upload", args=[issued_voucher.pk])).status_code == 403


# --- office steps ----------------------------------------------------------------------------


def test_office_generates_a_version_from_the_page(client, issued_voucher, office):
    client.force_login(office)
    response = client.post(reverse("agreements:generate", args=[issued_voucher.pk]))
    assert response.status_code == 302
    version = AgreementVersion.objects.get()
    page = client.get(reverse("agreements:detail", args=[issued_voucher.pk]))
    html = page.content.decode()
    assert version.sha256 in html
    assert "Version 1 der Vereinbarung wurde erzeugt." in html
    assert download_url(version) in html


def test_applicant_cannot_generate(client, issued_voucher, partner_applicant):
    client.force_login(partner_applicant)
    response = client.post(reverse("agreements:generate", args=[issued_voucher.pk]))
    assert response.status_code == 403
    assert not AgreementVersion.objects.exists()


def test_generate_for_a_cancelled_voucher_shows_a_message_not_a_500(
    client, partner, programme, office
):
    voucher = VoucherFactory(organisation=partner, programme=programme, status="cancelled")
    client.force_login(office)
    detail = reverse("agreements:detail", args=[voucher.pk])
    response = client.post(
        reverse("agreements:generate", args=[voucher.pk]), HTTP_REFERER=f"http://testserver{detail}"
    )
    assert response.status_code == 302
    assert "storniert" in client.get(detail).content.decode()
    assert not AgreementVersion.objects.exists()


def test_office_confirms_from_the_page(
    client,
    issued_voucher,
    partner_applicant,
    office,
    django_capture_on_commit_callbacks,
    mailoutbox,
):
    make_version(issued_voucher)
    client.force_login(partner_applicant)
    upload(client, issued_voucher, "scan.pdf", MINIMAL_PDF)
    signed = SignedAgreement.objects.get()
    client.force_login(office)
    page = client.get(reverse("agreements:detail", args=[issued_voucher.pk])).content.decode()
    assert reverse("agreements:confirm", args=[signed.pk]) in page
    mailoutbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("agreements:confirm", args=[signed.pk]))
    assert response.status_code == 302
    issued_voucher.refresh_from_db()
    assert issued_voucher.status == "active"
    assert AuditEntry.objects.filter(action="agreement.confirmed", actor=office).exists()
    assert any(partner_applicant.email in m.to for m in mailoutbox)


def test_applicant_cannot_confirm(client, issued_voucher, partner_applicant):
    make_version(issued_voucher)
    client.force_login(partner_applicant)
    upload(client, issued_voucher, "scan.pdf", MINIMAL_PDF)
    signed = SignedAgreement.objects.get()
    assert client.post(reverse("agreements:confirm", args=[signed.pk])).status_code == 403
    issued_voucher.refresh_from_db()
    assert issued_voucher.status == "issued"


def test_reject_form_requires_a_reason_and_keeps_input(
    client, issued_voucher, partner_applicant, office
):
    make_version(issued_voucher)
    client.force_login(partner_applicant)
    upload(client, issued_voucher, "scan.pdf", MINIMAL_PDF)
    signed = SignedAgreement.objects.get()
    client.force_login(office)
    url = reverse("agreements:reject", args=[signed.pk])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()
    response = client.post(url, {"reason": "Die Unterschrift fehlt auf Seite 5."})
    assert response.status_code == 302
    signed.refresh_from_db()
    assert signed.status == "rejected"
    client.force_login(partner_applicant)
    page = client.get(reverse("agreements:detail", args=[issued_voucher.pk])).content.decode()
    assert "Die Unterschrift fehlt auf Seite 5." in page


def test_paper_signature_form(client, issued_voucher, office):
    make_version(issued_voucher)
    client.force_login(office)
    url = reverse("agreements:paper", args=[issued_voucher.pk])
    response = client.post(url, {"note": ""})
    assert response.status_code == 400
    response = client.post(url, {"note": "Original liegt in der Akte."})
    assert response.status_code == 302
    issued_voucher.refresh_from_db()
    assert issued_voucher.status == "active"
    assert SignedAgreement.objects.get().on_paper


# --- pages and lists --------------------------------------------------------------------------


def test_applicant_page_shows_the_current_version_and_the_next_step(
    client, issued_voucher, partner_applicant
):
    make_version(issued_voucher)
    current = make_version(issued_voucher)
    client.force_login(partner_applicant)
    html = client.get(reverse("agreements:detail", args=[issued_voucher.pk])).content.decode()
    assert download_url(current) in html
    assert reverse("agreements:upload", args=[issued_voucher.pk]) in html
    assert current.sha256 not in html  # the version list with hashes is for the office


@pytest.mark.parametrize("count", [1, 30])
def test_office_detail_page_has_constant_queries(
    client, issued_voucher, office, count, django_assert_max_num_queries
):
    for _ in range(count):
        make_version(issued_voucher, by=office)
    client.force_login(office)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("agreements:detail", args=[issued_voucher.pk]))
    assert response.status_code == 200


@pytest.mark.parametrize("count", [1, 30])
def test_pending_list_is_paginated_with_constant_queries(
    client, office, programme, count, django_assert_max_num_queries
):
    for _ in range(count):
        org = OrganisationFactory()
        voucher = VoucherFactory(organisation=org, programme=programme, status="issued")
        version = make_version(voucher)
        SignedAgreement.objects.create(
            voucher=voucher, version=version, uploaded_by=org.members.get()
        )
    client.force_login(office)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("agreements:pending"))
    assert response.status_code == 200
    assert len(response.context["pending"]) == min(count, 25)


def test_pending_list_is_for_office_only(client, partner_applicant):
    client.force_login(partner_applicant)
    assert client.get(reverse("agreements:pending")).status_code == 403


def test_regeneration_page_starts_a_run_and_shows_progress(client, programme, office, partner):
    voucher = VoucherFactory(organisation=partner, programme=programme, status="issued")
    client.force_login(office)
    assert client.get(reverse("agreements:regenerate")).status_code == 200
    response = client.post(reverse("agreements:regenerate"), {"programme": programme.pk})
    run = RegenerationRun.objects.get()
    assert response.status_code == 302
    assert response["Location"] == run.get_absolute_url()
    page = client.get(run.get_absolute_url())
    assert "von 1 Vereinbarungen" in page.content.decode()
    partial = client.get(run.get_absolute_url(), HTTP_HX_REQUEST="true")
    assert partial.content.decode().lstrip().startswith("<div")
    # The test client runs on_commit callbacks only in transactional tests: run it as the
    # task would, then the page shows it done.
    from agreements.services import process_regeneration

    process_regeneration(run.pk)
    assert voucher.agreement_versions.count() == 1
    assert "abgeschlossen" in client.get(run.get_absolute_url()).content.decode()


def test_regeneration_form_refuses_without_programme(client, office):
    client.force_login(office)
    response = client.post(reverse("agreements:regenerate"), {})
    assert response.status_code == 400
    assert "error-summary" in response.content.decode()


# --- panel and admin --------------------------------------------------------------------------


def test_case_panel_for_each_role(
    issued_voucher, office, partner_applicant, other_applicant, facilitators
):
    version = make_version(issued_voucher, by=office)
    assert case_panel(issued_voucher, other_applicant) is None
    panel = case_panel(issued_voucher, partner_applicant)
    assert panel["template"] == "agreements/partials/case_agreements.html"
    assert panel["context"]["agreement_current"] == version
    assert panel["context"]["agreement_can_upload"] is True
    assert panel["context"]["agreement_can_generate"] is False
    office_panel = case_panel(issued_voucher, office)
    assert office_panel["context"]["agreement_can_generate"] is True
    html = render_case_panel(issued_voucher, facilitators[0].user)
    assert download_url(version) in html
    assert reverse("agreements:upload", args=[issued_voucher.pk]) not in html


def test_admin_versions_are_read_only(client, issued_voucher):
    version = make_version(issued_voucher)
    admin = UserFactory(role="admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    change = reverse("admin:agreements_agreementversion_change", args=[version.pk])
    assert client.get(change).status_code == 200
    response = client.post(change, {"sha256": "0" * 64})
    assert response.status_code == 403
    delete = reverse("admin:agreements_agreementversion_delete", args=[version.pk])
    assert client.post(delete, {"post": "yes"}).status_code == 403
    assert client.get(reverse("admin:agreements_agreementversion_add")).status_code == 403
    version.refresh_from_db()
    assert version.sha256 != "0" * 64


def test_admin_text_block_preview_renders_a_pdf(client):
    from portal.models import Programme

    admin = UserFactory(role="admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    programme = Programme.objects.get(slug="prozessbegleitung")
    response = client.get(
        reverse("admin:agreements_agreementtextblock_preview", args=[programme.pk])
    )
    assert response.status_code == 200
    assert response.content.startswith(b"%PDF-")
    changelist = client.get(reverse("admin:agreements_agreementtextblock_changelist"))
    assert changelist.status_code == 200
