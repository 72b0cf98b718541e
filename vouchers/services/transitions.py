"""Guarded state changes shared by all voucher/application services.

One ``ALLOWED_TRANSITIONS`` mapping per model keeps the picture in one place; each service
checks state and role, changes, saves with ``update_fields``, and audits in one transaction."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit import log_action
from portal.errors import InvalidTransition
from portal.scoping import require_office_for
from vouchers.models import Application, Voucher

A = Application.Status
V = Voucher.Status

APPLICATION_TRANSITIONS: dict[str, tuple[str, ...]] = {
    A.DRAFT: (A.SUBMITTED, A.WITHDRAWN),
    A.SUBMITTED: (A.IN_REVIEW, A.APPROVED, A.WAITLISTED, A.REJECTED, A.WITHDRAWN),
    A.IN_REVIEW: (A.APPROVED, A.WAITLISTED, A.REJECTED, A.WITHDRAWN),
    A.WAITLISTED: (A.APPROVED, A.REJECTED, A.WITHDRAWN),
    A.APPROVED: (),
    A.REJECTED: (),
    A.WITHDRAWN: (),
}

VOUCHER_TRANSITIONS: dict[str, tuple[str, ...]] = {
    V.ISSUED: (V.ACTIVE, V.CANCELLED),
    V.ACTIVE: (V.CLOSING_REQUESTED, V.CLOSED, V.CANCELLED),
    V.CLOSING_REQUESTED: (V.CLOSED, V.ACTIVE),
    V.CLOSED: (V.FEEDBACK_SENT,),
    V.FEEDBACK_SENT: (V.FEEDBACK_RECEIVED,),
    V.FEEDBACK_RECEIVED: (),
    V.CANCELLED: (),
}


def require_role(user, *roles: str, programme=None) -> None:
    """Refuse unless ``user`` has one of ``roles`` (admins count as office). With
    ``programme``, office staff must work for that programme's operator."""
    role = getattr(user, "role", None)
    if role == "admin" and "office" in roles:
        return
    if role not in roles:
        raise InvalidTransition(_("Dieser Schritt ist mit Ihrer Rolle nicht möglich."))
    if role == "office" and programme is not None:
        require_office_for(user, programme)


def require_state(obj: models.Model, allowed: tuple[str, ...] | list[str], target: str) -> None:
    if obj.status not in allowed:
        raise InvalidTransition(
            _("Dieser Schritt ist im Status „%(status)s“ nicht möglich.")
            % {"status": obj.get_status_display()}
        )
    table = APPLICATION_TRANSITIONS if isinstance(obj, Application) else VOUCHER_TRANSITIONS
    if target not in table.get(obj.status, ()):
        raise InvalidTransition(
            _("Dieser Schritt ist im Status „%(status)s“ nicht möglich.")
            % {"status": obj.get_status_display()}
        )


def move(
    obj: Application | Voucher,
    target: str,
    *,
    by,
    action: str,
    reason: str = "",
    fields: dict | None = None,
    data: dict | None = None,
) -> None:
    """Set the new status (and ``fields``), save only what changed, write the audit row.

    Call inside ``transaction.atomic()`` after the guards, with the row locked."""
    previous = obj.status
    obj.status = target
    changed = ["status"]
    for name, value in (fields or {}).items():
        setattr(obj, name, value)
        changed.append(name)
    if isinstance(obj, Application):
        changed.append("updated_at")
    obj.save(update_fields=changed)
    log_action(by, action, obj, from_state=previous, to_state=target, reason=reason, data=data)


def now():
    return timezone.now()
