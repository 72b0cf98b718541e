"""Session entries: the hours and units facilitators log against a voucher's cap."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Activity(models.TextChoices):
    """Activity types: the steps of seed 003, the building blocks of seed 002, and more."""

    VORBEREITUNG = "vorbereitung", _("Vor-/Nachbereitung")
    GESPRAECH_SPITZE = "gespraech_spitze", _("Gespräch mit kommunaler Spitze")
    STEUERGRUPPE = "steuergruppe", _("Treffen der Steuergruppe")
    AUFTAKT = "auftakt", _("Auftakttreffen der Steuergruppe")
    KONSULTATION = "konsultation", _("Konsultationsworkshop")
    ANALYSE = "analyse", _("Analyseworkshop")
    WORKSHOP = "workshop", _("Workshop")
    PRAESENTATION = "praesentation", _("Präsentation der Ergebnisse")
    QUARTALSTREFFEN = "quartalstreffen", _("Quartalstreffen der Steuergruppe")
    WIRKSAMKEIT = "wirksamkeit", _("Wirksamkeit überprüfen")
    BAUSTEIN_KONZEPTION = "baustein_konzeption", _("Baustein 1: Gemeinsame Konzeption")
    BAUSTEIN_COMMITMENT = "baustein_commitment", _("Baustein 2: Politisches Commitment")
    BAUSTEIN_ZUKUNFTSBILD = (
        "baustein_zukunftsbild",
        _("Baustein 3: Kraftvolles Zukunftsbild und Mobilisierung"),
    )
    BAUSTEIN_PROJEKTPLAN = "baustein_projektplan", _("Baustein 4: Projektplan für den Prozess")
    BAUSTEIN_INTEGRATIONSPLAN = "baustein_integrationsplan", _("Baustein 5: Integrationsplan")
    BAUSTEIN_UMSETZUNG = "baustein_umsetzung", _("Baustein 6: Umsetzung und Umsetzungsbegleitung")
    BAUSTEIN_NETZWERK = (
        "baustein_netzwerk",
        _("Baustein 7: Netzwerktreffen und Öffentlichkeitsarbeit"),
    )
    SPARRING = "sparring", _("Sparring (Telefon/Video)")
    SONSTIGES = "sonstiges", _("Sonstiges")


class Format(models.TextChoices):
    VOR_ORT = "vor_ort", _("vor Ort")
    TELEFON = "telefon", _("Telefon")
    VIDEO = "video", _("Video")


class SessionEntry(models.Model):
    """One logged session (or preparation time) on a voucher."""

    voucher = models.ForeignKey(
        "vouchers.Voucher",
        on_delete=models.PROTECT,
        related_name="sessions",
        verbose_name=_("Gutschein"),
    )
    facilitator = models.ForeignKey(
        "portal.FacilitatorProfile",
        on_delete=models.PROTECT,
        related_name="sessions",
        verbose_name=_("Prozessbegleiter*in"),
    )
    date = models.DateField(_("Datum"))
    minutes = models.PositiveIntegerField(_("Dauer (Minuten)"))
    units = models.PositiveIntegerField(
        _("Einheiten"), default=0, help_text=_("Virtuelle Begleitung: eine Einheit je 60 Minuten")
    )
    activity = models.CharField(_("Tätigkeit"), max_length=40, choices=Activity.choices)
    format = models.CharField(_("Format"), max_length=20, choices=Format.choices)
    participants = models.PositiveIntegerField(_("Teilnehmende"), null=True, blank=True)
    notes = models.TextField(_("Notizen/Ergebnis"), blank=True)
    # Decided when logged and stored, so later changes to other vouchers don't rewrite history.
    with_facilitator_in_process = models.BooleanField(
        _("mit Prozessbegleiter*in im Prozess"), default=False
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("Sitzung")
        verbose_name_plural = _("Sitzungen")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["voucher", "date"]),
            models.Index(fields=["facilitator", "date"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(minutes__gt=0), name="session_minutes_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.voucher} {self.date} {self.minutes} min"
