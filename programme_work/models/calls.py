"""The competitive call (Ausschreibung) of the Entwicklungswerkstatt, its criteria and reviews."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class Call(models.Model):
    class Status(models.TextChoices):
        DRAFT = "draft", _("Entwurf")
        OPEN = "open", _("offen")
        CLOSED = "closed", _("geschlossen")
        SELECTED = "selected", _("Auswahl bestätigt")

    programme = models.ForeignKey(
        "portal.Programme", on_delete=models.PROTECT, related_name="calls"
    )
    period = models.ForeignKey(
        "portal.ProgrammePeriod", on_delete=models.PROTECT, related_name="calls"
    )
    title = models.CharField(_("Titel"), max_length=200)
    text = models.TextField(_("Ausschreibungstext"), blank=True)
    conditions = models.TextField(_("Teilnahmebedingungen"), blank=True)
    opens_at = models.DateTimeField(_("Beginn der Bewerbungsfrist"))
    deadline = models.DateTimeField(_("Bewerbungsschluss"))
    places_municipalities = models.PositiveSmallIntegerField(_("Plätze für Kommunen"), default=10)
    places_districts = models.PositiveSmallIntegerField(_("Plätze für Kreise"), default=10)
    max_per_region = models.PositiveSmallIntegerField(
        _("höchstens je Region"), null=True, blank=True
    )
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.DRAFT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-opens_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(deadline__gt=models.F("opens_at")), name="call_deadline_after_opening"
            )
        ]

    def __str__(self) -> str:
        return self.title


class Criterion(models.Model):
    call = models.ForeignKey(Call, on_delete=models.CASCADE, related_name="criteria")
    name = models.CharField(_("Kriterium"), max_length=200)
    weight = models.PositiveSmallIntegerField(
        _("Gewicht"), default=1, validators=[MinValueValidator(1), MaxValueValidator(100)]
    )
    order = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return self.name


class CallApplication(models.Model):
    call = models.ForeignKey(Call, on_delete=models.PROTECT, related_name="applications")
    application = models.OneToOneField(
        "vouchers.Application", on_delete=models.CASCADE, related_name="call_application"
    )
    team_member_1 = models.CharField(_("Entwicklungsteam: erste Person"), max_length=200)
    team_member_2 = models.CharField(_("Entwicklungsteam: zweite Person"), max_length=200)
    letter_of_support = models.FileField(
        _("Unterstützungsschreiben der Verwaltungsspitze"),
        upload_to="calls/letters/",
        blank=True,
    )
    region = models.CharField(_("Regierungsbezirk"), max_length=100, blank=True)
    late_admitted = models.BooleanField(_("verspätet zugelassen"), default=False)
    submitted_at = models.DateTimeField(null=True, blank=True)

    def __str__(self) -> str:
        return f"{self.call} – {self.application_id}"


class ReviewAssignment(models.Model):
    call_application = models.ForeignKey(
        CallApplication, on_delete=models.CASCADE, related_name="reviews"
    )
    reviewer = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="call_reviews"
    )
    conflict = models.BooleanField(_("Interessenkonflikt"), default=False)
    conflict_reason = models.TextField(_("Begründung"), blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["call_application", "reviewer"], name="review_once_per_reviewer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.call_application_id} / {self.reviewer_id}"


class Score(models.Model):
    assignment = models.ForeignKey(
        ReviewAssignment, on_delete=models.CASCADE, related_name="scores"
    )
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    value = models.PositiveSmallIntegerField(
        _("Punkte"), validators=[MinValueValidator(0), MaxValueValidator(5)]
    )
    justification = models.TextField(_("Begründung"), blank=True)

    class Meta:
        constraints = [
            models.CheckConstraint(condition=Q(value__lte=5), name="score_value_0_to_5"),
            models.UniqueConstraint(fields=["assignment", "criterion"], name="score_once"),
        ]

    def __str__(self) -> str:
        return f"{self.criterion_id}: {self.value}"
