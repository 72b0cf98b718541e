"""Celery beat tasks of the session log (rule 10): deemed confirmation and the daily digest.
Thin wrappers: the services lock each row and move it only from the state they expect, so a
task that runs twice (or in two workers at once) changes each entry exactly once."""

from __future__ import annotations

from celery import shared_task

from sessions_log import confirmation


@shared_task(acks_late=True, time_limit=900, soft_time_limit=850)
def auto_confirm_entries() -> int:
    """Entries unanswered for the programme's ``confirmation_days`` „gelten als bestätigt“."""
    return confirmation.auto_confirm_entries()


@shared_task(acks_late=True, time_limit=900, soft_time_limit=850)
def send_confirmation_digests() -> int:
    """At most one email a day per organisation while entries wait for its confirmation."""
    return confirmation.send_confirmation_digests()
