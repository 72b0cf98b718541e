"""Fixtures of the process-work tests: a FüAk-like accompanied-process programme, an
admitted case with its team of two, and an isolated media directory."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from programme_work.services import admission
from tests.factories import (
    ApplicationFactory,
    FacilitatorFactory,
    OperatorFactory,
    ProgrammeFactory,
    UserFactory,
    VoucherFactory,
)
from tests.pdfs import minimal_pdf


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def pdf_upload(name: str = "beschluss.pdf", data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, minimal_pdf() if data is None else data, "application/pdf")


@pytest.fixture
def fueak(db):
    return OperatorFactory(name="Führungsakademie")


@pytest.fixture
def process_programme(fueak):
    return ProgrammeFactory(kind="begleitprozess", operator=fueak)


@pytest.fixture
def fueak_office(fueak):
    return UserFactory(role="office", operators=[fueak])


@pytest.fixture
def team(db):
    return [FacilitatorFactory(), FacilitatorFactory()]


@pytest.fixture
def case(process_programme, team):
    """An admitted accompanied process (issued, with its team of two)."""
    return VoucherFactory(programme=process_programme, status="issued", facilitators=team)


def submitted_with_decision(programme):
    application = ApplicationFactory(programme=programme, status="submitted")
    member = application.organisation.members.first()
    admission.upload_council_decision(application, by=member, file=pdf_upload())
    return application
