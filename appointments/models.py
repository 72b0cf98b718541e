"""The sparring calendar: slots facilitators publish, appointments organisations book."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Format(models.TextChoices):
    """A sparring runs by phone or video (seed 001); the same keys as the session log."""

    TELEFON = "telefon", _("Telefon")
    VIDEO = "video", _("Video")


class CalendarSettings(models.Model):
    """A facilitator's defaults for publishing slots: format, link or phone note, the buffer
    between two slots and the most slots on one day."""

    facilitator = models.OneToOneField(
        "portal.FacilitatorProfile", on_delete=models.CASCADE, related_name="calendar_settings"
    )
    format = models.CharField(_("Format"), max_length=20, choices=Format.choices, default="video")
    video_link = models.URLField(_("Link zur Videokonferenz"), blank=True)
    phone_note = models.CharField(_("Hinweis zum Telefonat"), max_length=200, blank=True)
    buffer_minutes = models.PositiveSmallIntegerField(
        _("Pause zwischen zwei Terminen (Minuten)"),
        default=15,
        validators=[MaxValueValidator(240)],
    )
    daily_max = models.PositiveSmallIntegerField(
        _("höchstens Termine je Tag"),
        default=4,
        validators=[MinValueValidator(1), MaxValueValidator(12)],
    )

    class Meta:
        verbose_name = _("Kalendereinstellungen")
        verbose_name_plural = _("Kalendereinstellungen")

    def __str__(self) -> str:
        return str(self.facilitator)


class Slot(models.Model):
    """A 60-minute sparring slot a facilitator offers in a programme (stored in UTC)."""

    facilitator = models.ForeignKey(
        "portal.FacilitatorProfile",
        on_delete=models.CASCADE,
        related_name="slots",
        verbose_name=_("Sparring-Partner*in"),
    )
    programme = models.ForeignKey(
        "portal.Programme",
        on_delete=models.CASCADE,
        related_name="slots",
        verbose_name=_("Programm"),
    )
    starts_at = models.DateTimeField(_("Beginn"))
    ends_at = models.DateTimeField(_("Ende"))
    format = models.CharField(_("Format"), max_length=20, choices=Format.choices, default="video")
    video_link = models.URLField(_("Link zur Videokonferenz"), blank=True)
    phone_note = models.CharField(_("Hinweis zum Telefonat"), max_length=200, blank=True)
    withdrawn_at = models.DateTimeField(_("zurückgezogen am"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Sparring-Termin")
        verbose_name_plural = _("Sparring-Termine")
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["facilitator", "starts_at"]),
            models.Index(fields=["programme", "starts_at"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(ends_at__gt=models.F("starts_at")), name="slot_ends_after_start"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.facilitator} {self.starts_at:%Y-%m-%d %H:%M} UTC"


class Appointment(models.Model):
    """A booking of a slot by an organisation's member on its Virtuelle-Begleitung case."""

    class Status(models.TextChoices):
        BOOKED = "booked", _("gebucht")
        HELD = "held", _("stattgefunden")
        CANCELLED = "cancelled", _("abgesagt")
        NO_SHOW = "no_show", _("nicht erschienen")

    # The statuses that occupy the slot: a slot is booked at most once.
    OCCUPYING = (Status.BOOKED, Status.HELD, Status.NO_SHOW)

    slot = models.ForeignKey(
        Slot, on_delete=models.PROTECT, related_name="appointments", verbose_name=_("Termin")
    )
    voucher = models.ForeignKey(
        "vouchers.Voucher",
        on_delete=models.PROTECT,
        related_name="appointments",
        verbose_name=_("Zusage"),
    )
    # Copied from the voucher and slot so the cap sums and lists need no joins.
    organisation = models.ForeignKey(
        "portal.Organisation", on_delete=models.PROTECT, related_name="appointments"
    )
    facilitator = models.ForeignKey(
        "portal.FacilitatorProfile", on_delete=models.PROTECT, related_name="appointments"
    )
    starts_at = models.DateTimeField(_("Beginn"))
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.BOOKED, db_index=True
    )
    # Decided at booking and stored (rule 5): later changes to other cases don't rewrite it.
    with_facilitator_in_process = models.BooleanField(
        _("mit Prozessbegleiter*in im Prozess"), default=False
    )
    # A late cancellation or a no-show that the programme counts as a used unit.
    counts = models.BooleanField(_("zählt als Einheit"), default=False)
    uid = models.UUIDField(_("Kalender-UID"), default=uuid.uuid4, unique=True, editable=False)
    booked_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    booked_at = models.DateTimeField(auto_now_add=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    late = models.BooleanField(_("kurzfristig abgesagt"), default=False)
    reason = models.TextField(_("Begründung"), blank=True)
    session_entry = models.OneToOneField(
        "sessions_log.SessionEntry",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="appointment",
    )
    # Outbox marks: each email leaves exactly once (claimed by a conditional UPDATE).
    invitation_sent_at = models.DateTimeField(null=True, blank=True)
    reminder_sent_at = models.DateTimeField(null=True, blank=True)
    cancellation_sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Sparring-Buchung")
        verbose_name_plural = _("Sparring-Buchungen")
        ordering = ["starts_at", "pk"]
        indexes = [
            models.Index(fields=["organisation", "status"]),
            models.Index(fields=["facilitator", "starts_at"]),
            models.Index(fields=["status", "starts_at"]),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["slot"],
                condition=Q(status__in=["booked", "held", "no_show"]),
                name="appointment_one_active_per_slot",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organisation} – {self.slot}"

    @property
    def ends_at(self):
        return self.slot.ends_at


class FeedToken(models.Model):
    """The secret of a private ICS feed URL, of one facilitator or one organisation.
    Revoking sets ``revoked_at``; the URL then answers 404."""

    facilitator = models.ForeignKey(
        "portal.FacilitatorProfile",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="feed_tokens",
    )
    organisation = models.ForeignKey(
        "portal.Organisation",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="feed_tokens",
    )
    token = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Kalender-Abo")
        verbose_name_plural = _("Kalender-Abos")
        constraints = [
            models.CheckConstraint(
                condition=Q(facilitator__isnull=False, organisation__isnull=True)
                | Q(facilitator__isnull=True, organisation__isnull=False),
                name="feedtoken_one_owner",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.facilitator or self.organisation} ({'widerrufen' if self.revoked_at else 'aktiv'})"
