"""Rule 6: each programme issues its own document, naming its own operator and contacts and
never another operator's; the seed 002 funding notice only where the programme asks for it.

Real PDFs: rendered by WeasyPrint, read back with pypdf."""

from __future__ import annotations

import pytest

from agreements import texts
from agreements.services import generate_agreement
from portal.seed_data import FUNDING_NOTICE_FULL
from tests.agreements.conftest import normalise, pdf_text, stored_bytes
from tests.factories import (
    OperatorFactory,
    OrganisationFactory,
    ProgrammeFactory,
    UserFactory,
    VoucherFactory,
)

pytestmark = pytest.mark.django_db

OPERATORS = {
    "dsee": {
        "name": "DSEE – Engagierte Stadt",
        "legal_name": "Deutsche Stiftung für Engagement und Ehrenamt (DSEE)",
        "office_name": "Programmbüro Engagierte Stadt",
        "email": "buero@dsee.example",
        "contacts": [{"name": "Anna Wegenschimmel", "email": "anna@dsee.example"}],
    },
    "fueak": {
        "name": "Führungsakademie Baden-Württemberg",
        "legal_name": "Führungsakademie Baden-Württemberg",
        "office_name": "Programmbüro Integration durch BE",
        "email": "poststelle@fueak.example",
        "contacts": [
            {"name": "Christine Dörner", "email": "christine@fueak.example"},
            {"name": "Martin Schwarz", "email": "martin@fueak.example"},
        ],
    },
    "nrw": {
        "name": "Entwicklungswerkstatt NRW",
        "legal_name": "Entwicklungswerkstatt für kommunale Engagementstrategien in NRW",
        "office_name": "EWS-Leitung",
        "email": "ews@nrw.example",
        "contacts": [{"name": "Ulla Golabeck", "email": "ulla@nrw.example"}],
    },
}

# kind -> (operator, funding notice of the programme, what the document must say)
DOCUMENTS = {
    "prozessbegleitung": (
        "dsee",
        "",
        ["Gutschein für eine Prozessbegleitung", "16 Arbeitsstunden", "gültig bis"],
    ),
    "begleitprozess": (
        "fueak",
        FUNDING_NOTICE_FULL,
        ["Vereinbarung über die Durchführung einer Prozessbegleitung", "Neun Prozessbausteine"],
    ),
    "virtuell": (
        "fueak",
        FUNDING_NOTICE_FULL,
        [
            "Zusage zur Virtuellen Begleitung",
            "12 Sparring-Einheiten à 60 Minuten, davon höchstens 5 bei den bereits im Prozess "
            "befindlichen Prozessbegleiter*innen",
            "freie Wahl der Sparring-Partner*innen",
            "Die Sparrings erfolgen DSGVO-konform.",
        ],
    ),
    "werkstatt": (
        "nrw",
        "",
        [
            "Teilnahmevereinbarung",
            "Teilnahme von je 2 hauptamtlichen Mitarbeiter*innen als Entwicklungsteam",
            "Beitrag zu den Fortbildungskosten",
            "Transfer der Ergebnisse",
        ],
    ),
}


def _words_of(spec: dict) -> list[str]:
    words = [spec["name"], spec["legal_name"], spec["office_name"], spec["email"]]
    for contact in spec["contacts"]:
        words += [contact["name"], contact["email"]]
    return words


@pytest.fixture
def operators():
    return {slug: OperatorFactory(**spec) for slug, spec in OPERATORS.items()}


def _document_text(operators, kind: str, **programme_fields) -> tuple[str, object]:
    slug, notice, _expected = DOCUMENTS[kind]
    programme = ProgrammeFactory(
        kind=kind,
        operator=operators[slug],
        funding_notice=programme_fields.pop("funding_notice", notice),
        **programme_fields,
    )
    voucher = VoucherFactory(
        organisation=OrganisationFactory(name="Gemeinde Überlingen-Süd"),
        programme=programme,
        status="issued",
        facilitators=[],
    )
    office = UserFactory(role="office", operators=[operators[slug]])
    version = generate_agreement(voucher, by=office)
    return pdf_text(stored_bytes(version.pdf)), version


@pytest.mark.parametrize("kind", list(DOCUMENTS))
def test_each_document_names_its_own_operator_and_never_another(operators, kind):
    slug, notice, expected = DOCUMENTS[kind]
    text, version = _document_text(operators, kind)

    assert version.snapshot["document"] == texts.document_for(kind)
    for phrase in expected:
        assert normalise(phrase) in text, phrase
    own = OPERATORS[slug]
    assert own["legal_name"] in text
    for contact in own["contacts"]:
        assert contact["name"] in text
        assert contact["email"] in text
    for other_slug, other in OPERATORS.items():
        if other_slug == slug:
            continue
        for word in _words_of(other):
            assert word not in text, (kind, word)
    # The seed 002 notice verbatim where the programme asks for it, else not at all.
    if notice:
        assert normalise(FUNDING_NOTICE_FULL) in text
    else:
        assert "Gefördert aus Mitteln" not in text
        assert "Führungsakademie" not in text


def test_the_dsee_voucher_letter_names_the_matched_facilitator_and_the_notice_if_set(
    operators,
):
    text, _version = _document_text(
        operators, "prozessbegleitung", funding_notice="Gefördert von der DSEE."
    )
    assert "Gefördert von der DSEE." in text
    assert "wird vom Programmbüro benannt" in text  # no facilitator matched yet


def test_the_seed_002_texts_name_another_operator_when_it_runs_the_programme(operators):
    """The accompanied process run by another operator: its own name, no Führungsakademie."""
    programme = ProgrammeFactory(
        kind="begleitprozess", operator=operators["nrw"], funding_notice=""
    )
    voucher = VoucherFactory(programme=programme, status="issued")
    office = UserFactory(role="office", operators=[operators["nrw"]])
    text = pdf_text(stored_bytes(generate_agreement(voucher, by=office).pdf))
    assert "Neun Prozessbausteine" in text
    assert "Führungsakademie" not in text
    assert OPERATORS["nrw"]["legal_name"] in text
    assert "Gefördert aus Mitteln" not in text


def test_a_kind_without_texts_gets_a_neutral_document_of_its_own_operator(operators, monkeypatch):
    monkeypatch.delitem(texts.DOCUMENTS, "werkstatt")
    text, version = _document_text(operators, "werkstatt")
    assert version.snapshot["document"] == "neutral"
    assert "Vereinbarung" in text
    assert OPERATORS["nrw"]["legal_name"] in text
    assert "Ulla Golabeck" in text
    for other in ("dsee", "fueak"):
        for word in _words_of(OPERATORS[other]):
            assert word not in text


def test_blocks_of_another_document_stored_for_the_programme_are_not_shown(operators):
    """An earlier release copied the seed 002 blocks to every programme: the DSEE letter must
    not show them."""
    from agreements.models import AgreementTextBlock

    slug, _notice, _expected = DOCUMENTS["prozessbegleitung"]
    programme = ProgrammeFactory(kind="prozessbegleitung", operator=operators[slug])
    for key, title, body, order in texts.default_blocks("begleitprozess"):
        AgreementTextBlock.objects.create(
            programme=programme,
            key=key,
            title=title,
            body=body.replace("{kurzname}", "Führungsakademie"),
            order=order,
        )
    from agreements.snapshot import text_blocks

    keys = [block["key"] for block in text_blocks(programme)]
    assert keys
    assert all(key.startswith("gutschein-") for key in keys)
    assert all("Führungsakademie" not in block["body"] for block in text_blocks(programme))
