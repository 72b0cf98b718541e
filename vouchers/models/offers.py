"""Offers of freed places (rule 11) and the allocation log (Vergabeprotokoll) of a period."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Offer(models.Model):
    """A freed place offered to the first application in rank, with a deadline.

    While ``open`` it reserves its place in ``period``'s contingent. One offer per application
    and period, ever (a declined or expired place never returns to the same Antrag)."""

    class Status(models.TextChoices):
        OPEN = "open", _("offen")
        ACCEPTED = "accepted", _("angenommen")
        DECLINED = "declined", _("abgelehnt")
        EXPIRED = "expired", _("abgelaufen")

    application = models.ForeignKey(
        "vouchers.Application",
        on_delete=models.PROTECT,
        related_name="offers",
        verbose_name=_("Antrag"),
    )
    period = models.ForeignKey(
        "portal.ProgrammePeriod",
        on_delete=models.PROTECT,
        related_name="offers",
        verbose_name=_("Programmzeitraum"),
    )
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.OPEN
    )
    expires_at = models.DateTimeField(_("Frist bis"))
    created_at = models.DateTimeField(_("angeboten am"), auto_now_add=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decided_at = models.DateTimeField(_("entschieden am"), null=True, blank=True)
    # The rank at the time of the offer, as the allocation log shows it.
    tier = models.PositiveSmallIntegerField(_("Rang"), null=True, blank=True)
    rule = models.CharField(_("entscheidende Regel"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("Platzangebot")
        verbose_name_plural = _("Platzangebote")
        ordering = ["-created_at", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["application", "period"], name="one_offer_per_application_and_period"
            ),
        ]
        indexes = [
            models.Index(
                fields=["period", "status"],
                name="offer_open_idx",
                condition=Q(status="open"),
            ),
            models.Index(fields=["status", "expires_at"]),
        ]

    def __str__(self) -> str:
        return f"Platzangebot {self.pk} – Antrag {self.application_id}"

    def get_absolute_url(self) -> str:
        return reverse("vouchers:offer_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status == self.Status.OPEN


class AllocationEvent(models.Model):
    """One line of a period's allocation log: written by the service that made the step."""

    class Kind(models.TextChoices):
        SEED = "seed", _("Losentscheid-Seed gezogen")
        ALLOCATED = "allocated", _("vergeben")
        OFFERED = "offered", _("angeboten")
        ACCEPTED = "accepted", _("Angebot angenommen")
        DECLINED = "declined", _("Angebot abgelehnt")
        EXPIRED = "expired", _("Angebot abgelaufen")
        CANCELLED = "cancelled", _("storniert, Platz frei")
        CANCELLED_SIGNED = "cancelled_signed", _("storniert nach Unterschrift")
        CONTINGENT = "contingent", _("Kontingent geändert")

    period = models.ForeignKey(
        "portal.ProgrammePeriod",
        on_delete=models.CASCADE,
        related_name="allocation_events",
        verbose_name=_("Programmzeitraum"),
    )
    kind = models.CharField(_("Schritt"), max_length=20, choices=Kind.choices)
    created_at = models.DateTimeField(_("Zeitpunkt"), db_index=True)
    application = models.ForeignKey(
        "vouchers.Application",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
    )
    voucher = models.ForeignKey(
        "vouchers.Voucher", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    offer = models.ForeignKey(
        Offer, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    tier = models.PositiveSmallIntegerField(_("Rang"), null=True, blank=True)
    submitted_at = models.DateTimeField(_("Eingang"), null=True, blank=True)
    rule = models.CharField(_("entscheidende Regel"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("Eintrag im Vergabeprotokoll")
        verbose_name_plural = _("Vergabeprotokoll")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["period", "created_at"])]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} {self.created_at:%d.%m.%Y}"
