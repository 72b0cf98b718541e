"""Writing the audit trail. Services call ``log_action`` inside their transaction."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models

from portal.models import AuditEntry


def log_action(
    actor,
    action: str,
    target: models.Model,
    *,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    data: dict | None = None,
) -> AuditEntry:
    """Record who did what to which object (``action`` like ``"voucher.approved"``)."""
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        from_state=from_state or "",
        to_state=to_state or "",
        reason=reason or "",
        data=data or {},
    )


def audit_trail(target: models.Model):
    """Audit rows of one object, newest first, with the actor joined."""
    return AuditEntry.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=target.pk
    ).select_related("actor")
