"""The calendar's emails with ICS attachments. Each email leaves exactly once: the sender
first claims the appointment's outbox mark with a conditional UPDATE (only one run can win),
and gives it back if sending fails, so the task's retry sends it then."""

from __future__ import annotations

import datetime as dt
import logging
from email.mime.text import MIMEText

from django.db.models import Q
from django.utils import timezone

from appointments import ics
from appointments.models import Appointment
from portal.notifications import build_mail

logger = logging.getLogger(__name__)
REMINDER_BEFORE = dt.timedelta(hours=24)


def _load(appointment_id: int) -> Appointment | None:
    return (
        Appointment.objects.select_related(
            "slot", "organisation", "facilitator__user", "booked_by", "voucher__programme"
        )
        .filter(pk=appointment_id)
        .first()
    )


def _claim(appointment_id: int, mark: str, **conditions) -> bool:
    claimed = Appointment.objects.filter(
        pk=appointment_id, **{f"{mark}__isnull": True}, **conditions
    ).update(**{mark: timezone.now()})
    return claimed == 1


def _release(appointment_id: int, mark: str) -> None:
    Appointment.objects.filter(pk=appointment_id).update(**{mark: None})


def _attachment(appointment: Appointment, method: str) -> MIMEText:
    part = MIMEText(ics.invitation(appointment, method=method).decode("utf-8"), "calendar", "utf-8")
    part.set_param("method", method)
    part.add_header("Content-Disposition", "attachment", filename="sparring.ics")
    return part


def recipients(appointment: Appointment) -> list[tuple[str, str]]:
    """(side, email): the facilitator and the member who booked — one email each."""
    found = [("facilitator", appointment.facilitator.user.email)]
    if appointment.booked_by is not None:
        found.append(("organisation", appointment.booked_by.email))
    return [(side, email) for side, email in found if email]


def _send(appointment: Appointment, template: str, method: str | None) -> int:
    sent = 0
    for side, email in recipients(appointment):
        context = {"appointment": appointment, "slot": appointment.slot, "side": side}
        message = build_mail(template, [email], context)
        if method:
            message.attach(_attachment(appointment, method))
        sent += message.send()
    return sent


def _send_once(
    appointment_id: int, mark: str, template: str, method: str | None, **conditions
) -> int:
    if not _claim(appointment_id, mark, **conditions):
        return 0
    try:
        appointment = _load(appointment_id)
        return _send(appointment, template, method)
    except Exception:
        _release(appointment_id, mark)
        raise


def send_invitation(appointment_id: int) -> int:
    """Both sides get the invitation with METHOD:REQUEST (idempotent)."""
    return _send_once(appointment_id, "invitation_sent_at", "appointment_invitation", "REQUEST")


def send_cancellation(appointment_id: int) -> int:
    """Both sides get the cancellation with METHOD:CANCEL and the same UID (idempotent)."""
    return _send_once(
        appointment_id,
        "cancellation_sent_at",
        "appointment_cancelled",
        "CANCEL",
        status=Appointment.Status.CANCELLED,
    )


def send_due_reminders(*, now: dt.datetime | None = None) -> int:
    """Beat: a reminder for each booked appointment starting within 24 hours, exactly once
    (also when two beat runs overlap). Returns the number of emails sent."""
    now = now or timezone.now()
    due = Appointment.objects.filter(
        Q(reminder_sent_at__isnull=True),
        status=Appointment.Status.BOOKED,
        starts_at__gt=now,
        starts_at__lte=now + REMINDER_BEFORE,
    ).values_list("pk", flat=True)
    sent = 0
    for appointment_id in list(due):
        try:
            sent += _send_once(
                appointment_id,
                "reminder_sent_at",
                "appointment_reminder",
                None,
                status=Appointment.Status.BOOKED,
            )
        except Exception:
            # One failing mail must not stop the others; the next beat run tries again.
            logger.exception("reminder for appointment %s could not be sent", appointment_id)
    return sent
