"""Agreement versions (Vereinbarung), their text blocks and the signed copies."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.errors import InvalidTransition

IMMUTABLE_MESSAGE = _(
    "Eine erzeugte Version der Vereinbarung kann nicht geändert oder gelöscht werden. "
    "Erzeugen Sie bei Änderungen eine neue Version."
)


class AgreementTextBlock(models.Model):
    """An editable text block of a programme's agreement template (managed in the admin)."""

    programme = models.ForeignKey(
        "portal.Programme", on_delete=models.CASCADE, related_name="agreement_blocks"
    )
    key = models.SlugField(
        _("Schlüssel"),
        max_length=60,
        help_text=_(
            "Bestimmt die Stelle in der Vereinbarung, z. B. „s1“ (Abschnitt 1), „s2-baustein-1“ "
            "(ein Baustein in Abschnitt 2), „s3-weitere“, „s4“, „s5“, „unterschriften“."
        ),
    )
    title = models.CharField(_("Überschrift"), max_length=200, blank=True)
    body = models.TextField(
        _("Text"),
        blank=True,
        help_text=_(
            "Leerzeile = neuer Absatz; „- “ = Aufzählung (eingerückt: Unterpunkt); "
            "„1. “ = nummerierte Liste; „## “ = Zwischenüberschrift."
        ),
    )
    order = models.PositiveIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Textbaustein der Vereinbarung")
        verbose_name_plural = _("Textbausteine der Vereinbarung")
        ordering = ["programme", "order", "key"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "key"], name="unique_block_key")
        ]

    def __str__(self) -> str:
        return f"{self.programme}: {self.title or self.key}"


def agreement_upload_to(instance, filename):
    # Server-chosen name; the user's filename is never used on disk.
    return f"agreements/{instance.voucher_id}/v{instance.number}.pdf"


class AgreementVersionQuerySet(models.QuerySet):
    """Versions are immutable: bulk updates and deletes are refused as well."""

    def update(self, **kwargs):
        raise InvalidTransition(IMMUTABLE_MESSAGE)

    def delete(self):
        raise InvalidTransition(IMMUTABLE_MESSAGE)


class AgreementVersion(models.Model):
    """One generated, immutable agreement PDF. A change makes a new version."""

    voucher = models.ForeignKey(
        "vouchers.Voucher", on_delete=models.PROTECT, related_name="agreement_versions"
    )
    number = models.PositiveIntegerField(_("Version"))
    pdf = models.FileField(_("PDF"), upload_to=agreement_upload_to)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    snapshot = models.JSONField(_("Datenstand"), default=dict)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("erstellt am"), auto_now_add=True)

    objects = AgreementVersionQuerySet.as_manager()

    class Meta:
        verbose_name = _("Version der Vereinbarung")
        verbose_name_plural = _("Versionen der Vereinbarung")
        ordering = ["voucher", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["voucher", "number"], name="unique_agreement_version")
        ]

    def __str__(self) -> str:
        return f"{self.voucher} v{self.number}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise InvalidTransition(IMMUTABLE_MESSAGE)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("agreements:download", args=[self.pk])

    def delete(self, *args, **kwargs):
        raise InvalidTransition(IMMUTABLE_MESSAGE)

    @property
    def download_name(self) -> str:
        """The file name offered to the browser (never a user-supplied name)."""
        return f"Vereinbarung-{self.voucher.code}-Version-{self.number}.pdf"


def signed_upload_to(instance, filename):
    return f"signed/{instance.voucher_id}/{instance.uuid}.pdf"


class SignedAgreement(models.Model):
    """The signed copy uploaded by the applicant (or a paper signature noted by the office)."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("hochgeladen, Prüfung ausstehend")
        CONFIRMED = "confirmed", _("bestätigt")
        REJECTED = "rejected", _("zurückgewiesen")
        SUPERSEDED = "superseded", _("ersetzt")

    voucher = models.ForeignKey(
        "vouchers.Voucher", on_delete=models.PROTECT, related_name="signed_agreements"
    )
    version = models.ForeignKey(
        AgreementVersion, on_delete=models.PROTECT, related_name="signed_copies"
    )
    uuid = models.UUIDField(unique=True, default=uuid.uuid4, editable=False)
    file = models.FileField(
        _("unterschriebene Vereinbarung"), upload_to=signed_upload_to, blank=True
    )
    on_paper = models.BooleanField(_("auf Papier unterschrieben"), default=False)
    note = models.TextField(_("Vermerk"), blank=True)
    sha256 = models.CharField(_("SHA-256"), max_length=64, blank=True)
    size = models.PositiveIntegerField(_("Dateigröße (Bytes)"), default=0)
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.UPLOADED
    )
    rejection_reason = models.TextField(_("Begründung der Zurückweisung"), blank=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    uploaded_at = models.DateTimeField(auto_now_add=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("unterschriebene Vereinbarung")
        verbose_name_plural = _("unterschriebene Vereinbarungen")
        ordering = ["-uploaded_at"]

    def __str__(self) -> str:
        return f"{self.voucher} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("agreements:signed_download", args=[self.pk])

    @property
    def download_name(self) -> str:
        return f"Vereinbarung-{self.voucher.code}-unterschrieben-{self.pk}.pdf"

    @property
    def is_pending(self) -> bool:
        return self.status == self.Status.UPLOADED


class RegenerationRun(models.Model):
    """A bulk regeneration of agreements (e.g. after a text change), run by a Celery task.

    The task records each processed voucher, so a retried task continues where it stopped and
    the progress page can show ``done`` of ``total``."""

    class Status(models.TextChoices):
        PENDING = "pending", _("wartet auf Start")
        RUNNING = "running", _("läuft")
        DONE = "done", _("abgeschlossen")
        FAILED = "failed", _("mit Fehlern abgeschlossen")

    programme = models.ForeignKey(
        "portal.Programme",
        on_delete=models.CASCADE,
        related_name="agreement_regenerations",
        verbose_name=_("Programm"),
    )
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.PENDING
    )
    voucher_ids = models.JSONField(default=list)
    processed_ids = models.JSONField(default=list)
    failed_ids = models.JSONField(default=list)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("gestartet am"), auto_now_add=True)
    finished_at = models.DateTimeField(_("beendet am"), null=True, blank=True)

    class Meta:
        verbose_name = _("Neuerzeugung der Vereinbarungen")
        verbose_name_plural = _("Neuerzeugungen der Vereinbarungen")
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"{self.programme} ({timezone.localtime(self.created_at):%d.%m.%Y %H:%M})"

    def get_absolute_url(self) -> str:
        return reverse("agreements:regeneration", args=[self.pk])

    @property
    def total(self) -> int:
        return len(self.voucher_ids)

    @property
    def done(self) -> int:
        return len(self.processed_ids) + len(self.failed_ids)

    @property
    def percent(self) -> int:
        return 100 if not self.total else round(100 * self.done / self.total)

    @property
    def is_finished(self) -> bool:
        return self.status in (self.Status.DONE, self.Status.FAILED)


def proof_of_use_upload_to(instance, filename):
    return f"proofs_of_use/{instance.voucher_id}/v{instance.number}.pdf"


PROOF_IMMUTABLE_MESSAGE = _(
    "Eine erzeugte Version des Verwendungsnachweises kann nicht geändert oder gelöscht werden. "
    "Erzeugen Sie bei Änderungen eine neue Version."
)
# The only fields the sign-off may set on a stored version.
PROOF_SIGN_OFF_FIELDS = frozenset({"status", "accepted_by", "accepted_at"})


class ProofOfUseQuerySet(models.QuerySet):
    def delete(self):
        raise InvalidTransition(PROOF_IMMUTABLE_MESSAGE)


class ProofOfUse(models.Model):
    """One drafted Verwendungsnachweis of a case (rule 13): an immutable, numbered PDF/A-2b
    with its SHA-256 and the data it was rendered from. The office signs one version off
    (draft → accepted); only that status step may touch a stored version."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        ACCEPTED = "accepted", _("freigegeben")

    voucher = models.ForeignKey(
        "vouchers.Voucher", on_delete=models.PROTECT, related_name="proofs_of_use"
    )
    number = models.PositiveIntegerField(_("Version"))
    pdf = models.FileField(_("PDF"), upload_to=proof_of_use_upload_to)
    sha256 = models.CharField(_("SHA-256"), max_length=64)
    snapshot = models.JSONField(_("Datenstand"), default=dict)
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("erstellt am"), auto_now_add=True)
    accepted_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    accepted_at = models.DateTimeField(_("freigegeben am"), null=True, blank=True)

    objects = ProofOfUseQuerySet.as_manager()

    class Meta:
        verbose_name = _("Verwendungsnachweis")
        verbose_name_plural = _("Verwendungsnachweise")
        ordering = ["voucher", "-number"]
        constraints = [
            models.UniqueConstraint(
                fields=["voucher", "number"], name="unique_proof_of_use_version"
            )
        ]

    def __str__(self) -> str:
        return f"{self.voucher} Verwendungsnachweis v{self.number}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            fields = kwargs.get("update_fields")
            if not fields or not set(fields) <= PROOF_SIGN_OFF_FIELDS:
                raise InvalidTransition(PROOF_IMMUTABLE_MESSAGE)
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("agreements:proof_of_use_download", args=[self.pk])

    def delete(self, *args, **kwargs):
        raise InvalidTransition(PROOF_IMMUTABLE_MESSAGE)

    @property
    def download_name(self) -> str:
        return f"Verwendungsnachweis-{self.voucher.code}-Version-{self.number}.pdf"

    @property
    def is_accepted(self) -> bool:
        return self.status == self.Status.ACCEPTED


class ClosingStatement(models.Model):
    """The organisation's own closing statement (its part of the Sachbericht)."""

    voucher = models.OneToOneField(
        "vouchers.Voucher", on_delete=models.CASCADE, related_name="closing_statement"
    )
    text = models.TextField(_("Abschlussbericht der Organisation"))
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(_("erstellt am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Abschlussbericht der Organisation")
        verbose_name_plural = _("Abschlussberichte der Organisationen")

    def __str__(self) -> str:
        return f"{self.voucher}"
