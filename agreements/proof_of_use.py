"""The proof of use (Verwendungsnachweis, rule 13): drafted from the portal's data once a
case is ``closing_requested`` or ``closed``, stored like agreement versions (immutable,
numbered, SHA-256, PDF/A-2b), signed off by the office (draft → accepted).

Sachbericht: the goals of the Antrag, the closing reports of the facilitators and of the
organisation, milestones reached (where a programme has a plan: the process-plan app
registers ``register_milestones``). Numerical part: only **confirmed** hours (rule 10), by
date, activity, format and facilitator, totals against the cap; units in Virtuelle
Begleitung."""

from __future__ import annotations

import hashlib
import logging
from collections import defaultdict
from collections.abc import Callable

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from agreements.models import ClosingStatement, ProofOfUse
from agreements.pdf import STYLESHEET, _weasyprint, static_root, url_fetcher
from agreements.pdfa import write_pdfa
from portal.audit import log_action
from portal.errors import InvalidTransition, RuleViolation
from portal.notifications import send_mail_on_commit
from sessions_log.models import Activity, Format, SessionEntry
from vouchers.models import Voucher
from vouchers.services.transitions import require_role

logger = logging.getLogger(__name__)

V = Voucher.Status
PROOF_STATUSES = (V.CLOSING_REQUESTED, V.CLOSED, V.FEEDBACK_SENT, V.FEEDBACK_RECEIVED)
TEMPLATE = "agreements/proof_of_use_pdf.html"
MAX_STATEMENT_LENGTH = 10000

# fn(voucher) -> list of {"title": str, "done": bool, "done_on": "dd.mm.yyyy" | ""}
_milestones: Callable | None = None


def register_milestones(fn: Callable) -> None:
    """The process plan (``programme_work``) gives its milestones to the Sachbericht."""
    global _milestones
    _milestones = fn


def _hours(minutes: int) -> str:
    hours, rest = divmod(minutes, 60)
    return f"{hours}:{rest:02d}"


def _grouped(rows: list[dict], key: str) -> list[dict]:
    totals: dict[str, list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        totals[row[key]][0] += row["minutes"]
        totals[row[key]][1] += row["units"]
    return [
        {"label": label, "minutes": m, "hours": _hours(m), "units": u}
        for label, (m, u) in sorted(totals.items())
    ]


def build_proof_snapshot(voucher: Voucher, *, number: int, by) -> dict:
    """The data the PDF is rendered from (kept with the version)."""
    programme = voucher.programme
    operator = programme.operator
    application = voucher.application
    activities, formats = dict(Activity.choices), dict(Format.choices)
    with translation.override(settings.LANGUAGE_CODE):
        entries = [
            {
                "date": entry.date.strftime("%d.%m.%Y"),
                "iso_date": entry.date.isoformat(),
                "activity": str(activities.get(entry.activity, entry.activity)),
                "format": str(formats.get(entry.format, entry.format)),
                "facilitator": entry.facilitator.name,
                "minutes": entry.minutes,
                "hours": _hours(entry.minutes),
                "units": entry.units,
                "deemed": entry.deemed_confirmed,
            }
            for entry in SessionEntry.objects.filter(voucher=voucher)
            .confirmed()
            .select_related("facilitator__user")
            .order_by("date", "pk")
        ]
        case_word = str(programme.case_word())
    total_minutes = sum(e["minutes"] for e in entries)
    total_units = sum(e["units"] for e in entries)
    statement = ClosingStatement.objects.filter(voucher=voucher).first()
    now = timezone.now()
    return {
        "number": number,
        "generated_at": now.isoformat(),
        "generated_at_display": timezone.localtime(now).strftime("%d.%m.%Y"),
        "generated_by": by.get_full_name() or by.email,
        "operator": {
            "name": operator.name,
            "legal_name": operator.legal_name or operator.name,
            "office_name": operator.office_name,
            "city": operator.city,
        },
        "programme": {"name": programme.name, "kind": programme.kind, "case_word": case_word},
        "is_virtual": programme.is_virtual,
        "voucher": {
            "code": voucher.code,
            "issued": timezone.localtime(voucher.issued_at).strftime("%d.%m.%Y"),
            "valid_until": voucher.valid_until.strftime("%d.%m.%Y"),
            "status": voucher.get_status_display(),
        },
        "organisation": {"name": voucher.organisation.name},
        "application": {
            "goals": application.goals if application else "",
            "challenge": application.challenge if application else "",
        },
        "reports": {
            "facilitators": voucher.closing_report,
            "next_steps": voucher.closing_next_steps,
            "recommendation": voucher.closing_follow_up_recommendation,
            "organisation": statement.text if statement else "",
        },
        "milestones": list(_milestones(voucher)) if _milestones else [],
        "entries": entries,
        "by_facilitator": _grouped(entries, "facilitator"),
        "by_activity": _grouped(entries, "activity"),
        "by_format": _grouped(entries, "format"),
        "totals": {
            "minutes": total_minutes,
            "hours": _hours(total_minutes),
            "units": total_units,
            "cap_minutes": voucher.cap_minutes or programme.cap_minutes,
            "cap_hours": _hours(voucher.cap_minutes or programme.cap_minutes or 0),
            "cap_units": voucher.cap_units or programme.cap_units,
        },
    }


def render_proof_pdf(snapshot: dict) -> bytes:
    with translation.override(settings.LANGUAGE_CODE):
        html = render_to_string(
            TEMPLATE,
            {
                "s": snapshot,
                "stylesheet_url": (static_root() / STYLESHEET.rsplit("/", 1)[-1]).as_uri(),
                "proof_stylesheet_url": (static_root() / "proof_of_use.css").as_uri(),
            },
        )
    weasyprint, _fetcher = _weasyprint()
    document = weasyprint.HTML(
        string=html, base_url=static_root().as_uri() + "/", url_fetcher=url_fetcher()
    )
    return write_pdfa(
        document,
        title=f"Verwendungsnachweis – {snapshot['voucher']['code']}",
        author=snapshot["operator"]["legal_name"],
    )


def _lock(voucher: Voucher) -> Voucher:
    return (
        Voucher.objects.select_for_update(of=("self",))
        .select_related("organisation", "programme__operator", "application")
        .get(pk=voucher.pk)
    )


def generate_proof_of_use(voucher: Voucher, *, by) -> ProofOfUse:
    """Office: draft a new numbered version of the case's proof of use (PDF/A-2b)."""
    require_role(by, "office", programme=voucher.programme)
    proof = ProofOfUse()
    try:
        with transaction.atomic():
            locked = _lock(voucher)
            if locked.status not in PROOF_STATUSES:
                raise InvalidTransition(
                    _(
                        "Den Verwendungsnachweis können Sie erst erstellen, wenn der Abschluss "
                        "beantragt oder die Begleitung abgeschlossen ist."
                    )
                )
            last = ProofOfUse.objects.filter(voucher=locked).aggregate(n=Max("number"))["n"]
            number = (last or 0) + 1
            snapshot = build_proof_snapshot(locked, number=number, by=by)
            pdf_bytes = render_proof_pdf(snapshot)
            proof = ProofOfUse(
                voucher=locked,
                number=number,
                sha256=hashlib.sha256(pdf_bytes).hexdigest(),
                snapshot=snapshot,
                created_by=by,
            )
            proof.pdf.save(f"v{number}.pdf", ContentFile(pdf_bytes), save=False)
            proof.save()
            log_action(
                by,
                "proof_of_use.generated",
                locked,
                to_state=ProofOfUse.Status.DRAFT,
                data={"version": number, "sha256": proof.sha256, "proof_id": proof.pk},
            )
    except BaseException:
        if proof.pdf and proof.pdf.name:
            try:
                proof.pdf.storage.delete(proof.pdf.name)
            except OSError:  # pragma: no cover - best effort cleanup
                logger.warning("could not remove the file of a failed proof of use")
        raise
    return proof


def accept_proof_of_use(proof: ProofOfUse, *, by) -> ProofOfUse:
    """Office signs a draft off (draft → accepted, audited); the organisation is told."""
    require_role(by, "office", programme=proof.voucher.programme)
    with transaction.atomic():
        locked_voucher = _lock(proof.voucher)
        locked = ProofOfUse.objects.select_for_update().get(pk=proof.pk)
        if locked.status != ProofOfUse.Status.DRAFT:
            raise InvalidTransition(_("Dieser Verwendungsnachweis ist bereits freigegeben."))
        if ProofOfUse.objects.filter(
            voucher=locked_voucher, status=ProofOfUse.Status.ACCEPTED
        ).exists():
            raise InvalidTransition(
                _("Für diesen Fall ist bereits ein Verwendungsnachweis freigegeben.")
            )
        locked.status = ProofOfUse.Status.ACCEPTED
        locked.accepted_by = by
        locked.accepted_at = timezone.now()
        locked.save(update_fields=["status", "accepted_by", "accepted_at"])
        log_action(
            by,
            "proof_of_use.accepted",
            locked_voucher,
            from_state=ProofOfUse.Status.DRAFT,
            to_state=ProofOfUse.Status.ACCEPTED,
            data={"version": locked.number, "sha256": locked.sha256, "proof_id": locked.pk},
        )
        send_mail_on_commit(
            "proof_of_use_accepted",
            [u.email for u in locked_voucher.organisation.contacts()],
            {"voucher": locked_voucher, "proof": locked},
        )
    proof.refresh_from_db()
    return proof


def submit_closing_statement(voucher: Voucher, *, by, text: str) -> ClosingStatement:
    """A member of the organisation stores its closing statement (once; later calls refuse)."""
    if not (
        getattr(by, "role", None) == "applicant"
        and by.organisation_id
        and by.organisation_id == voucher.organisation_id
    ):
        raise InvalidTransition(
            _("Nur Mitglieder der Organisation können ihren Abschlussbericht abgeben.")
        )
    text = (text or "").strip()
    if not text:
        raise RuleViolation(_("Bitte schreiben Sie einige Sätze zu den Ergebnissen."), field="text")
    if len(text) > MAX_STATEMENT_LENGTH:
        raise RuleViolation(
            _("Der Bericht ist zu lang (höchstens %(max)d Zeichen).")
            % {"max": MAX_STATEMENT_LENGTH},
            field="text",
        )
    with transaction.atomic():
        locked = _lock(voucher)
        if ClosingStatement.objects.filter(voucher=locked).exists():
            raise InvalidTransition(_("Der Abschlussbericht der Organisation liegt bereits vor."))
        statement = ClosingStatement.objects.create(voucher=locked, text=text, created_by=by)
        log_action(by, "voucher.closing_statement", locked, data={"statement_id": statement.pk})
    return statement


def latest_proof(voucher: Voucher) -> ProofOfUse | None:
    return ProofOfUse.objects.filter(voucher=voucher).order_by("-number").first()
