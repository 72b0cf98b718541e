"""Agreement services: generate versions, upload/confirm/reject signed copies, paper signature,
bulk regeneration. Views, admin actions, commands and tasks all call these functions."""

from __future__ import annotations

import hashlib
import logging

from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from agreements.models import AgreementVersion, RegenerationRun, SignedAgreement
from agreements.pdf import AgreementPDFGenerator
from agreements.snapshot import build_snapshot
from agreements.validators import validate_signed_pdf
from portal.audit import log_action
from portal.errors import InvalidTransition, RuleViolation
from portal.notifications import send_mail_on_commit
from portal.tasking import task
from vouchers.models import Voucher
from vouchers.services import activate_voucher
from vouchers.services.transitions import require_role

logger = logging.getLogger(__name__)

V = Voucher.Status
S = SignedAgreement.Status


def _lock_voucher(voucher: Voucher) -> Voucher:
    return (
        Voucher.objects.select_for_update(of=("self",))
        .select_related("organisation", "programme", "application")
        .get(pk=voucher.pk)
    )


def _contacts(voucher: Voucher) -> list[str]:
    return [u.email for u in voucher.organisation.contacts()]


def _office_recipients(voucher: Voucher) -> list[str]:
    return [voucher.programme.operator.notification_address]


def _delete_quietly(field_file) -> None:
    if field_file and field_file.name:
        try:
            field_file.storage.delete(field_file.name)
        except OSError:  # pragma: no cover - best effort cleanup
            logger.warning("could not remove orphaned file of a failed agreement step")


def latest_version(voucher: Voucher) -> AgreementVersion | None:
    return AgreementVersion.objects.filter(voucher=voucher).order_by("-number").first()


def generate_agreement(voucher: Voucher, *, by) -> AgreementVersion:
    """Render the agreement of ``voucher`` and store it as a new, immutable version.

    Office staff only, once the voucher is issued (any status except cancelled). The version
    number is computed under a lock on the voucher row; the PDF's SHA-256 is of exactly the
    stored bytes; the snapshot keeps the data the PDF was rendered from."""
    require_role(by, "office", programme=voucher.programme)
    version = AgreementVersion()
    try:
        with transaction.atomic():
            locked = _lock_voucher(voucher)
            if locked.status == V.CANCELLED:
                raise InvalidTransition(
                    _("Für einen stornierten Gutschein kann keine Vereinbarung erzeugt werden.")
                )
            last = AgreementVersion.objects.filter(voucher=locked).aggregate(n=Max("number"))["n"]
            number = (last or 0) + 1
            snapshot = build_snapshot(
                locked, number=number, generated_at=timezone.now(), generated_by=by
            )
            pdf_bytes = AgreementPDFGenerator(snapshot).get_pdf()
            version = AgreementVersion(
                voucher=locked,
                number=number,
                sha256=hashlib.sha256(pdf_bytes).hexdigest(),
                snapshot=snapshot,
                created_by=by,
            )
            version.pdf.save(f"v{number}.pdf", ContentFile(pdf_bytes), save=False)
            version.save()
            log_action(
                by,
                "agreement.generated",
                locked,
                data={"version": number, "sha256": version.sha256, "version_id": version.pk},
            )
            send_mail_on_commit(
                "agreement_generated",
                _contacts(locked),
                {"voucher": locked, "version": version},
            )
    except BaseException:
        _delete_quietly(version.pdf)
        raise
    return version


def upload_signed_agreement(voucher: Voucher, *, by, file) -> SignedAgreement:
    """An applicant of the voucher's organisation uploads the signed scan (PDF only).

    Refused (nothing stored) for other users, when no version exists yet, when the voucher is
    no longer waiting for its signature, or when the file is not an acceptable PDF."""
    if not (
        getattr(by, "role", None) == "applicant"
        and by.organisation_id
        and by.organisation_id == voucher.organisation_id
    ):
        raise InvalidTransition(
            _("Nur Antragsteller*innen der Organisation können die Vereinbarung hochladen.")
        )
    data = validate_signed_pdf(file)
    signed = SignedAgreement()
    try:
        with transaction.atomic():
            locked = _lock_voucher(voucher)
            version = latest_version(locked)
            if version is None:
                raise RuleViolation(
                    _(
                        "Es liegt noch keine Vereinbarung vor. Bitte warten Sie auf das Programmbüro."
                    )
                )
            if locked.status != V.ISSUED:
                raise InvalidTransition(
                    _("Die Vereinbarung zu diesem Gutschein wartet nicht auf eine Unterschrift.")
                )
            SignedAgreement.objects.filter(voucher=locked, status=S.UPLOADED).update(
                status=S.SUPERSEDED
            )
            signed = SignedAgreement(
                voucher=locked,
                version=version,
                sha256=hashlib.sha256(data).hexdigest(),
                size=len(data),
                status=S.UPLOADED,
                uploaded_by=by,
            )
            signed.file.save(f"{signed.uuid}.pdf", ContentFile(data), save=False)
            signed.save()
            log_action(
                by,
                "agreement.uploaded",
                locked,
                data={"signed_id": signed.pk, "version": version.number, "sha256": signed.sha256},
            )
            send_mail_on_commit(
                "agreement_uploaded",
                _office_recipients(locked),
                {"voucher": locked, "signed": signed, "version": version},
            )
    except BaseException:
        _delete_quietly(signed.file)
        raise
    return signed


def _lock_pending(signed: SignedAgreement) -> tuple[Voucher, SignedAgreement]:
    # Voucher row first, then the signed copy: the same order as the upload takes.
    locked_voucher = _lock_voucher(signed.voucher)
    locked = SignedAgreement.objects.select_for_update().get(pk=signed.pk)
    if locked.status != S.UPLOADED:
        raise InvalidTransition(_("Diese unterschriebene Vereinbarung wurde bereits bearbeitet."))
    return locked_voucher, locked


def confirm_signed_agreement(signed: SignedAgreement, *, by) -> SignedAgreement:
    """Office confirms the uploaded signed copy: the voucher becomes active."""
    require_role(by, "office", programme=signed.voucher.programme)
    with transaction.atomic():
        voucher, locked = _lock_pending(signed)
        activate_voucher(
            voucher,
            by=by,
            reason=_("Unterschriebene Vereinbarung (Version %(number)s) bestätigt.")
            % {"number": locked.version.number},
        )
        locked.status = S.CONFIRMED
        locked.decided_by = by
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "decided_by", "decided_at"])
        log_action(
            by,
            "agreement.confirmed",
            voucher,
            from_state=S.UPLOADED,
            to_state=S.CONFIRMED,
            data={"signed_id": locked.pk, "version": locked.version.number},
        )
        send_mail_on_commit(
            "agreement_confirmed", _contacts(voucher), {"voucher": voucher, "signed": locked}
        )
    signed.refresh_from_db()
    return signed


def reject_signed_agreement(signed: SignedAgreement, *, by, reason: str) -> SignedAgreement:
    """Office rejects the uploaded copy with a reason; the applicant may upload again."""
    require_role(by, "office", programme=signed.voucher.programme)
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(_("Bitte geben Sie einen Grund für die Zurückweisung an."))
    with transaction.atomic():
        voucher, locked = _lock_pending(signed)
        locked.status = S.REJECTED
        locked.rejection_reason = reason
        locked.decided_by = by
        locked.decided_at = timezone.now()
        locked.save(update_fields=["status", "rejection_reason", "decided_by", "decided_at"])
        log_action(
            by,
            "agreement.rejected",
            voucher,
            from_state=S.UPLOADED,
            to_state=S.REJECTED,
            reason=reason,
            data={"signed_id": locked.pk, "version": locked.version.number},
        )
        send_mail_on_commit(
            "agreement_rejected",
            _contacts(voucher),
            {"voucher": voucher, "signed": locked, "reason": reason},
        )
    signed.refresh_from_db()
    return signed


def mark_signed_on_paper(voucher: Voucher, *, by, note: str) -> SignedAgreement:
    """Office records that the current version was signed on paper; the voucher becomes active."""
    require_role(by, "office", programme=voucher.programme)
    note = (note or "").strip()
    if not note:
        raise RuleViolation(
            _("Bitte vermerken Sie, wann und wie die Vereinbarung unterschrieben wurde.")
        )
    with transaction.atomic():
        locked = _lock_voucher(voucher)
        version = latest_version(locked)
        if version is None:
            raise RuleViolation(_("Es liegt noch keine Vereinbarung vor."))
        activate_voucher(locked, by=by, reason=note)
        SignedAgreement.objects.filter(voucher=locked, status=S.UPLOADED).update(
            status=S.SUPERSEDED
        )
        now = timezone.now()
        signed = SignedAgreement.objects.create(
            voucher=locked,
            version=version,
            on_paper=True,
            note=note,
            status=S.CONFIRMED,
            uploaded_by=by,
            decided_by=by,
            decided_at=now,
        )
        log_action(
            by,
            "agreement.signed_on_paper",
            locked,
            reason=note,
            data={"signed_id": signed.pk, "version": version.number},
        )
        send_mail_on_commit(
            "agreement_signed_on_paper", _contacts(locked), {"voucher": locked, "signed": signed}
        )
    return signed


def regeneration_candidates(programme):
    """Vouchers whose agreement a text change should renew: issued, not yet signed."""
    return Voucher.objects.filter(programme=programme, status=V.ISSUED).order_by("pk")


def start_regeneration(programme, *, by) -> RegenerationRun:
    """Office starts a bulk regeneration; a Celery task does the work after commit."""
    require_role(by, "office", programme=programme)
    with transaction.atomic():
        run = RegenerationRun.objects.create(
            programme=programme,
            created_by=by,
            voucher_ids=list(regeneration_candidates(programme).values_list("pk", flat=True)),
        )
        log_action(
            by,
            "agreement.regeneration_started",
            programme,
            data={"run_id": run.pk, "total": run.total},
        )
        run_id = run.pk
        transaction.on_commit(lambda: enqueue_regeneration(run_id))
    return run


def enqueue_regeneration(run_id: int) -> bool:
    """Hand the run to Celery; if the broker is down the run stays pending (retry on its page)."""
    try:
        task("agreements.tasks.regenerate_agreements").delay(run_id=run_id)
    except Exception:
        logger.exception("regeneration run %s could not be enqueued", run_id)
        return False
    return True


def process_regeneration(run_id: int) -> RegenerationRun:
    """Generate a new version for every voucher of the run not yet processed (idempotent)."""
    run = RegenerationRun.objects.select_related("created_by").get(pk=run_id)
    if run.is_finished:
        return run
    RegenerationRun.objects.filter(pk=run.pk).update(status=RegenerationRun.Status.RUNNING)
    seen = set(run.processed_ids) | set(run.failed_ids)
    for voucher_id in run.voucher_ids:
        if voucher_id not in seen:
            _record_progress(run.pk, voucher_id, ok=_regenerate_one(run, voucher_id))
    return _finish(run.pk)


def _regenerate_one(run: RegenerationRun, voucher_id: int) -> bool:
    """True when done or no longer needed (signed or cancelled meanwhile); False on failure."""
    voucher = Voucher.objects.filter(pk=voucher_id).first()
    if voucher is None:
        return False
    if voucher.status != V.ISSUED:
        return True
    try:
        generate_agreement(voucher, by=run.created_by)
    except RuleViolation:
        logger.warning("regeneration run %s: voucher %s refused", run.pk, voucher_id)
        return False
    return True


def _record_progress(run_id: int, voucher_id: int, *, ok: bool) -> None:
    with transaction.atomic():
        run = RegenerationRun.objects.select_for_update().get(pk=run_id)
        target = run.processed_ids if ok else run.failed_ids
        if voucher_id not in target:
            target.append(voucher_id)
        run.save(update_fields=["processed_ids", "failed_ids"])


def _finish(run_id: int) -> RegenerationRun:
    with transaction.atomic():
        run = RegenerationRun.objects.select_for_update().get(pk=run_id)
        run.status = (
            RegenerationRun.Status.FAILED if run.failed_ids else RegenerationRun.Status.DONE
        )
        run.finished_at = timezone.now()
        run.save(update_fields=["status", "finished_at"])
    return run


# Proof of use and audit folder (rule 13) live in modules of their own; the contract names
# are reachable from here.
from agreements.audit_folder import write_audit_folder  # noqa: E402
from agreements.proof_of_use import (  # noqa: E402
    accept_proof_of_use,
    generate_proof_of_use,
    submit_closing_statement,
)

__all__ = [
    "accept_proof_of_use",
    "confirm_signed_agreement",
    "generate_agreement",
    "generate_proof_of_use",
    "mark_signed_on_paper",
    "reject_signed_agreement",
    "submit_closing_statement",
    "upload_signed_agreement",
    "write_audit_folder",
]
