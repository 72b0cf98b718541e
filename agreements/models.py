"""Agreement versions (Vereinbarung), their text blocks and the signed copies."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AgreementTextBlock(models.Model):
    """An editable text block of a programme's agreement template (managed in the admin)."""

    programme = models.ForeignKey(
        "portal.Programme", on_delete=models.CASCADE, related_name="agreement_blocks"
    )
    key = models.SlugField(_("Schlüssel"), max_length=60)
    title = models.CharField(_("Überschrift"), max_length=200, blank=True)
    body = models.TextField(_("Text"))
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

    class Meta:
        verbose_name = _("Version der Vereinbarung")
        verbose_name_plural = _("Versionen der Vereinbarung")
        ordering = ["voucher", "-number"]
        constraints = [
            models.UniqueConstraint(fields=["voucher", "number"], name="unique_agreement_version")
        ]

    def __str__(self) -> str:
        return f"{self.voucher} v{self.number}"


def signed_upload_to(instance, filename):
    return f"signed/{instance.voucher_id}/{instance.uuid}.pdf"


class SignedAgreement(models.Model):
    """The signed copy uploaded by the applicant (or a paper signature noted by the office)."""

    class Status(models.TextChoices):
        UPLOADED = "uploaded", _("hochgeladen, Prüfung ausstehend")
        CONFIRMED = "confirmed", _("bestätigt")
        REJECTED = "rejected", _("zurückgewiesen")

    voucher = models.ForeignKey(
        "vouchers.Voucher", on_delete=models.PROTECT, related_name="signed_agreements"
    )
    version = models.ForeignKey(
        AgreementVersion, on_delete=models.PROTECT, related_name="signed_copies"
    )
    uuid = models.UUIDField(unique=True)
    file = models.FileField(
        _("unterschriebene Vereinbarung"), upload_to=signed_upload_to, blank=True
    )
    on_paper = models.BooleanField(_("auf Papier unterschrieben"), default=False)
    note = models.TextField(_("Vermerk"), blank=True)
    sha256 = models.CharField(max_length=64, blank=True)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.UPLOADED)
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
