"""The audit folder of a case (rule 13): one ZIP, every document, the session log with
confirmation states, the audit trail, feedback figures and a ``sha256sum`` manifest."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from agreements.audit_folder import MANIFEST
from agreements.services import (
    generate_agreement,
    generate_proof_of_use,
    upload_signed_agreement,
    write_audit_folder,
)
from portal.errors import RuleViolation
from sessions_log.services import confirm_entries, dispute_entry, log_session
from tests.agreements.conftest import MINIMAL_PDF
from tests.factories import OperatorFactory, UserFactory
from vouchers.models import FeedbackRequest, FeedbackResponse
from vouchers.services import request_closing

pytestmark = pytest.mark.django_db
LINE = re.compile(r"^([0-9a-f]{64})  (\S.*)$")


@pytest.fixture
def full_case(issued_voucher, facilitators, partner_applicant, office):
    from django.core.files.uploadedfile import SimpleUploadedFile

    generate_agreement(issued_voucher, by=office)
    upload_signed_agreement(
        issued_voucher,
        by=partner_applicant,
        file=SimpleUploadedFile("unterschrieben.pdf", MINIMAL_PDF, "application/pdf"),
    )
    issued_voucher.status = "active"
    issued_voucher.save(update_fields=["status"])
    entries = [
        log_session(
            issued_voucher,
            by=f.user,
            date=timezone.localdate(),
            minutes=m,
            activity="workshop",
            format="vor_ort",
            notes="Notiz",
        )
        for f, m in ((facilitators[0], 120), (facilitators[1], 60), (facilitators[0], 30))
    ]
    confirm_entries(entries[:2], by=partner_applicant)
    dispute_entry(entries[2], by=partner_applicant, reason="Das war kürzer.")
    request_closing(issued_voucher, by=facilitators[0].user, report="Gute Ergebnisse.")
    generate_proof_of_use(issued_voucher, by=office)
    request = FeedbackRequest.objects.create(
        voucher=issued_voucher, recipient_email="kaethe@example.org", nonce="n-audit"
    )
    FeedbackResponse.objects.create(
        request=request,
        satisfaction=5,
        goals_reached=4,
        structure_useful=3,
        would_recommend=True,
        what_helped="Persönliche Erfahrung von Käthe",
    )
    issued_voucher.refresh_from_db()
    return issued_voucher


def _zip(voucher, by) -> zipfile.ZipFile:
    out = io.BytesIO()
    write_audit_folder(voucher, by=by, fileobj=out)
    return zipfile.ZipFile(io.BytesIO(out.getvalue()))


def test_manifest_lists_every_other_file_and_digests_match(full_case, office):
    archive = _zip(full_case, office)
    names = set(archive.namelist())
    manifest = archive.read(MANIFEST).decode("utf-8").splitlines()
    listed = {}
    for line in manifest:
        match = LINE.match(line)
        assert match, line
        listed[match.group(2)] = match.group(1)
    assert set(listed) == names - {MANIFEST}
    for name, digest in listed.items():
        assert hashlib.sha256(archive.read(name)).hexdigest() == digest
    assert any(n.startswith("01-antrag/") for n in names)
    assert any(n.startswith("02-entscheidung/") for n in names)
    assert any(n.startswith("03-vereinbarung/") for n in names)
    assert any(n.startswith("04-unterschrieben/") for n in names)
    assert any(n.startswith("05-verwendungsnachweis/") for n in names)


def test_session_log_audit_trail_and_feedback_figures(full_case, office):
    archive = _zip(full_case, office)
    sessions = list(
        csv.DictReader(
            io.StringIO(archive.read("06-sitzungen.csv").decode("utf-8-sig")), delimiter=";"
        )
    )
    assert sorted(row["status"] for row in sessions) == ["confirmed", "confirmed", "disputed"]
    assert [r["widerspruch"] for r in sessions if r["status"] == "disputed"] == ["Das war kürzer."]
    trail = archive.read("07-protokoll.csv").decode("utf-8-sig")
    assert "entry.confirmed" in trail
    assert "proof_of_use.generated" in trail
    feedback = archive.read("08-feedback-kennzahlen.csv").decode("utf-8-sig")
    assert "5;4;3;ja" in feedback
    assert "Käthe" not in feedback
    assert "kaethe@" not in feedback


def test_only_the_operators_office(full_case, partner_applicant, facilitators):
    stranger = UserFactory(role="office", operators=[OperatorFactory()])
    for who in (stranger, partner_applicant, facilitators[0].user):
        with pytest.raises(RuleViolation):
            write_audit_folder(full_case, by=who, fileobj=io.BytesIO())


def test_download_from_the_case_page(client, full_case, office, partner_applicant):
    url = reverse("agreements:audit_folder", args=[full_case.pk])
    client.force_login(partner_applicant)
    assert client.get(url).status_code == 403  # wrong role
    client.force_login(UserFactory(role="office", operators=[OperatorFactory()]))
    assert client.get(url).status_code == 404  # another operator's case
    client.force_login(office)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    data = b"".join(response.streaming_content)
    response.close()  # the server closes the response (and its temporary file)
    assert MANIFEST in zipfile.ZipFile(io.BytesIO(data)).namelist()
