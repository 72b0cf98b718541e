"""The project groups of a case (seed 002, Bausteine 1 and 3): the Steuerungsgruppe and the
Begleit- oder Resonanzgruppe."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class GroupMember(models.Model):
    class Group(models.TextChoices):
        STEERING = "steuerungsgruppe", _("Steuerungsgruppe")
        RESONANCE = "resonanzgruppe", _("Begleit- oder Resonanzgruppe")

    class Sector(models.TextChoices):
        ADMINISTRATION = "verwaltung", _("Verwaltung")
        POLITICS = "politik", _("Politik (Gemeinderat/Kreistag)")
        CIVIL_SOCIETY = "zivilgesellschaft", _("Zivilgesellschaft/Engagierte")
        MIGRANTS = "migration", _("Migrantenorganisation/Geflüchtete")
        BUSINESS = "wirtschaft", _("Wirtschaft")
        OTHER = "sonstige", _("Sonstige")

    voucher = models.ForeignKey(
        "vouchers.Voucher",
        on_delete=models.CASCADE,
        related_name="group_members",
        verbose_name=_("Fall"),
    )
    group = models.CharField(_("Gruppe"), max_length=20, choices=Group.choices)
    name = models.CharField(_("Name"), max_length=200)
    organisation = models.CharField(_("Organisation"), max_length=200, blank=True)
    sector = models.CharField(_("Bereich"), max_length=20, choices=Sector.choices)
    role = models.CharField(_("Rolle in der Gruppe"), max_length=200, blank=True)
    email = models.EmailField(_("E-Mail (freiwillig)"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Mitglied einer Projektgruppe")
        verbose_name_plural = _("Mitglieder der Projektgruppen")
        ordering = ["voucher", "group", "name", "pk"]

    def __str__(self) -> str:
        return self.name
