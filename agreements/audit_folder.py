"""The audit folder of a case (rule 13): one ZIP with every document, the session log with
confirmation states, the audit trail, feedback figures and ``MANIFEST.sha256``.

Written straight into a binary file object (a response stream, a temporary file): every
member is streamed in chunks while its SHA-256 is computed, so memory stays flat however
many entries or documents a case has. The manifest uses ``sha256sum`` format (hex digest,
two spaces, path), so ``sha256sum -c MANIFEST.sha256`` checks an unpacked folder."""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
from collections.abc import Iterable, Iterator

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Q
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agreements.models import AgreementVersion, ProofOfUse, SignedAgreement
from agreements.pdf import STYLESHEET, _weasyprint, static_root, url_fetcher
from agreements.pdfa import write_pdfa
from portal.audit import log_action
from portal.models import AuditEntry
from sessions_log.models import Activity, Format, SessionEntry
from vouchers.models import FeedbackResponse, Voucher
from vouchers.services.transitions import require_role

MANIFEST = "MANIFEST.sha256"
CHUNK = 64 * 1024
ANTRAG_TEMPLATE = "agreements/antrag_pdf.html"


class _Writer:
    """Adds members to the ZIP and remembers each one's digest for the manifest."""

    def __init__(self, archive: zipfile.ZipFile):
        self.archive = archive
        self.digests: list[tuple[str, str]] = []

    def chunks(self, name: str, chunks: Iterable[bytes]) -> None:
        digest = hashlib.sha256()
        with self.archive.open(name, "w", force_zip64=True) as member:
            for chunk in chunks:
                digest.update(chunk)
                member.write(chunk)
        self.digests.append((name, digest.hexdigest()))

    def bytes(self, name: str, data: bytes) -> None:
        self.chunks(name, [data])

    def file(self, name: str, field_file) -> None:
        with field_file.open("rb") as handle:
            self.chunks(name, iter(lambda: handle.read(CHUNK), b""))

    def csv(self, name: str, header: list[str], rows: Iterable[list]) -> None:
        self.chunks(name, _csv_chunks(header, rows))

    def manifest(self) -> None:
        lines = "".join(f"{digest}  {name}\n" for name, digest in self.digests)
        self.archive.writestr(MANIFEST, lines.encode("utf-8"))


def _csv_chunks(header: list[str], rows: Iterable[list]) -> Iterator[bytes]:
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";")
    buffer.write("\ufeff")  # spreadsheet programs read UTF-8 with a BOM
    writer.writerow(header)
    for number, row in enumerate(rows, 1):
        writer.writerow(["" if value is None else value for value in row])
        if number % 200 == 0:
            yield buffer.getvalue().encode("utf-8")
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue().encode("utf-8")


def _local(value) -> str:
    return timezone.localtime(value).strftime("%d.%m.%Y %H:%M") if value else ""


def _antrag_pdf(voucher: Voucher, part: str) -> bytes:
    application = voucher.application
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(
            ANTRAG_TEMPLATE,
            {
                "part": part,
                "voucher": voucher,
                "application": application,
                "topics": list(application.topics.all()) if application else [],
                "operator": voucher.programme.operator,
                "stylesheet_url": (static_root() / STYLESHEET.rsplit("/", 1)[-1]).as_uri(),
            },
        )
    weasyprint, _fetcher = _weasyprint()
    document = weasyprint.HTML(
        string=html, base_url=static_root().as_uri() + "/", url_fetcher=url_fetcher()
    )
    operator = voucher.programme.operator
    return write_pdfa(document, author=operator.legal_name or operator.name)


def _session_rows(voucher: Voucher) -> Iterator[list]:
    activities, formats = dict(Activity.choices), dict(Format.choices)
    statuses = dict(SessionEntry.Status.choices)
    entries = (
        SessionEntry.objects.filter(voucher=voucher)
        .select_related("facilitator__user")
        .order_by("date", "pk")
    )
    for e in entries.iterator(chunk_size=500):
        yield [
            e.pk,
            e.date.isoformat(),
            e.facilitator.name,
            e.activity,
            str(activities.get(e.activity, e.activity)),
            e.format,
            str(formats.get(e.format, e.format)),
            e.minutes,
            e.units,
            e.participants,
            e.status,
            str(statuses.get(e.status, e.status)),
            "ja" if e.deemed_confirmed else "nein",
            _local(e.confirmed_at),
            _local(e.disputed_at),
            e.dispute_reason,
            _local(e.resolved_at),
            e.resolution_note,
            _local(e.created_at),
        ]


def _audit_rows(voucher: Voucher) -> Iterator[list]:
    voucher_type = ContentType.objects.get_for_model(Voucher)
    query = Q(target_type=voucher_type, target_id=voucher.pk)
    if voucher.application_id:
        application_type = ContentType.objects.get_for_model(voucher.application)
        query |= Q(target_type=application_type, target_id=voucher.application_id)
    rows = AuditEntry.objects.filter(query).select_related("actor").order_by("created_at", "pk")
    for row in rows.iterator(chunk_size=500):
        yield [
            row.created_at.isoformat(),
            row.action,
            row.actor.email if row.actor else "",
            row.from_state,
            row.to_state,
            row.reason,
            row.data,
        ]


def _feedback_rows(voucher: Voucher) -> Iterator[list]:
    """Figures only: no personal free text, no recipient."""
    answers = FeedbackResponse.objects.filter(request__voucher=voucher).order_by("created_at")
    for number, answer in enumerate(answers, 1):
        yield [
            number,
            answer.satisfaction,
            answer.goals_reached,
            answer.structure_useful,
            "ja" if answer.would_recommend else "nein",
            answer.created_at.date().isoformat(),
        ]


def write_audit_folder(voucher: Voucher, *, by, fileobj) -> None:
    """Office of the operator: write the case's audit folder as a ZIP into ``fileobj``."""
    require_role(by, "office", programme=voucher.programme)
    voucher = Voucher.objects.select_related(
        "organisation", "programme__operator", "application"
    ).get(pk=voucher.pk)
    with zipfile.ZipFile(fileobj, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        out = _Writer(archive)
        if voucher.application_id:
            out.bytes("01-antrag/antrag.pdf", _antrag_pdf(voucher, "antrag"))
        out.bytes("02-entscheidung/entscheidung.pdf", _antrag_pdf(voucher, "entscheidung"))
        for version in AgreementVersion.objects.filter(voucher=voucher).order_by("number"):
            out.file(f"03-vereinbarung/vereinbarung-v{version.number}.pdf", version.pdf)
        signed = SignedAgreement.objects.filter(voucher=voucher).exclude(file="").order_by("pk")
        for copy in signed:
            out.file(f"04-unterschrieben/unterschrieben-{copy.pk}-{copy.status}.pdf", copy.file)
        for proof in ProofOfUse.objects.filter(voucher=voucher).order_by("number"):
            out.file(
                f"05-verwendungsnachweis/verwendungsnachweis-v{proof.number}-{proof.status}.pdf",
                proof.pdf,
            )
        out.csv(
            "06-sitzungen.csv",
            [
                "id",
                "datum",
                "prozessbegleitung",
                "taetigkeit",
                "taetigkeit_text",
                "format",
                "format_text",
                "minuten",
                "einheiten",
                "teilnehmende",
                "status",
                "status_text",
                "gilt_als_bestaetigt",
                "bestaetigt_am",
                "widersprochen_am",
                "widerspruch",
                "geklaert_am",
                "klaerung",
                "eingetragen_am",
            ],
            _session_rows(voucher),
        )
        out.csv(
            "07-protokoll.csv",
            ["zeitpunkt", "aktion", "durch", "von", "nach", "begruendung", "daten"],
            _audit_rows(voucher),
        )
        out.csv(
            "08-feedback-kennzahlen.csv",
            [
                "antwort",
                "zufriedenheit",
                "ziele_erreicht",
                "nutzen_struktur",
                "weiterempfehlung",
                "datum",
            ],
            _feedback_rows(voucher),
        )
        out.manifest()
    log_action(by, "voucher.audit_folder", voucher, reason=_("Prüfakte heruntergeladen"))
