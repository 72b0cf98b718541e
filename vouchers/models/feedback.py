from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _


class FeedbackRequest(models.Model):
    """One invitation to the feedback form: one per (voucher, recipient), sent at most once."""

    class Kind(models.TextChoices):
        CONTACT = "contact", _("Ansprechperson der Organisation")
        FACILITATOR = "facilitator", _("Prozessbegleiter*in")

    voucher = models.ForeignKey(
        "vouchers.Voucher", on_delete=models.CASCADE, related_name="feedback_requests"
    )
    recipient = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    recipient_email = models.EmailField(_("Empfänger*in"))
    recipient_name = models.CharField(_("Name"), max_length=200, blank=True)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CONTACT)
    # Random part of the signed token; the link is single-use (answered_at) and expires.
    nonce = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(_("versandt am"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("erinnert am"), null=True, blank=True)
    answered_at = models.DateTimeField(_("beantwortet am"), null=True, blank=True)
    expires_at = models.DateTimeField(_("gültig bis"), null=True, blank=True)

    class Meta:
        verbose_name = _("Feedbackanfrage")
        verbose_name_plural = _("Feedbackanfragen")
        ordering = ["voucher", "recipient_email"]
        constraints = [
            models.UniqueConstraint(
                fields=["voucher", "recipient_email"], name="one_feedback_request_per_recipient"
            )
        ]

    def __str__(self) -> str:
        return f"{self.voucher} → {self.recipient_email}"


def _rating(label):
    return models.PositiveSmallIntegerField(
        label, validators=[MinValueValidator(1), MaxValueValidator(5)]
    )


class FeedbackResponse(models.Model):
    """The answers of one recipient."""

    request = models.OneToOneField(
        FeedbackRequest, on_delete=models.CASCADE, related_name="response"
    )
    satisfaction = _rating(_("Zufriedenheit mit der Prozessbegleitung"))
    goals_reached = _rating(_("Ziele erreicht"))
    structure_useful = _rating(_("Nutzen der Struktur für das Netzwerk"))
    would_recommend = models.BooleanField(_("würde die Prozessbegleitung weiterempfehlen"))
    what_helped = models.TextField(_("Was hat geholfen?"), blank=True)
    what_to_improve = models.TextField(_("Was sollten wir verbessern?"), blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("Feedbackantwort")
        verbose_name_plural = _("Feedbackantworten")
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(satisfaction__gte=1, satisfaction__lte=5)
                & models.Q(goals_reached__gte=1, goals_reached__lte=5)
                & models.Q(structure_useful__gte=1, structure_useful__lte=5),
                name="feedback_ratings_in_range",
            )
        ]

    def __str__(self) -> str:
        return f"Feedback {self.request}"
