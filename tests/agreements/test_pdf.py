"""Real PDFs, rendered by WeasyPrint and read back with pypdf / poppler."""

from __future__ import annotations

import datetime as dt
import subprocess

import pytest
from PIL import Image

from agreements.markup import render_markup
from agreements.models import AgreementTextBlock
from agreements.pdf import AgreementPDFGenerator, url_fetcher
from agreements.services import generate_agreement
from agreements.snapshot import build_sample_snapshot
from portal.seed_data import FUNDING_NOTICE_FULL, FUNDING_NOTICE_SHORT
from tests.agreements.conftest import (
    footer_total,
    normalise,
    page_count,
    pdf_text,
    stored_bytes,
)
from tests.factories import (
    ApplicationFactory,
    OperatorFactory,
    ProgrammeFactory,
    UserFactory,
    VoucherFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def fueak():
    """An operator like the Führungsakademie of seed 002, with its two contact persons."""
    return OperatorFactory(
        name="Führungsakademie Baden-Württemberg",
        legal_name="Führungsakademie Baden-Württemberg",
        office_name="Programmbüro Integration durch BE",
        represented_by="Dr. Christine Dörner",
        contacts=[
            {"name": "Dr. Christine Dörner", "email": "christine.doerner@fueak.example"},
            {"name": "Martin Schwarz", "email": "martin.schwarz@fueak.example"},
        ],
    )


@pytest.fixture
def process_voucher(fueak, partner, facilitators):
    """A FüAk accompanied process (seed 002) with its Antrag and its moderation team."""
    programme = ProgrammeFactory(kind="begleitprozess", operator=fueak)
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


def test_agreement_pdf_contains_everything_seed_002_requires(process_voucher, fueak):
    office = UserFactory(role="office", operators=[fueak])
    version = generate_agreement(process_voucher, by=office)
    data = stored_bytes(version.pdf)
    text = pdf_text(data)

    assert version.snapshot["document"] == "vereinbarung"
    assert "Vereinbarung über die Durchführung einer Prozessbegleitung" in text
    # Parties: the programme's operator, the partner with umlauts and its contact.
    assert "Führungsakademie Baden-Württemberg" in text
    assert "vertreten durch Dr. Christine Dörner" in text
    assert "Gemeinde Überlingen-Süd" in text
    assert "Münsterplatz 4" in text
    assert "Käthe Müller-Lüdenscheidt" in text
    # Section 1 with the goals of this Antrag; section 2 with the nine building blocks.
    assert "1. Inhalt und Ziele der Prozessbegleitung" in text
    assert "Ein gemeinsames Leitbild für das Engagement in Überlingen-Süd." in text
    assert "Neun Prozessbausteine" in text
    for n in range(1, 10):
        assert f"Baustein {n}" in text
    assert "drei Netzwerktreffen" in text
    # Section 3: the moderation team by name, contact person, confidentiality, replacement.
    assert "Moderationsteam: Ayşe Öztürk, Jürgen Weiß" in text
    assert "Verschwiegenheit" in text
    assert "adäquaten Ersatz" in text
    # Section 4: no hours, the project period and its end; cancellation, evaluation.
    assert "Arbeitsstunden" not in text
    assert "Projektzeitraums bis 30.11.2027" in text
    assert "Stornoregelung" in text
    assert "Evaluation und an der Dokumentation" in text
    # Section 5: the operator's contact persons.
    assert "5. Ansprechpersonen" in text
    assert "Martin Schwarz" in text
    assert "martin.schwarz@fueak.example" in text
    # The mandatory funding notice, verbatim.
    assert normalise(FUNDING_NOTICE_FULL) in text
    # Signature block for both parties (the council decision).
    assert "Beschluss zur Durchführung der Prozessbegleitung" in text
    assert text.count("Datum, Unterschrift, Stempel") == 2
    # Footer: page numbers and the case in the programme's own word.
    pages = page_count(data)
    assert footer_total(text) == pages
    assert f"Seite {pages} von {pages}" in text
    assert f"Prozessbegleitung {process_voucher.code}" in text


def test_virtual_programme_states_the_sparring_cap(virtual_programme, partner, office):
    voucher = VoucherFactory(
        organisation=partner, programme=virtual_programme, status="issued", application=None
    )
    text = pdf_text(stored_bytes(generate_agreement(voucher, by=office).pdf))
    assert (
        "12 Sparring-Einheiten à 60 Minuten, davon höchstens 5 bei den bereits im Prozess "
        "befindlichen Prozessbegleiter*innen"
    ) in text
    assert "Dauer einer Sparring-Einheit" in text
    assert "Arbeitsstunden" not in text
    # Without an Antrag, the contact person is the organisation's contact user.
    contact = partner.members.get()
    assert str(contact) in text
    assert normalise(FUNDING_NOTICE_FULL) in text


def test_short_form_of_the_notice_when_the_programme_allows_it(partner, office):
    programme = ProgrammeFactory(use_short_notice=True)
    voucher = VoucherFactory(organisation=partner, programme=programme, status="issued")
    version = generate_agreement(voucher, by=office)
    text = pdf_text(stored_bytes(version.pdf))
    assert normalise(FUNDING_NOTICE_SHORT) in text
    assert normalise(FUNDING_NOTICE_FULL) not in text
    assert "im Rahmen des Landesprogramms" not in text
    # Nothing else is dropped: the rest of the notice is all there.
    assert "durchgeführt durch die Führungsakademie Baden-Württemberg." in text
    assert version.snapshot["funding_notice"]["form"] == "short"


def test_cap_with_odd_minutes_uses_a_decimal_comma(partner, office, programme):
    voucher = VoucherFactory(organisation=partner, programme=programme, status="issued")
    voucher.cap_minutes = 450
    voucher.save(update_fields=["cap_minutes"])
    text = pdf_text(stored_bytes(generate_agreement(voucher, by=office).pdf))
    assert "7,5 Arbeitsstunden" in text


def test_page_one_renders_to_a_non_blank_png(issued_voucher, office, tmp_path):
    version = generate_agreement(issued_voucher, by=office)
    pdf_path = tmp_path / "agreement.pdf"
    pdf_path.write_bytes(stored_bytes(version.pdf))
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "50",
            "-f",
            "1",
            "-l",
            "1",
            "-singlefile",
            str(pdf_path),
            str(tmp_path / "page"),
        ],
        check=True,
        timeout=60,
    )
    image = Image.open(tmp_path / "page.png").convert("L")
    non_white = sum(image.histogram()[:200])
    assert non_white > 0.01 * image.width * image.height


def test_text_blocks_edited_in_the_database_are_used_and_escaped(issued_voucher, office):
    programme = issued_voucher.programme
    AgreementTextBlock.objects.create(
        programme=programme,
        key="gutschein-hinweise",
        title="Was Sie beachten sollten",
        body="Geänderte Stornoregel <script>alert(1)</script> für Überlingen.",
        order=200,
    )
    generator = AgreementPDFGenerator(build_sample_snapshot(programme))
    html = generator.get_html()
    assert "&lt;script&gt;" in html
    assert "<script>" not in html
    text = pdf_text(stored_bytes(generate_agreement(issued_voucher, by=office).pdf))
    assert "Geänderte Stornoregel <script>alert(1)</script> für Überlingen." in text


def test_seeded_programmes_have_their_text_blocks_from_the_migration():
    from portal.models import Programme

    pb = Programme.objects.get(slug="prozessbegleitung")
    vb = Programme.objects.get(slug="virtuelle-begleitung")
    keys = set(AgreementTextBlock.objects.filter(programme=pb).values_list("key", flat=True))
    assert {"gutschein-titel", "gutschein-hinweise", "gutschein-kontakt"} <= keys
    assert AgreementTextBlock.objects.filter(programme=vb, key="zusage-datenschutz").exists()
    # The DSEE voucher never got the Führungsakademie's agreement.
    assert not AgreementTextBlock.objects.filter(programme=pb, body__contains="Führungsakademie")


def test_html_has_no_remote_urls(issued_voucher):
    html = AgreementPDFGenerator(build_sample_snapshot(issued_voucher.programme)).get_html()
    assert "http://" not in html
    assert "https://" not in html
    assert "//" not in html.replace("file:///", "")


@pytest.mark.parametrize(
    "url",
    [
        "https://fonts.example.org/font.ttf",
        "http://127.0.0.1:8000/static/agreements/agreement.css",
        "file:///etc/passwd",
        "file:///etc/hostname",
        "data:text/css,body{}",
        "ftp://example.org/x.css",
    ],
)
def test_url_fetcher_refuses_anything_but_our_static_files(url):
    with pytest.raises(ValueError, match="static"):
        url_fetcher().fetch(url)


def test_url_fetcher_refuses_path_traversal_out_of_static():
    from agreements.pdf import static_root

    sneaky = (static_root() / ".." / ".." / "manage.py").as_uri()
    with pytest.raises(ValueError, match="static"):
        url_fetcher().fetch(sneaky)


def test_url_fetcher_serves_our_fonts():
    from agreements.pdf import static_root

    response = url_fetcher().fetch((static_root() / "fonts" / "DejaVuSans.ttf").as_uri())
    assert response.read(4) == b"\x00\x01\x00\x00"


def test_a_remote_image_in_a_text_block_is_not_fetched(programme, caplog):
    """Even HTML that slipped in could not make the renderer go online."""
    generator = AgreementPDFGenerator(build_sample_snapshot(programme))
    html = generator.get_html().replace(
        "</body>", '<img src="https://tracker.example.org/pixel.png"></body>'
    )
    with caplog.at_level("WARNING", logger="agreements.pdf"):
        pdf = generator.get_pdf(html)
    assert pdf.startswith(b"%PDF-")
    assert "refused a url" in caplog.text


def test_markup_lists_headings_and_escaping():
    html = render_markup(
        "Absatz eins\nmit Umbruch.\n\n- Punkt A\n  - Unterpunkt\n- Punkt <B>\n\n"
        "1. Erstens\n2. Zweitens\n\n## Überschrift"
    )
    assert "<p>Absatz eins mit Umbruch.</p>" in html
    assert "<ul><li>Punkt A<ul><li>Unterpunkt</li></ul></li><li>Punkt &lt;B&gt;</li></ul>" in html
    assert '<ol start="1"><li>Erstens</li><li>Zweitens</li></ol>' in html
    assert '<h3 class="sub">Überschrift</h3>' in html


def test_markup_keeps_hyphenated_words_on_one_line():
    html = render_markup("Gefördert durch Baden-Württemberg und Kommune/Landkreis.")
    assert '<span class="nobr">Baden-Württemberg</span>' in html
    assert '<span class="nobr">Kommune/Landkreis.</span>' in html


def test_topics_of_the_antrag_appear(partner, programme, office):
    topic = programme.topics.create(name="Formate zur Beteiligung", order=1)
    application = ApplicationFactory(organisation=partner, programme=programme, status="approved")
    application.topics.add(topic)
    voucher = VoucherFactory(
        organisation=partner, programme=programme, application=application, status="issued"
    )
    version = generate_agreement(voucher, by=office)
    assert version.snapshot["application"]["topics"] == ["Formate zur Beteiligung"]
    assert "Formate zur Beteiligung" in pdf_text(stored_bytes(version.pdf))
