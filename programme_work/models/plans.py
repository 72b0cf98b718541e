"""Plan templates per programme and the process plan of each case (its milestones)."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PlanTemplate(models.Model):
    """A list of milestones a programme offers (seed 002's Bausteine, seed 003's steps …).
    The default template becomes the plan of each new case."""

    programme = models.ForeignKey(
        "portal.Programme",
        on_delete=models.CASCADE,
        related_name="plan_templates",
        verbose_name=_("Programm"),
    )
    key = models.SlugField(_("Kürzel"), max_length=40)
    name = models.CharField(_("Name"), max_length=200)
    is_default = models.BooleanField(_("Vorlage für neue Prozesspläne"), default=False)
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)

    class Meta:
        verbose_name = _("Planvorlage")
        verbose_name_plural = _("Planvorlagen")
        ordering = ["programme", "position", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "key"], name="plan_template_key_unique")
        ]

    def __str__(self) -> str:
        return self.name


class TemplateMilestone(models.Model):
    template = models.ForeignKey(
        PlanTemplate, on_delete=models.CASCADE, related_name="items", verbose_name=_("Vorlage")
    )
    position = models.PositiveSmallIntegerField(_("Reihenfolge"), default=0)
    section = models.CharField(_("Abschnitt"), max_length=200, blank=True)
    title = models.CharField(_("Titel"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True)

    class Meta:
        verbose_name = _("Meilenstein der Vorlage")
        verbose_name_plural = _("Meilensteine der Vorlage")
        ordering = ["template", "position", "pk"]

    def __str__(self) -> str:
        return self.title


class ProcessPlan(models.Model):
    """The plan of one case. Created from the programme's default template the first time the
    case is looked at (see ``programme_work.services.plans.plan_for``)."""

    voucher = models.OneToOneField(
        "vouchers.Voucher",
        on_delete=models.CASCADE,
        related_name="process_plan",
        verbose_name=_("Fall"),
    )
    template = models.ForeignKey(
        PlanTemplate, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("Vorlage")
    )
    created_at = models.DateTimeField(_("angelegt am"), auto_now_add=True)

    class Meta:
        verbose_name = _("Prozessplan")
        verbose_name_plural = _("Prozesspläne")

    def __str__(self) -> str:
        return str(self.voucher)


class Milestone(models.Model):
    class Status(models.TextChoices):
        OPEN = "open", _("offen")
        DONE = "done", _("erledigt")
        DROPPED = "dropped", _("entfallen")

    plan = models.ForeignKey(
        ProcessPlan, on_delete=models.CASCADE, related_name="milestones", verbose_name=_("Plan")
    )
    position = models.PositiveIntegerField(_("Reihenfolge"), default=0)
    section = models.CharField(_("Abschnitt"), max_length=200, blank=True)
    title = models.CharField(_("Titel"), max_length=200)
    description = models.TextField(_("Beschreibung"), blank=True)
    source = models.ForeignKey(
        TemplateMilestone,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        verbose_name=_("aus der Vorlage"),
    )
    status = models.CharField(
        _("Status"), max_length=10, choices=Status.choices, default=Status.OPEN
    )
    planned_on = models.DateField(_("geplant am"), null=True, blank=True)
    done_on = models.DateField(_("erledigt am"), null=True, blank=True)
    done_note = models.TextField(_("Notiz zum Ergebnis"), blank=True)
    drop_reason = models.TextField(_("Grund für das Entfallen"), blank=True)
    session_entries = models.ManyToManyField(
        "sessions_log.SessionEntry",
        blank=True,
        related_name="milestones",
        verbose_name=_("verknüpfte Sitzungen"),
    )
    updated_at = models.DateTimeField(_("geändert am"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("Meilenstein")
        verbose_name_plural = _("Meilensteine")
        ordering = ["plan", "position", "pk"]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(status="done") | models.Q(done_on__isnull=False),
                name="milestone_done_has_date",
            )
        ]

    def __str__(self) -> str:
        return self.title

    def is_overdue(self, today=None) -> bool:
        """Open, with a planned date that has passed."""
        today = today or timezone.localdate()
        return bool(self.status == self.Status.OPEN and self.planned_on and self.planned_on < today)
