"""Demo data of the sparring calendar (issue 18): slots for the next weeks for several
facilitators and bookings in every state (booked, held, cancelled in time, cancelled late,
no-show). Idempotent: does nothing once the Virtuelle Begleitung has slots."""

from __future__ import annotations

import contextlib
import datetime as dt

from django.db import transaction
from django.utils import timezone

from appointments.models import Appointment, Slot
from appointments.services import (
    book,
    cancel_appointment,
    mark_held,
    mark_no_show,
    publish_series,
)
from portal.errors import RuleViolation
from portal.models import FacilitatorProfile, Organisation, Programme, User
from vouchers.models import Application, Voucher

WEEKS = 4
TIMES = (dt.time(9, 0), dt.time(11, 0), dt.time(14, 0))


def _sparring_case(programme: Programme) -> Voucher | None:
    """An active Virtuelle-Begleitung case of an approved organisation with a contact."""
    found = Voucher.objects.filter(programme=programme, status=Voucher.Status.ACTIVE).first()
    if found:
        return found
    period = programme.current_period()
    organisation = (
        Organisation.objects.filter(approved=True, members__role=User.Role.APPLICANT)
        .exclude(vouchers__programme=programme)
        .order_by("name")
        .first()
    )
    if period is None or organisation is None:
        return None
    now = timezone.now()
    member = organisation.members.filter(role=User.Role.APPLICANT).first()
    application = Application.objects.create(
        organisation=organisation,
        programme=programme,
        status=Application.Status.APPROVED,
        challenge="Wie gewinnen wir Menschen mit Migrationserfahrung für das Ehrenamt?",
        goals="Impulse von außen für unsere Engagement-Arbeit.",
        contact_name=str(member),
        contact_email=member.email,
        consent=True,
        created_by=member,
        submitted_at=now - dt.timedelta(days=50),
        decided_at=now - dt.timedelta(days=45),
    )
    return Voucher.objects.create(
        application=application,
        code=f"{programme.code_prefix}-{now.year}-DEMO1",
        organisation=organisation,
        programme=programme,
        period=period,
        status=Voucher.Status.ACTIVE,
        cap_units=programme.cap_units,
        cap_units_in_process=programme.cap_units_in_process,
        valid_until=timezone.localdate() + dt.timedelta(days=300),
        issued_at=now - dt.timedelta(days=45),
        activated_at=now - dt.timedelta(days=40),
    )


def _pass_time(appointment: Appointment, days_ago: int) -> None:
    """Demo only: move a booked appointment into the past so it can be closed."""
    start = (timezone.now() - dt.timedelta(days=days_ago)).replace(
        minute=0, second=0, microsecond=0
    )
    Slot.objects.filter(pk=appointment.slot_id).update(
        starts_at=start, ends_at=start + dt.timedelta(hours=1)
    )
    Appointment.objects.filter(pk=appointment.pk).update(starts_at=start)
    appointment.refresh_from_db()


def seed_appointments() -> int:
    """Create the demo calendar; returns the number of slots created (0 if already there)."""
    programme = Programme.objects.filter(kind=Programme.Kind.VIRTUELL).order_by("pk").first()
    if programme is None or Slot.objects.filter(programme=programme).exists():
        return 0
    facilitators = list(
        FacilitatorProfile.objects.filter(active=True).select_related("user").order_by("pk")[:3]
    )
    if not facilitators:
        return 0
    today = timezone.localdate()
    slots: list[Slot] = []
    with transaction.atomic():
        for index, facilitator in enumerate(facilitators):
            slots += publish_series(
                by=facilitator.user,
                programme=programme,
                first_day=today + dt.timedelta(days=1),
                last_day=today + dt.timedelta(weeks=WEEKS),
                weekdays=[index % 5, (index + 2) % 5],
                time=TIMES[index % len(TIMES)],
                format="video" if index % 2 == 0 else "telefon",
                video_link="https://video.example.org/sparring" if index % 2 == 0 else "",
                phone_note="" if index % 2 == 0 else "Ich rufe Sie unter Ihrer Nummer an.",
            )
    case = _sparring_case(programme)
    member = case and case.organisation.members.filter(role=User.Role.APPLICANT).first()
    if not member:
        return len(slots)
    with contextlib.suppress(RuleViolation):  # the demo organisation has used its units
        _bookings(slots, member)
    return len(slots)


def _bookings(slots: list[Slot], member: User) -> None:
    free = iter(sorted(slots, key=lambda s: s.starts_at))
    booked = [book(next(free), by=member) for _ in range(5)]
    held, no_show, in_time, later, _open_one = booked
    for appointment, days_ago in ((held, 6), (no_show, 3)):
        _pass_time(appointment, days_ago)
    mark_held(held, by=held.facilitator.user, notes="Online-Beteiligung: nächste Schritte geklärt.")
    mark_no_show(no_show, by=no_show.facilitator.user, reason="Niemand hat sich eingewählt.")
    cancel_appointment(in_time, by=member, reason="Terminkonflikt im Rathaus")
    # A cancellation on short notice: the appointment was due in a few hours.
    start = timezone.now() + dt.timedelta(hours=5)
    Slot.objects.filter(pk=later.slot_id).update(
        starts_at=start, ends_at=start + dt.timedelta(hours=1)
    )
    Appointment.objects.filter(pk=later.pk).update(starts_at=start)
    later.refresh_from_db()
    cancel_appointment(later, by=member, reason="kurzfristig erkrankt")
    # The fifth stays booked: the invitation and tomorrow's reminder show in the outbox.
