"""Archival PDF (PDF/A-2b, rule 13) for every document the portal writes: agreements and
letters, proofs of use, the funder report.

WeasyPrint writes the PDF/A variant itself (embedded fonts, sRGB output intent, XMP
metadata with ``pdfaid:part``/``conformance``). Title and author come from the HTML
(``<title>``, ``<meta name="author">``) or are set here, so the XMP names the document and
the operator who issued it. ``xmp_info`` reads the metadata back (tests, audit checks)."""

from __future__ import annotations

import re
import warnings
from io import BytesIO
from xml.etree import ElementTree

PDF_VARIANT = "pdf/a-2b"

_NS = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "dc": "http://purl.org/dc/elements/1.1/",
    "pdfaid": "http://www.aiim.org/pdfa/ns/id/",
}


def write_pdfa(html_document, *, title: str | None = None, author: str | None = None) -> bytes:
    """Render a ``weasyprint.HTML`` as PDF/A-2b; ``title``/``author`` override the HTML's."""
    document = html_document.render()
    if title:
        document.metadata.title = title
    if author:
        document.metadata.authors = [author]
    with warnings.catch_warnings():
        # WeasyPrint opens its sRGB profile for the output intent without closing it; the
        # ResourceWarning of that one file is WeasyPrint's, not ours.
        warnings.simplefilter("ignore", ResourceWarning)
        return document.write_pdf(pdf_variant=PDF_VARIANT)


def xmp_info(pdf_bytes: bytes) -> dict:
    """``{"part", "conformance", "title", "creators"}`` from a PDF's XMP metadata stream."""
    from pypdf import PdfReader

    reader = PdfReader(BytesIO(pdf_bytes))
    metadata = reader.trailer["/Root"].get("/Metadata")
    if metadata is None:
        return {}
    raw = metadata.get_object().get_data()
    match = re.search(rb"<rdf:RDF.*</rdf:RDF>", raw, re.S)
    if match is None or b"<!DOCTYPE" in raw or b"<!ENTITY" in raw:
        return {}  # no entity expansion: XMP never needs a DTD
    root = ElementTree.fromstring(match.group(0))  # noqa: S314  # nosec B314 - DTDs refused above
    info: dict = {"part": None, "conformance": None, "title": None, "creators": []}
    for description in root.iter(f"{{{_NS['rdf']}}}Description"):
        part = description.get(f"{{{_NS['pdfaid']}}}part")
        if part:
            info["part"] = part
            info["conformance"] = description.get(f"{{{_NS['pdfaid']}}}conformance")
        for title in description.iter(f"{{{_NS['dc']}}}title"):
            info["title"] = "".join(li.text or "" for li in title.iter(f"{{{_NS['rdf']}}}li"))
        for creator in description.iter(f"{{{_NS['dc']}}}creator"):
            info["creators"] = [li.text or "" for li in creator.iter(f"{{{_NS['rdf']}}}li")]
    return info
