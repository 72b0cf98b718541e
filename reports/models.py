"""Models of the reports app: export jobs written by a Celery task."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.models import export_upload_to


class ExportJob(models.Model):
    """A large report export written by a Celery task; downloadable for a limited time."""

    class Status(models.TextChoices):
        PENDING = "pending", _("wartet")
        RUNNING = "running", _("läuft")
        DONE = "done", _("fertig")
        FAILED = "failed", _("fehlgeschlagen")

    uuid = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="export_jobs"
    )
    report = models.CharField(_("Bericht"), max_length=20)
    file_format = models.CharField(_("Format"), max_length=4)
    # The list's filter parameters (a QueryDict as lists), so the task applies the same filters.
    params = models.JSONField(default=dict, blank=True)
    status = models.CharField(
        _("Status"), max_length=10, choices=Status.choices, default=Status.PENDING
    )
    total_rows = models.PositiveIntegerField(_("Zeilen gesamt"), default=0)
    rows_written = models.PositiveIntegerField(_("Zeilen geschrieben"), default=0)
    file = models.FileField(_("Datei"), upload_to=export_upload_to, blank=True)
    error = models.TextField(_("Fehler"), blank=True)
    created_at = models.DateTimeField(_("angelegt am"), default=timezone.now)
    finished_at = models.DateTimeField(_("fertig am"), null=True, blank=True)
    expires_at = models.DateTimeField(_("gelöscht ab"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("Export")
        verbose_name_plural = _("Exporte")
        ordering = ["-created_at", "-pk"]
        # Created by the portal app before the reports app existed; the table keeps its name.
        db_table = "portal_exportjob"

    def __str__(self) -> str:
        return f"{self.report}.{self.file_format} ({self.get_status_display()})"

    def get_absolute_url(self) -> str:
        return reverse("reports:export_job", args=[self.uuid])

    @property
    def progress_percent(self) -> int:
        if self.status == self.Status.DONE:
            return 100
        if not self.total_rows:
            return 0
        return min(100, int(self.rows_written * 100 / self.total_rows))
