"""Celery tasks of the reports: thin wrappers around ``jobs`` and ``gdpr``."""

from __future__ import annotations

from celery import shared_task

from reports import gdpr, jobs


@shared_task(acks_late=True, time_limit=3600, soft_time_limit=3500)
def run_export(job_id: int) -> int:
    """Write a large export file; returns the number of rows written."""
    job = jobs.run_export_job(job_id)
    return job.rows_written if job else 0


@shared_task
def delete_expired_exports() -> int:
    return jobs.delete_expired_exports()


@shared_task(time_limit=1800, soft_time_limit=1700)
def apply_retention() -> int:
    """Anonymise the personal data of cases closed longer than RETENTION_DAYS_AFTER_CLOSE."""
    return gdpr.apply_retention().vouchers
