"""Is an uploaded PDF a plain document? Parsed with pypdf (not judged by its first bytes):
refused when it does not parse, has no page, or carries JavaScript, launch actions, embedded
files or rich media — things a signed agreement or a council decision never needs and that a
reader's PDF viewer might run. Shared by every upload of PDFs (signed agreements, council
decisions, pool materials)."""

from __future__ import annotations

import logging
from io import BytesIO

from django.utils.translation import gettext as _
from pypdf import PdfReader
from pypdf.generic import ArrayObject, DictionaryObject, IndirectObject, NameObject

from portal.errors import RuleViolation

logger = logging.getLogger(__name__)

# Keys and action types a document to be read and filed has no use for.
FORBIDDEN_KEYS = {"/JS", "/JavaScript", "/EmbeddedFile", "/EmbeddedFiles", "/RichMedia", "/AA"}
FORBIDDEN_ACTIONS = {"/JavaScript", "/Launch", "/ImportData", "/RichMediaExecute", "/SubmitForm"}
MAX_OBJECTS = 50_000  # a walk this long is refused rather than followed


class UnsafePDF(RuleViolation):
    pass


def _walk(root) -> str | None:
    """The first forbidden feature found in the object graph under ``root``, else None."""
    seen: set[tuple[int, int]] = set()
    stack = [root]
    visited = 0
    while stack:
        node = stack.pop()
        if isinstance(node, IndirectObject):
            key = (node.idnum, node.generation)
            if key in seen:
                continue
            seen.add(key)
            node = node.get_object()
        visited += 1
        if visited > MAX_OBJECTS:
            return "too-many-objects"
        if isinstance(node, DictionaryObject):
            for name, value in node.items():
                if name in FORBIDDEN_KEYS:
                    return name
                if name == "/S" and isinstance(value, NameObject) and value in FORBIDDEN_ACTIONS:
                    return str(value)
                if name in ("/Parent", "/P"):
                    continue  # back references; the tree is walked from the top
                stack.append(value)
        elif isinstance(node, ArrayObject):
            stack.extend(node)
    return None


def check_pdf(data: bytes) -> None:
    """Raise ``UnsafePDF`` (a ``RuleViolation`` with a German message) unless ``data`` parses
    as a PDF with at least one page and without active content."""
    try:
        reader = PdfReader(BytesIO(data), strict=False)
        if reader.is_encrypted:
            raise UnsafePDF(
                _("Die PDF-Datei ist verschlüsselt. Bitte laden Sie sie ohne Kennwortschutz hoch.")
            )
        if len(reader.pages) < 1:
            raise UnsafePDF(_("Die PDF-Datei enthält keine Seite."))
        found = _walk(reader.trailer["/Root"])
    except UnsafePDF:
        raise
    except Exception as exc:  # pypdf raises many kinds of errors on broken files
        logger.info("event=pdf_unreadable error=%s", type(exc).__name__)
        raise UnsafePDF(
            _(
                "Die Datei lässt sich nicht als PDF lesen. Bitte laden Sie eine gültige PDF-Datei hoch."
            )
        ) from exc
    if found is not None:
        logger.info("event=pdf_refused feature=%s", found)
        raise UnsafePDF(
            _(
                "Die PDF-Datei enthält aktive Inhalte (z. B. JavaScript, Startaktionen oder "
                "eingebettete Dateien). Bitte laden Sie eine einfache PDF-Datei hoch, etwa einen "
                "Scan oder einen Ausdruck als PDF."
            )
        )
