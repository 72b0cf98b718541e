"""Fixtures of the agreement tests: an isolated media directory, a voucher with an Antrag and
two named facilitators, and helpers to read PDFs back."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import re

import pytest
from django.core.files.base import ContentFile
from pypdf import PdfReader

from agreements.models import AgreementVersion
from tests.factories import (
    ApplicationFactory,
    FacilitatorFactory,
    OrganisationFactory,
    UserFactory,
    VoucherFactory,
)
from tests.pdfs import minimal_pdf

MINIMAL_PDF = minimal_pdf()  # a one-page PDF as a scanner would produce it


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Each test writes its files into its own directory, so "nothing stored" is checkable."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def stored_files(media_root, subdir: str = "") -> list:
    base = media_root / subdir if subdir else media_root
    return [p for p in base.rglob("*") if p.is_file()] if base.exists() else []


def pdf_text(data: bytes) -> str:
    """All text of a PDF, whitespace-normalised (line breaks become single spaces)."""
    reader = PdfReader(io.BytesIO(data))
    return normalise(" ".join(page.extract_text() or "" for page in reader.pages))


def stored_bytes(field_file) -> bytes:
    with field_file.open("rb") as handle:
        return handle.read()


def normalise(text: str) -> str:
    return " ".join(text.split())


def page_count(data: bytes) -> int:
    return len(PdfReader(io.BytesIO(data)).pages)


def footer_total(text: str) -> int:
    match = re.search(r"Seite 1 von (\d+)", text)
    return int(match.group(1)) if match else 0


@pytest.fixture
def partner():
    """An organisation whose name needs umlauts to survive."""
    return OrganisationFactory(
        name="Gemeinde Überlingen-Süd", street="Münsterplatz 4", postcode="88662", city="Überlingen"
    )


@pytest.fixture
def partner_applicant(partner):
    return partner.members.get()


@pytest.fixture
def facilitators():
    return [
        FacilitatorFactory(user__first_name="Jürgen", user__last_name="Weiß"),
        FacilitatorFactory(user__first_name="Ayşe", user__last_name="Öztürk"),
    ]


@pytest.fixture
def issued_voucher(partner, programme, facilitators):
    application = ApplicationFactory(
        organisation=partner,
        programme=programme,
        status="approved",
        contact_name="Käthe Müller-Lüdenscheidt",
        contact_email="kaethe@example.org",
        goals="Ein gemeinsames Leitbild für das Engagement in Überlingen-Süd.",
        challenge="Die Kerngruppe ist überlastet.",
    )
    return VoucherFactory(
        organisation=partner,
        programme=programme,
        application=application,
        status="issued",
        valid_until=dt.date(2027, 11, 30),
        facilitators=facilitators,
    )


@pytest.fixture
def other_applicant():
    return OrganisationFactory(name="Stadt Anderswo").members.get()


@pytest.fixture
def unassigned_facilitator():
    return FacilitatorFactory().user


@pytest.fixture
def office():
    return UserFactory(role="office")


def make_version(voucher, *, by=None, number: int | None = None) -> AgreementVersion:
    """A stored version without rendering (for tests about signing, not about the PDF)."""
    number = number or (voucher.agreement_versions.count() + 1)
    data = MINIMAL_PDF + f"% version {number}\n".encode()
    version = AgreementVersion(
        voucher=voucher,
        number=number,
        sha256=hashlib.sha256(data).hexdigest(),
        snapshot={"test": True},
        created_by=by,
    )
    version.pdf.save(f"v{number}.pdf", ContentFile(data), save=False)
    version.save()
    return version
