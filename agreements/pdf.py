"""Rendering the agreement (Vereinbarung) to PDF with WeasyPrint.

One small generator class per document (like froide's ``pdf_generator``): it renders an HTML
template with print CSS from a snapshot and hands it to WeasyPrint with a URL fetcher that
only ever opens our own files under ``static/agreements/`` — never a remote URL, never a file
elsewhere on the disk. Fonts (DejaVu) are embedded from there, so umlauts survive everywhere.
"""

from __future__ import annotations

import functools
import logging
import mimetypes
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.utils import translation

from agreements.pdfa import write_pdfa

logger = logging.getLogger(__name__)

STYLESHEET = "agreements/agreement.css"


@functools.cache
def static_root() -> Path:
    """The directory holding the agreement's CSS and fonts (``static/agreements``)."""
    found = finders.find(STYLESHEET)
    if not found:  # pragma: no cover - a broken checkout
        raise RuntimeError(f"{STYLESHEET} not found in the static files")
    return Path(found).resolve().parent


@functools.cache
def _read(path: Path, mtime_ns: int) -> bytes:
    # Keyed by mtime so an edited stylesheet is picked up without a restart.
    return path.read_bytes()


@functools.cache
def _weasyprint():
    """Import WeasyPrint on first use: it is slow to import and logs while doing so, which
    every management command and worker start would pay otherwise."""
    import weasyprint
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    # Per-page progress lines at INFO would flood the logs with every agreement rendered.
    logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)

    class StaticFilesURLFetcher(URLFetcher):
        """Opens ``file:`` URLs inside ``static/agreements`` and refuses everything else."""

        def __init__(self):
            super().__init__(allowed_protocols={"file"}, allow_redirects=False)

        def fetch(self, url, headers=None):
            return URLFetcherResponse(*_resolve(url))

    return weasyprint, StaticFilesURLFetcher


def _resolve(url: str) -> tuple[str, bytes, dict]:
    """``(url, body, headers)`` for an allowed URL; ``ValueError`` for anything else."""
    parts = urlsplit(url)
    if parts.scheme != "file" or parts.netloc not in ("", "localhost"):
        logger.warning("agreement pdf: refused a url with scheme %r", parts.scheme)
        raise ValueError("Only our own static files may be loaded into an agreement.")
    path = Path(url2pathname(parts.path)).resolve()
    if not path.is_relative_to(static_root()) or not path.is_file():
        logger.warning("agreement pdf: refused a file outside static/agreements")
        raise ValueError("Only our own static files may be loaded into an agreement.")
    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    if path.suffix == ".ttf":
        content_type = "font/ttf"
    return path.as_uri(), _read(path, path.stat().st_mtime_ns), {"Content-Type": content_type}


def url_fetcher():
    """A new fetcher that only opens our own static files (see ``_resolve``)."""
    return _weasyprint()[1]()


LETTER_TEMPLATE = "agreements/document_pdf.html"
# The special blocks of a letter (see ``agreements.texts.letters``); the others are sections.
LETTER_PARTS = ("titel", "kontakt", "foerderhinweis", "unterschriften")


class AgreementPDFGenerator:
    """Renders one document snapshot (see ``agreements.snapshot``) to HTML and PDF: the seed
    002 Vereinbarung, or one of the letters (Gutschein, Zusage, Teilnahmevereinbarung, the
    neutral default), as the programme's kind chose when the snapshot was taken."""

    template_name = "agreements/agreement_pdf.html"

    def __init__(self, snapshot: dict):
        self.snapshot = snapshot
        # Snapshots of format 1 (before documents per programme) are all Vereinbarungen.
        self.document = snapshot.get("document", "vereinbarung")
        if self.document != "vereinbarung":
            self.template_name = LETTER_TEMPLATE

    def get_context(self) -> dict:
        snapshot = self.snapshot
        notice = snapshot["funding_notice"]
        context = {
            "s": snapshot,
            "case_word": snapshot.get("case_word") or "Gutschein",
            "show_short_form_hint": notice["form"] == "full" and notice["short_form_exists"],
            "stylesheet_url": (static_root() / Path(STYLESHEET).name).as_uri(),
        }
        if self.document == "vereinbarung":
            context["b"] = {b["key"].replace("-", "_"): b for b in snapshot["blocks"]}
            context["section_2_blocks"] = [
                b for b in snapshot["blocks"] if b["key"].startswith("s2-")
            ]
            return context
        prefix = f"{self.document}-"
        parts = dict.fromkeys(LETTER_PARTS)
        sections = []
        for block in snapshot["blocks"]:
            name = block["key"].removeprefix(prefix)
            if name in parts:
                parts[name] = block
            else:
                sections.append(block)
        context.update(parts=parts, sections=sections)
        return context

    def get_html(self) -> str:
        with translation.override(settings.LANGUAGE_CODE):
            return render_to_string(self.template_name, self.get_context())

    def get_pdf(self, html: str | None = None) -> bytes:
        html = self.get_html() if html is None else html
        weasyprint, _fetcher = _weasyprint()
        document = weasyprint.HTML(
            string=html,
            base_url=static_root().as_uri() + "/",
            url_fetcher=url_fetcher(),
        )
        # PDF/A-2b (rule 13): XMP with title and author from <title> and <meta name="author">
        # (the operator's office), plus the operator named here when the template has none.
        office = self.snapshot.get("office") or {}
        return write_pdfa(document, author=office.get("organisation") or office.get("name"))
