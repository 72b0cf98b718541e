"""Admission prerequisites of an accompanied process (seed 002 §3 and Baustein 2): the fixed
contact person in the administration and the council or district decision (PDF)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class AdministrationContact(models.Model):
    """„Für die organisatorische Durchführung der Prozessbegleitung benennt der Projektpartner
    eine feste Ansprechperson innerhalb der Verwaltung.“ (seed 002, 3.)"""

    application = models.OneToOneField(
        "vouchers.Application",
        on_delete=models.CASCADE,
        related_name="administration_contact",
        verbose_name=_("Antrag"),
    )
    name = models.CharField(_("Name"), max_length=200)
    function = models.CharField(_("Funktion/Amt"), max_length=200, blank=True)
    email = models.EmailField(_("E-Mail"))
    phone = models.CharField(_("Telefon"), max_length=50, blank=True)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("feste Ansprechperson in der Verwaltung")
        verbose_name_plural = _("feste Ansprechpersonen in der Verwaltung")

    def __str__(self) -> str:
        return self.name


def decision_path(instance: CouncilDecision, filename: str) -> str:
    return f"beschluesse/{instance.uuid}.pdf"


class CouncilDecision(models.Model):
    """An uploaded Gemeinderats- or Kreistagsbeschluss. A new upload supersedes the earlier
    ones (``current``); at most ``MAX_UPLOADS`` per Antrag (quota)."""

    MAX_UPLOADS = 5

    application = models.ForeignKey(
        "vouchers.Application",
        on_delete=models.CASCADE,
        related_name="council_decisions",
        verbose_name=_("Antrag"),
    )
    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    file = models.FileField(_("Datei"), upload_to=decision_path)
    sha256 = models.CharField(max_length=64)
    size = models.PositiveIntegerField(_("Größe (Bytes)"))
    decided_on = models.DateField(_("Datum des Beschlusses"), null=True, blank=True)
    current = models.BooleanField(_("gültig"), default=True)
    uploaded_at = models.DateTimeField(_("hochgeladen am"), auto_now_add=True)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )

    class Meta:
        verbose_name = _("Beschluss (Gemeinderat/Kreistag)")
        verbose_name_plural = _("Beschlüsse (Gemeinderat/Kreistag)")
        ordering = ["-uploaded_at", "-pk"]

    def __str__(self) -> str:
        return f"{self.application_id}: {self.uploaded_at:%Y-%m-%d}"
