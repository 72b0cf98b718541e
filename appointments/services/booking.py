"""Booking, cancelling, rescheduling and closing appointments (rule 12).

Locks, in this order (the same as ``log_session``, so no two writers deadlock): the
organisation's row (the capacity of rule 5, via ``sessions_log.caps.lock_capacity``), the
voucher's row, then the slot's row (a slot is booked at most once). The balance — logged
units plus what appointments reserve — is read after the locks are granted."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appointments.models import Appointment, Slot
from appointments.services.common import SLOT_MINUTES, facilitator_of, for_update, local, user_of
from portal.audit import log_action
from portal.errors import InvalidTransition, RuleViolation
from portal.models import User
from portal.scoping import works_for_object
from portal.tasking import task
from sessions_log.caps import check_caps, facilitator_in_process, lock_capacity
from sessions_log.models import SessionEntry
from sessions_log.services import log_session
from vouchers.models import Voucher


class SlotTaken(RuleViolation):
    default_message = "Dieser Termin ist bereits gebucht. Bitte wählen Sie einen anderen."


def _enqueue(name: str, appointment_id: int) -> None:
    transaction.on_commit(
        lambda: task(f"appointments.tasks.{name}").delay(appointment_id=appointment_id)
    )


def case_for(user, programme) -> Voucher:
    """The active case of ``user``'s organisation in ``programme`` (or ``InvalidTransition``)."""
    if getattr(user, "role", None) != User.Role.APPLICANT or not user.organisation_id:
        raise InvalidTransition(_("Nur Mitglieder einer Organisation können Termine buchen."))
    voucher = (
        Voucher.objects.select_related("programme", "organisation")
        .filter(
            organisation_id=user.organisation_id,
            programme=programme,
            status=Voucher.Status.ACTIVE,
        )
        .order_by("-issued_at")
        .first()
    )
    if voucher is None:
        raise InvalidTransition(
            _(
                "Ihre Organisation hat in diesem Programm keine aktive Zusage "
                "(Vereinbarung unterschrieben)."
            )
        )
    return voucher


def _book_locked(slot: Slot, voucher: Voucher, *, by) -> Appointment:
    """The booking itself; the caller holds ``transaction.atomic()``."""
    locked_voucher = lock_capacity(voucher)  # organisation row, then the voucher row
    if locked_voucher.status != Voucher.Status.ACTIVE:
        raise InvalidTransition(_("Diese Zusage ist nicht mehr aktiv."))
    locked_slot = for_update(Slot.objects.select_related("facilitator__user")).get(pk=slot.pk)
    if locked_slot.withdrawn_at is not None:
        raise SlotTaken(_("Dieser Termin wird nicht mehr angeboten."))
    if locked_slot.starts_at <= timezone.now():
        raise InvalidTransition(_("Dieser Termin liegt in der Vergangenheit."))
    if local(locked_slot.starts_at).date() > locked_voucher.valid_until:
        raise InvalidTransition(
            _("Ihre Zusage gilt nur bis zum %(day)s.")
            % {"day": locked_voucher.valid_until.strftime("%d.%m.%Y")}
        )
    if locked_slot.appointments.filter(status__in=Appointment.OCCUPYING).exists():
        raise SlotTaken()
    in_process = facilitator_in_process(locked_voucher, locked_slot.facilitator)
    # Logged units plus reserved ones (``sessions_log.hooks``), read under the lock.
    check_caps(locked_voucher, minutes=SLOT_MINUTES, units=1, in_process=in_process)
    appointment = Appointment.objects.create(
        slot=locked_slot,
        voucher=locked_voucher,
        organisation_id=locked_voucher.organisation_id,
        facilitator=locked_slot.facilitator,
        starts_at=locked_slot.starts_at,
        with_facilitator_in_process=in_process,
        booked_by=by,
    )
    # Free choice of partner (seed 001): the booked facilitator accompanies the case.
    locked_voucher.facilitators.add(locked_slot.facilitator)
    log_action(
        by,
        "appointment.booked",
        appointment,
        to_state=Appointment.Status.BOOKED,
        data={
            "slot": locked_slot.pk,
            "voucher": locked_voucher.pk,
            "in_process": in_process,
            "starts_at": locked_slot.starts_at.isoformat(),
        },
    )
    _enqueue("send_invitation", appointment.pk)
    return appointment


def book(slot: Slot, *, by) -> Appointment:
    """Book ``slot`` for the organisation of ``by`` (a member with an active case in the
    slot's programme). Raises ``CapExceeded`` naming what remains, ``SlotTaken`` or
    ``InvalidTransition``. Invitations with ICS leave after commit."""
    voucher = case_for(by, slot.programme)
    with transaction.atomic():
        return _book_locked(slot, voucher, by=by)


def _side(appointment: Appointment, user) -> str:
    """Which side ``user`` is on: "organisation", "facilitator" or "office"."""
    if getattr(user, "role", None) == User.Role.APPLICANT and (
        user.organisation_id == appointment.organisation_id
    ):
        return "organisation"
    profile = getattr(user, "facilitator_profile", None)
    is_facilitator = getattr(user, "role", None) == User.Role.FACILITATOR
    if is_facilitator and profile is not None and profile.pk == appointment.facilitator_id:
        return "facilitator"
    if works_for_object(user, appointment.voucher):
        return "office"
    raise InvalidTransition(_("Sie sind an diesem Termin nicht beteiligt."))


def _lock_appointment(appointment: Appointment) -> Appointment:
    return for_update(
        Appointment.objects.select_related("slot", "voucher__programme", "organisation")
    ).get(pk=appointment.pk)


def _require_booked(appointment: Appointment) -> None:
    if appointment.status != Appointment.Status.BOOKED:
        raise InvalidTransition(
            _("Dieser Termin ist nicht mehr gebucht (Status: „%(status)s“).")
            % {"status": appointment.get_status_display()}
        )


def _cancel_locked(current: Appointment, *, by, reason: str) -> Appointment:
    side = _side(current, by)
    _require_booked(current)
    now = timezone.now()
    if current.starts_at <= now:
        raise InvalidTransition(
            _("Der Termin hat schon begonnen; er kann nicht mehr abgesagt werden.")
        )
    programme = current.voucher.programme
    late = now > current.starts_at - dt.timedelta(hours=programme.cancel_notice_hours)
    # A late cancellation by the organisation counts if the programme says so; one by the
    # facilitator (or the office) never costs the organisation a unit.
    counts = late and side == "organisation" and programme.late_cancel_counts
    if late and side == "organisation" and not reason.strip():
        reason = _("kurzfristige Absage")
    current.status = Appointment.Status.CANCELLED
    current.cancelled_by = by
    current.cancelled_at = now
    current.late = late
    current.counts = counts
    current.reason = reason.strip()
    current.save(
        update_fields=["status", "cancelled_by", "cancelled_at", "late", "counts", "reason"]
    )
    log_action(
        by,
        "appointment.cancelled",
        current,
        from_state=Appointment.Status.BOOKED,
        to_state=Appointment.Status.CANCELLED,
        reason=current.reason,
        data={"late": late, "counts": counts, "side": side},
    )
    _enqueue("send_cancellation", current.pk)
    return current


def cancel_appointment(appointment: Appointment, *, by, reason: str = "") -> Appointment:
    """Either side cancels a booked appointment before it starts. Up to the programme's
    ``cancel_notice_hours`` before, the unit is freed; later (by the organisation) it counts
    if ``late_cancel_counts``. Releasing needs no capacity lock, only the appointment row."""
    with transaction.atomic():
        current = _cancel_locked(_lock_appointment(appointment), by=by, reason=reason)
    appointment.refresh_from_db()
    return current


def reschedule(appointment: Appointment, *, by, slot: Slot, reason: str = "") -> Appointment:
    """Cancel ``appointment`` and book ``slot`` in one step: both or neither."""
    voucher = case_for(by, slot.programme)
    if voucher.pk != appointment.voucher_id:
        raise InvalidTransition(_("Der neue Termin gehört zu einem anderen Programm."))
    with transaction.atomic():
        # Capacity lock first (the order of ``book``), then the old appointment.
        lock_capacity(voucher)
        _cancel_locked(
            _lock_appointment(appointment), by=by, reason=reason or _("Termin verschoben")
        )
        new = _book_locked(slot, voucher, by=by)
    appointment.refresh_from_db()
    return new


def _require_facilitator(appointment: Appointment, by) -> None:
    profile = facilitator_of(by)
    if profile.pk != appointment.facilitator_id:
        raise InvalidTransition(_("Nur die gebuchte Sparring-Partner*in kann das festhalten."))
    if appointment.starts_at > timezone.now():
        raise InvalidTransition(_("Der Termin hat noch nicht begonnen."))


def mark_held(appointment: Appointment, *, by, notes: str = "") -> SessionEntry:
    """The facilitator confirms the sparring took place: it becomes a session entry (60
    minutes, activity "sparring", the slot's format) through ``log_session``, which the
    organisation then confirms (rule 10). Once held, the appointment no longer reserves a
    unit; the entry counts instead — in one transaction, so nothing is counted twice."""
    user = user_of(by)
    voucher = appointment.voucher
    with transaction.atomic():
        lock_capacity(voucher)
        current = _lock_appointment(appointment)
        _require_facilitator(current, user)
        _require_booked(current)
        current.status = Appointment.Status.HELD
        current.save(update_fields=["status"])
        entry = log_session(
            current.voucher,
            by=user,
            date=local(current.starts_at).date(),
            minutes=SLOT_MINUTES,
            activity="sparring",
            format=current.slot.format,
            notes=notes,
        )
        # Rule 5: "in process" was decided at booking; the entry keeps that decision.
        if entry.with_facilitator_in_process != current.with_facilitator_in_process:
            entry.with_facilitator_in_process = current.with_facilitator_in_process
            entry.save(update_fields=["with_facilitator_in_process"])
        current.session_entry = entry
        current.save(update_fields=["session_entry"])
        log_action(
            user,
            "appointment.held",
            current,
            from_state=Appointment.Status.BOOKED,
            to_state=Appointment.Status.HELD,
            data={"entry": entry.pk},
        )
    appointment.refresh_from_db()
    return entry


def mark_no_show(appointment: Appointment, *, by, reason: str = "") -> Appointment:
    """The facilitator records that nobody came; the unit counts if the programme says so
    (``late_cancel_counts``), with the reason recorded."""
    user = user_of(by)
    with transaction.atomic():
        current = _lock_appointment(appointment)
        _require_facilitator(current, user)
        _require_booked(current)
        current.status = Appointment.Status.NO_SHOW
        current.counts = current.voucher.programme.late_cancel_counts
        current.reason = reason.strip() or _("nicht erschienen")
        current.save(update_fields=["status", "counts", "reason"])
        log_action(
            user,
            "appointment.no_show",
            current,
            from_state=Appointment.Status.BOOKED,
            to_state=Appointment.Status.NO_SHOW,
            reason=current.reason,
            data={"counts": current.counts},
        )
    appointment.refresh_from_db()
    return current
