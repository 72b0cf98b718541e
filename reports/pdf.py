"""The funder report (Bericht für den Fördermittelgeber) as PDF, rendered by WeasyPrint.

The HTML carries its CSS and charts inline; the URL fetcher refuses everything that is not
a ``data:`` URL, so rendering never reaches the network or the file system."""

from __future__ import annotations

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.text import slugify
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from agreements.pdfa import write_pdfa
from reports.figures import Dashboard


class LocalOnlyFetcher(URLFetcher):
    """Only inline ``data:`` resources; any other URL is refused."""

    def fetch(self, url, headers=None):
        if not url.startswith("data:"):
            raise ValueError(f"Nicht erlaubte Ressource im Bericht: {url[:80]}")
        return super().fetch(url, headers)


class FunderReportPDF:
    """One document: ``FunderReportPDF(dashboard, charts).render() -> bytes``."""

    template_name = "reports/funder_report.html"

    def __init__(self, dashboard: Dashboard, charts: dict):
        self.dashboard = dashboard
        self.charts = charts

    def filename(self) -> str:
        period = slugify(self.dashboard.period.name) or self.dashboard.period.pk
        return f"bericht-{self.dashboard.programme.slug}-{period}.pdf"

    def html(self) -> str:
        return render_to_string(
            self.template_name,
            {
                "d": self.dashboard,
                "charts": self.charts,
                "generated_at": timezone.localtime(),
                "funding_notice": self.dashboard.programme.funding_notice,
                "office": settings.PROGRAMME_OFFICE,
            },
        )

    def render(self) -> bytes:
        fetcher = LocalOnlyFetcher(allowed_protocols={"data"}, fail_on_errors=False)
        # PDF/A-2b (rule 13): archival, with the report's title and its operator in the XMP.
        programme = self.dashboard.programme
        return write_pdfa(
            HTML(string=self.html(), base_url=None, url_fetcher=fetcher),
            title=f"Bericht an den Fördermittelgeber – {programme.name} – {self.dashboard.period.name}",
            author=programme.operator.legal_name or programme.operator.name,
        )
