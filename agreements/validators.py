"""The one validator for signed uploads, shared by the form and the service."""

from __future__ import annotations

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from portal.errors import RuleViolation
from portal.pdfcheck import check_pdf

PDF_MAGIC = b"%PDF-"


def max_upload_bytes() -> int:
    return int(settings.MAX_SIGNED_UPLOAD_BYTES)


def validate_signed_pdf(file) -> bytes:
    """Return the file's bytes if it is a PDF (by its content, not its name) within the size
    limit; raise ``RuleViolation`` with a German message otherwise."""
    if file is None:
        raise RuleViolation(
            _("Bitte wählen Sie die unterschriebene Vereinbarung als PDF-Datei aus.")
        )
    limit = max_upload_bytes()
    size = getattr(file, "size", None)
    if size is not None and size > limit:
        raise RuleViolation(
            _("Die Datei ist zu groß. Erlaubt sind höchstens %(limit)s.")
            % {"limit": filesizeformat(limit)}
        )
    file.seek(0)
    data = file.read(limit + 1)
    file.seek(0)
    if len(data) > limit:
        raise RuleViolation(
            _("Die Datei ist zu groß. Erlaubt sind höchstens %(limit)s.")
            % {"limit": filesizeformat(limit)}
        )
    if not data:
        raise RuleViolation(_("Die ausgewählte Datei ist leer."))
    if not data.startswith(PDF_MAGIC):
        raise RuleViolation(
            _(
                "Die Datei ist keine PDF-Datei. Bitte laden Sie die unterschriebene Vereinbarung "
                "als PDF hoch."
            )
        )
    check_pdf(data)
    return data
