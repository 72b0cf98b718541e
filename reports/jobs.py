"""Large exports as background jobs: created by the view, written by a Celery task into
``MEDIA_ROOT/exports/`` (outside the web root), downloaded through a permission-checked view,
deleted after ``REPORTS_EXPORT_KEEP_DAYS`` days."""

from __future__ import annotations

import datetime as dt
import logging
import tempfile

from django.conf import settings
from django.core.files import File
from django.db import transaction
from django.db.models import Q
from django.http import QueryDict
from django.utils import timezone

from portal.audit import log_action
from portal.tasking import task
from reports import exports
from reports.models import ExportJob
from reports.registry import REPORTS, filtered_queryset

logger = logging.getLogger(__name__)


def params_to_querydict(params: dict) -> QueryDict:
    qd = QueryDict(mutable=True)
    for key, values in params.items():
        qd.setlist(key, values if isinstance(values, list) else [values])
    return qd


def start_export_job(*, by, report_key: str, file_format: str, params: QueryDict, total: int):
    """Record the job and enqueue the task after commit."""
    clean = {k: v for k, v in params.lists() if k != "page"}
    job = ExportJob.objects.create(
        created_by=by,
        report=report_key,
        file_format=file_format,
        params=clean,
        total_rows=total,
    )
    log_action(by, "report.export_requested", job, data={"report": report_key, "rows": total})
    transaction.on_commit(lambda: task("reports.tasks.run_export").delay(job_id=job.pk))
    return job


def run_export_job(job_id: int) -> ExportJob | None:
    """Write the file. Runs in the worker; idempotent (a finished job is left alone)."""
    job = ExportJob.objects.filter(pk=job_id).select_related("created_by").first()
    if job is None or job.status == ExportJob.Status.DONE:
        return job
    report = REPORTS[job.report]
    ExportJob.objects.filter(pk=job.pk).update(status=ExportJob.Status.RUNNING, rows_written=0)
    params = params_to_querydict(job.params)
    _, qs = filtered_queryset(report, job.created_by, params)

    def progress(n: int) -> None:
        ExportJob.objects.filter(pk=job.pk).update(rows_written=n)

    try:
        with tempfile.TemporaryFile() as spool:
            if job.file_format == "xlsx":
                count = exports.write_xlsx(report, qs, spool, progress=progress)
            else:
                delimiter = exports.SEPARATORS.get(params.get("sep", ";"), ";")
                count = exports.write_csv(report, qs, spool, delimiter=delimiter, progress=progress)
            spool.seek(0)
            job.file.save(exports.export_filename(report, job.file_format), File(spool), save=False)
    except Exception as exc:
        logger.exception("export job %s failed", job.pk)
        ExportJob.objects.filter(pk=job.pk).update(
            status=ExportJob.Status.FAILED, error=type(exc).__name__
        )
        raise
    now = timezone.now()
    job.status = ExportJob.Status.DONE
    job.rows_written = count
    job.total_rows = count
    job.finished_at = now
    job.expires_at = now + dt.timedelta(days=settings.REPORTS_EXPORT_KEEP_DAYS)
    job.save(
        update_fields=["status", "rows_written", "total_rows", "finished_at", "expires_at", "file"]
    )
    return job


def delete_expired_exports(now: dt.datetime | None = None) -> int:
    """Delete export files (and their jobs) past ``expires_at``; returns how many."""
    now = now or timezone.now()
    stale = now - dt.timedelta(days=settings.REPORTS_EXPORT_KEEP_DAYS)
    expired = ExportJob.objects.filter(
        Q(expires_at__lt=now) | Q(expires_at__isnull=True, created_at__lt=stale)
    )
    count = 0
    for job in expired.iterator(chunk_size=500):
        if job.file:
            job.file.delete(save=False)
        job.delete()
        count += 1
    return count


def jobs_visible_to(user):
    """The user's own export jobs; an admin sees every job."""
    if not (user.is_authenticated and user.role in ("office", "admin")):
        return ExportJob.objects.none()
    if user.role == "admin" or user.is_superuser:
        return ExportJob.objects.all()
    return ExportJob.objects.filter(created_by=user)
