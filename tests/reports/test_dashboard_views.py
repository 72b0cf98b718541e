"""Dashboard page, charts (accessible SVG) and the funder report PDF."""

import io
import itertools
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from reports import charts
from reports.figures import programme_dashboard
from reports.pdf import FunderReportPDF, LocalOnlyFetcher
from sessions_log.models import SessionEntry
from tests.factories import (
    ApplicationFactory,
    FacilitatorFactory,
    OrganisationFactory,
    ProgrammeFactory,
    VoucherFactory,
)
from tests.reports import scenario
from vouchers.models import FeedbackRequest, FeedbackResponse

pytestmark = pytest.mark.django_db


_seq = itertools.count()


def _add_data(programme, n):
    f = FacilitatorFactory()
    for _ in range(n):
        i = next(_seq)
        org = OrganisationFactory(rural=i % 2 == 0, bundesland=["BW", "BY", "NW", "SN"][i % 4])
        v = VoucherFactory(
            programme=programme,
            organisation=org,
            facilitators=[f],
            status=["issued", "active", "closed"][i % 3],
        )
        ApplicationFactory(programme=programme, organisation=org, status="approved")
        SessionEntry.objects.create(
            voucher=v,
            facilitator=f,
            date=timezone.localdate(),
            minutes=60,
            activity="workshop",
            format="video",
            status="confirmed",
        )
        req = FeedbackRequest.objects.create(
            voucher=v, recipient_email=f"x{i}@example.org", nonce=f"n-{i}", sent_at=v.issued_at
        )
        FeedbackResponse.objects.create(
            request=req, satisfaction=4, goals_reached=3, structure_useful=5, would_recommend=True
        )


def _count(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def test_dashboard_query_count_is_constant(office_client, django_assert_max_num_queries):
    programme = ProgrammeFactory(contingent=200)
    url = reverse("reports:dashboard") + f"?programme={programme.pk}"
    _add_data(programme, 2)
    small, _ = _count(office_client, url)
    _add_data(programme, 40)
    with django_assert_max_num_queries(small):
        response = office_client.get(url)
    assert response.status_code == 200
    assert small <= 20


def test_dashboard_shows_figures_and_accessible_charts(office_client):
    programme = ProgrammeFactory(contingent=7, name="Prozessbegleitung Kennzahlen")
    _add_data(programme, 3)  # statuses issued, active, closed
    response = office_client.get(reverse("reports:dashboard") + f"?programme={programme.pk}")
    html = response.content.decode()
    assert 'data-figure="contingent">7<' in html
    assert 'data-figure="used">3 (43 %)<' in html
    assert 'data-figure="reserved">1<' in html
    assert 'data-figure="free">4<' in html
    assert "Reserviert" in html
    assert "noch nicht unterschrieben" in html
    # Three charts, each an SVG image with title/desc and a table alternative.
    assert html.count('role="img"') == 3
    for chart_id in ("chart-bundesland", "chart-tier", "chart-monthly"):
        assert f'aria-labelledby="{chart_id}-title {chart_id}-desc"' in html
        assert f'<title id="{chart_id}-title">' in html
    assert html.count("Daten als Tabelle anzeigen") == 3
    assert not re.search(r'(src|href)="https?://', html)  # nothing from third-party hosts


def test_dashboard_period_selection(office_client):
    s = scenario.build()
    url = reverse("reports:dashboard") + f"?programme={s.programme.pk}&period={s.period.pk}"
    html = office_client.get(url).content.decode()
    assert "Jahr 2025" in html
    assert 'data-figure="used">5 (50 %)<' in html
    assert 'data-figure="tier-1">2<' in html
    assert 'data-figure="tier-share-1">40,0 %<' in html  # German decimal comma
    assert 'data-figure="median-decision">7,5<' in html
    assert "9,5 von 80,0 Stunden erfasst" in html
    assert 'data-figure="feedback-rate">75,0 %<' in html


def test_chart_svg_escapes_labels_and_has_table():
    chart = charts.bar_chart("c1", "Titel <b>", [("<script>x</script>", 3), ("Bayern", 1.5)])
    assert "<script>" not in chart.svg
    assert "&lt;script&gt;" in chart.svg
    assert chart.rows == [["<script>x</script>", "3"], ["Bayern", "1,5"]]
    line = charts.line_chart(
        "c2", "Verlauf", ["Jan. 25", "Feb. 25"], [("A", [1, 2]), ("B", [0, 3])]
    )
    assert 'stroke-dasharray="6 4"' in line.svg  # the second series differs by more than colour
    assert line.columns == ["Monat", "A", "B"]


def test_funder_report_pdf_carries_funding_notice_verbatim(office_client):
    s = scenario.build()
    s.programme.funding_notice = (
        "Gefördert aus Mitteln des Ministeriums für Soziales und Integration im Rahmen des "
        "Landesprogramms „Integration durch Bürgerschaftliches Engagement und Zivilgesellschaft“, "
        "durchgeführt durch die Führungsakademie Baden-Württemberg."
    )
    s.programme.save()
    url = reverse("reports:funder_report") + f"?programme={s.programme.pk}&period={s.period.pk}"
    response = office_client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    text = text.replace("- ", "-")
    assert "Bericht an den Fördermittelgeber" in text
    assert "Kontingent" in text
    assert " ".join(s.programme.funding_notice.split()) in text


def test_pdf_fetcher_refuses_remote_and_file_urls():
    fetcher = LocalOnlyFetcher(allowed_protocols={"data"})
    for url in ("https://cdn.example.org/x.css", "http://127.0.0.1/x.png", "file:///etc/passwd"):
        with pytest.raises(ValueError, match="Nicht erlaubte Ressource"):
            fetcher.fetch(url)
    assert fetcher.fetch("data:text/plain,ok").read() == b"ok"


def test_pdf_template_has_no_remote_reference():
    s = scenario.build()
    d = programme_dashboard(s.programme, s.period, today=scenario.TODAY)
    html = FunderReportPDF(d, charts.dashboard_charts(d)).html()
    assert not re.search(r"(src|href)=\"(?!data:)", html)
    assert "@import" not in html
