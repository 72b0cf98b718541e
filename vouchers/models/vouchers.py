from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _


class Voucher(models.Model):
    """A Gutschein: issued on approval, active once the agreement is signed, then closed."""

    class Status(models.TextChoices):
        ISSUED = "issued", _("ausgestellt")
        ACTIVE = "active", _("aktiv")
        CLOSING_REQUESTED = "closing_requested", _("Abschluss beantragt")
        CLOSED = "closed", _("abgeschlossen")
        FEEDBACK_SENT = "feedback_sent", _("Feedbackbogen versandt")
        FEEDBACK_RECEIVED = "feedback_received", _("Feedback erhalten")
        CANCELLED = "cancelled", _("storniert")

    OPEN_STATUSES = (Status.ISSUED, Status.ACTIVE, Status.CLOSING_REQUESTED)
    CLOSED_STATUSES = (Status.CLOSED, Status.FEEDBACK_SENT, Status.FEEDBACK_RECEIVED)

    class FeedbackStatus(models.TextChoices):
        NONE = "", _("—")
        PENDING = "pending", _("ausstehend")
        SENT = "sent", _("versandt")
        REMINDED = "reminded", _("erinnert")
        ANSWERED = "answered", _("beantwortet")

    code = models.CharField(_("Gutscheincode"), max_length=30, unique=True)
    application = models.OneToOneField(
        "vouchers.Application",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="voucher",
        verbose_name=_("Antrag"),
    )
    organisation = models.ForeignKey(
        "portal.Organisation",
        on_delete=models.PROTECT,
        related_name="vouchers",
        verbose_name=_("Organisation"),
    )
    programme = models.ForeignKey(
        "portal.Programme",
        on_delete=models.PROTECT,
        related_name="vouchers",
        verbose_name=_("Programm"),
    )
    period = models.ForeignKey(
        "portal.ProgrammePeriod",
        on_delete=models.PROTECT,
        related_name="vouchers",
        verbose_name=_("Programmzeitraum"),
    )
    status = models.CharField(
        _("Status"), max_length=20, choices=Status.choices, default=Status.ISSUED, db_index=True
    )
    facilitators = models.ManyToManyField(
        "portal.FacilitatorProfile",
        verbose_name=_("Prozessbegleiter*innen"),
        blank=True,
        related_name="vouchers",
    )
    # Caps copied from the programme at issue, so a later rule change does not rewrite them.
    cap_minutes = models.PositiveIntegerField(_("Obergrenze Minuten"), null=True, blank=True)
    cap_units = models.PositiveIntegerField(_("Obergrenze Einheiten"), null=True, blank=True)
    cap_units_in_process = models.PositiveIntegerField(
        _("davon mit Prozessbegleiter*innen im Prozess"), null=True, blank=True
    )
    valid_until = models.DateField(_("gültig bis"))
    issued_at = models.DateTimeField(_("ausgestellt am"))
    issued_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    activated_at = models.DateTimeField(_("Vereinbarung unterschrieben am"), null=True, blank=True)
    closing_requested_at = models.DateTimeField(null=True, blank=True)
    closing_report = models.TextField(_("Abschlussbericht"), blank=True)
    closing_next_steps = models.TextField(_("vereinbarte nächste Schritte"), blank=True)
    closing_follow_up_recommendation = models.TextField(
        _("Empfehlung zur Weiterbegleitung"), blank=True
    )
    closed_at = models.DateTimeField(_("abgeschlossen am"), null=True, blank=True)
    closed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancelled_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    cancellation_reason = models.TextField(_("Grund der Stornierung"), blank=True)
    # Outbox for the feedback email: set in the closing transaction, cleared by the task.
    feedback_status = models.CharField(
        _("Feedback"), max_length=20, choices=FeedbackStatus.choices, default="", blank=True
    )
    feedback_enqueued_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("Gutschein")
        verbose_name_plural = _("Gutscheine")
        ordering = ["-issued_at"]
        indexes = [
            models.Index(fields=["organisation", "programme", "status"]),
            models.Index(fields=["period", "status"]),
            models.Index(
                fields=["feedback_status"],
                name="voucher_feedback_pending_idx",
                condition=Q(feedback_status="pending"),
            ),
        ]

    def __str__(self) -> str:
        return self.code

    def get_absolute_url(self) -> str:
        return reverse("vouchers:case_detail", args=[self.pk])

    @property
    def is_open(self) -> bool:
        return self.status in self.OPEN_STATUSES

    @property
    def is_signed(self) -> bool:
        """The agreement has been signed (the voucher was activated): a cancellation from
        here on does not free its place (rule 2)."""
        return self.activated_at is not None

    @property
    def is_closed(self) -> bool:
        return self.status in self.CLOSED_STATUSES
