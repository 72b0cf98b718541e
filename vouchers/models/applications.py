from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


def submission_day_of(moment):
    """The calendar day in Europe/Berlin of ``moment`` (None stays None)."""
    if moment is None:
        return None
    from zoneinfo import ZoneInfo

    return timezone.localtime(moment, ZoneInfo("Europe/Berlin")).date()


class Application(models.Model):
    """An Antrag of an organisation for a voucher of one programme."""

    class Status(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        SUBMITTED = "submitted", _("eingereicht")
        IN_REVIEW = "in_review", _("in Prüfung")
        APPROVED = "approved", _("bewilligt")
        WAITLISTED = "waitlisted", _("Warteliste")
        REJECTED = "rejected", _("abgelehnt")
        WITHDRAWN = "withdrawn", _("zurückgezogen")

    OPEN_STATUSES = (Status.SUBMITTED, Status.IN_REVIEW, Status.WAITLISTED)
    # States the applicant may still withdraw from ("any open state", plus an unsent draft).
    WITHDRAWABLE_STATUSES = (Status.DRAFT, Status.SUBMITTED, Status.IN_REVIEW, Status.WAITLISTED)

    class Format(models.TextChoices):
        VOR_ORT = "vor_ort", _("vor Ort")
        DIGITAL = "digital", _("digital (Telefon/Video)")
        GEMISCHT = "gemischt", _("gemischt")

    organisation = models.ForeignKey(
        "portal.Organisation",
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("Organisation"),
    )
    programme = models.ForeignKey(
        "portal.Programme",
        on_delete=models.PROTECT,
        related_name="applications",
        verbose_name=_("Programm"),
    )
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    topics = models.ManyToManyField("portal.Topic", verbose_name=_("Themen"), blank=True)
    topics_other = models.CharField(_("Spezifische Themenfelder"), max_length=500, blank=True)
    challenge = models.TextField(_("Aktuelle Herausforderung"), blank=True)
    goals = models.TextField(_("Ziele der Begleitung"), blank=True)
    desired_start = models.DateField(_("gewünschter Beginn"), null=True, blank=True)
    desired_end = models.DateField(_("gewünschtes Ende"), null=True, blank=True)
    desired_format = models.CharField(
        _("gewünschtes Format"), max_length=20, choices=Format.choices, blank=True
    )
    preferred_facilitator = models.ForeignKey(
        "portal.FacilitatorProfile",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Wunsch-Prozessbegleiter*in"),
    )
    preferred_language = models.ForeignKey(
        "portal.Language",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("Sprache der Begleitung"),
        help_text=_("Nur angeben, wenn die Begleitung nicht auf Deutsch stattfinden soll."),
    )
    contact_name = models.CharField(_("Ansprechperson"), max_length=200, blank=True)
    contact_email = models.EmailField(_("E-Mail der Ansprechperson"), blank=True)
    contact_phone = models.CharField(_("Telefon der Ansprechperson"), max_length=50, blank=True)
    consent = models.BooleanField(_("Einwilligung Datenschutz"), default=False)
    follow_up_of = models.ForeignKey(
        "vouchers.Voucher",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="follow_up_applications",
        verbose_name=_("Folgeantrag zu"),
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)
    submitted_at = models.DateTimeField(_("eingereicht am"), null=True, blank=True)
    # The calendar day of ``submitted_at`` in Europe/Berlin, kept by ``save``: the queue orders
    # ties of a tier by it (and the lottery) without a time-zone conversion per row.
    submitted_on = models.DateField(
        _("eingereicht am (Tag)"), null=True, blank=True, editable=False
    )
    decided_at = models.DateTimeField(_("entschieden am"), null=True, blank=True)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    decision_reason = models.TextField(_("Begründung der Entscheidung"), blank=True)

    class Meta:
        verbose_name = _("Antrag")
        verbose_name_plural = _("Anträge")
        ordering = ["-created_at"]
        indexes = [
            # The queue: open applications of a programme in submission order.
            models.Index(
                fields=["programme", "submitted_at"],
                name="application_open_queue_idx",
                condition=Q(status__in=["submitted", "in_review", "waitlisted"]),
            ),
            # The same for SQLite, which uses a partial index only when the query spells the
            # condition's values literally (Django binds them as parameters): the queue's rows
            # and its count (covering) read just the open applications of the programme.
            models.Index(
                fields=["programme", "status", "submitted_at"],
                name="application_queue_status_idx",
            ),
            models.Index(fields=["organisation", "programme", "status"]),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status="draft") | Q(status="withdrawn") | Q(submitted_at__isnull=False),
                name="application_submitted_has_time",
            ),
        ]

    def __str__(self) -> str:
        return f"Antrag {self.pk} – {self.organisation}"

    def save(self, *args, **kwargs):
        day = submission_day_of(self.submitted_at)
        if day != self.submitted_on:
            self.submitted_on = day
            if kwargs.get("update_fields") is not None:
                kwargs["update_fields"] = {*kwargs["update_fields"], "submitted_on"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("vouchers:application_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_editable(self) -> bool:
        return self.status == self.Status.DRAFT
