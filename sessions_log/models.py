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


class EntryStatus(models.TextChoices):
    """Rule 10: the organisation confirms the facilitator's hours (or they are deemed
    confirmed after the programme's ``confirmation_days``); a dispute is resolved by the office."""

    PENDING = "pending", _("wartet auf Bestätigung")
    CONFIRMED = "confirmed", _("bestätigt")
    DISPUTED = "disputed", _("strittig")
    RESOLVED = "resolved", _("geklärt")


# Entries whose minutes count as delivered (proof of use, reports of hours delivered).
# Caps count every entry, whatever its status.
COUNTED_STATUSES = (EntryStatus.CONFIRMED, EntryStatus.RESOLVED)
# Entries that keep a case from closing.
OPEN_STATUSES = (EntryStatus.PENDING, EntryStatus.DISPUTED)


class SessionEntryQuerySet(models.QuerySet):
    def confirmed(self):
        """Entries whose minutes count as delivered (confirmed, deemed or resolved)."""
        return self.filter(status__in=COUNTED_STATUSES)

    def open(self):
        """Entries still waiting: pending or disputed."""
        return self.filter(status__in=OPEN_STATUSES)


class SessionEntry(models.Model):
    """One logged session (or preparation time) on a voucher."""

    Status = EntryStatus

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
    # Rule 10: two-sided hours. New entries start pending; the data migration marked the
    # entries that existed before this rule as confirmed (they had been accepted then).
    # ``db_default`` too: bulk loads that name only the old columns (bench, imports) still
    # get a valid state.
    status = models.CharField(
        _("Bestätigung"),
        max_length=20,
        choices=EntryStatus.choices,
        default=EntryStatus.PENDING,
        db_default=EntryStatus.PENDING,
    )
    confirmed_at = models.DateTimeField(_("bestätigt am"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    deemed_confirmed = models.BooleanField(_("gilt als bestätigt"), default=False, db_default=False)
    disputed_at = models.DateTimeField(_("widersprochen am"), null=True, blank=True)
    disputed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    dispute_reason = models.TextField(_("Begründung des Widerspruchs"), blank=True, db_default="")
    resolved_at = models.DateTimeField(_("geklärt am"), null=True, blank=True)
    resolved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    resolution_note = models.TextField(_("Vermerk zur Klärung"), blank=True, db_default="")

    objects = SessionEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("Sitzung")
        verbose_name_plural = _("Sitzungen")
        ordering = ["-date", "-pk"]
        indexes = [
            models.Index(fields=["voucher", "date"]),
            models.Index(fields=["facilitator", "date"]),
            models.Index(fields=["status", "created_at"]),
        ]
        constraints = [
            models.CheckConstraint(condition=Q(minutes__gt=0), name="session_minutes_positive"),
        ]

    def __str__(self) -> str:
        return f"{self.voucher} {self.date} {self.minutes} min"

    @property
    def counts_as_delivered(self) -> bool:
        return self.status in COUNTED_STATUSES


class ConfirmationDigest(models.Model):
    """One digest email per organisation and day while entries wait for confirmation: the
    unique row is taken before the email is sent, so a second run the same day sends nothing."""

    organisation = models.ForeignKey(
        "portal.Organisation", on_delete=models.CASCADE, related_name="+"
    )
    day = models.DateField()
    pending = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Erinnerung an offene Bestätigungen")
        verbose_name_plural = _("Erinnerungen an offene Bestätigungen")
        constraints = [
            models.UniqueConstraint(fields=["organisation", "day"], name="unique_digest_per_day")
        ]

    def __str__(self) -> str:
        return f"{self.organisation_id} {self.day}"
