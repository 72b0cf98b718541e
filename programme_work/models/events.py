"""Network meetings, transfer workshops and workshops of a programme, with invitations,
registrations and attendance per partner organisation (seed 002, Baustein 7)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Event(models.Model):
    class Kind(models.TextChoices):
        NETWORK = "netzwerktreffen", _("Netzwerktreffen")
        TRANSFER = "transferworkshop", _("Transferworkshop")
        WORKSHOP = "workshop", _("Workshop")

    programme = models.ForeignKey(
        "portal.Programme",
        on_delete=models.PROTECT,
        related_name="events",
        verbose_name=_("Programm"),
    )
    uid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    title = models.CharField(_("Titel"), max_length=200)
    kind = models.CharField(_("Art"), max_length=20, choices=Kind.choices, default=Kind.NETWORK)
    starts_at = models.DateTimeField(_("Beginn"))
    ends_at = models.DateTimeField(_("Ende"))
    place = models.CharField(_("Ort"), max_length=300, blank=True)
    video_link = models.URLField(_("Videolink"), blank=True)
    description = models.TextField(_("Beschreibung"), blank=True)
    mandatory = models.BooleanField(_("Teilnahme verpflichtend"), default=True)
    capacity = models.PositiveIntegerField(
        _("Plätze (Organisationen)"), null=True, blank=True, help_text=_("leer: unbegrenzt")
    )
    registration_deadline = models.DateTimeField(_("Anmeldeschluss"), null=True, blank=True)
    cancelled = models.BooleanField(_("abgesagt"), default=False)
    invited_at = models.DateTimeField(_("eingeladen am"), null=True, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Veranstaltung")
        verbose_name_plural = _("Veranstaltungen")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")), name="event_ends_after_start"
            )
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        from django.urls import reverse

        return reverse("programme_work:event_detail", args=[self.pk])

    @property
    def is_held(self) -> bool:
        """Took place: not cancelled and over."""
        return not self.cancelled and self.ends_at <= timezone.now()

    @property
    def registration_open(self) -> bool:
        now = timezone.now()
        deadline = self.registration_deadline or self.starts_at
        return not self.cancelled and now < deadline


class Participation(models.Model):
    """One partner organisation at one event: its answer (registered or excused, with a
    reason) and, after the event, its attendance as recorded by the office."""

    class Response(models.TextChoices):
        NONE = "", _("keine Rückmeldung")
        REGISTERED = "registered", _("angemeldet")
        EXCUSED = "excused", _("entschuldigt")

    class Attendance(models.TextChoices):
        UNKNOWN = "", _("nicht erfasst")
        PRESENT = "present", _("anwesend")
        EXCUSED = "excused", _("entschuldigt")
        ABSENT = "absent", _("abwesend")

    event = models.ForeignKey(
        Event,
        on_delete=models.CASCADE,
        related_name="participations",
        verbose_name=_("Veranstaltung"),
    )
    organisation = models.ForeignKey(
        "portal.Organisation",
        on_delete=models.CASCADE,
        related_name="event_participations",
        verbose_name=_("Organisation"),
    )
    voucher = models.ForeignKey(
        "vouchers.Voucher",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="event_participations",
        verbose_name=_("Fall"),
    )
    response = models.CharField(
        _("Rückmeldung"), max_length=12, choices=Response.choices, default="", blank=True
    )
    reason = models.TextField(_("Grund der Entschuldigung"), blank=True)
    persons = models.PositiveSmallIntegerField(_("Personen"), default=1)
    responded_at = models.DateTimeField(null=True, blank=True)
    responded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    attendance = models.CharField(
        _("Anwesenheit"), max_length=10, choices=Attendance.choices, default="", blank=True
    )
    recorded_at = models.DateTimeField(null=True, blank=True)
    recorded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("Teilnahme")
        verbose_name_plural = _("Teilnahmen")
        ordering = ["event", "organisation__name", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "organisation"], name="participation_event_organisation_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_id}/{self.organisation_id}"


class EventInvitation(models.Model):
    """One invitation email to one contact; ``sent_at`` is claimed before sending, so each
    contact gets exactly one (see ``services.events.send_invitations``)."""

    participation = models.ForeignKey(
        Participation, on_delete=models.CASCADE, related_name="invitations"
    )
    email = models.EmailField(_("E-Mail"))
    name = models.CharField(_("Name"), max_length=200, blank=True)
    sent_at = models.DateTimeField(_("versandt am"), null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Einladung")
        verbose_name_plural = _("Einladungen")
        constraints = [
            models.UniqueConstraint(
                fields=["participation", "email"], name="invitation_participation_email_unique"
            )
        ]

    def __str__(self) -> str:
        return self.email
