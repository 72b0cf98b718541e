"""Fixtures for the sparring calendar: an organisation with an active Virtuelle-Begleitung
case, a facilitator already in its process (open PB case of the same operator) and one who
is not, and helpers to make slots and log units."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from appointments.models import Appointment
from sessions_log.services import log_session
from tests.factories import (
    FacilitatorFactory,
    ProgrammeFactory,
    SlotFactory,
    VoucherFactory,
)


def future(hours: int) -> dt.datetime:
    return (timezone.now() + dt.timedelta(hours=hours)).replace(second=0, microsecond=0)


def move_to_past(appointment: Appointment, hours: int = 2) -> None:
    """Let time pass: the appointment (and its slot) started ``hours`` ago."""
    start = timezone.now() - dt.timedelta(hours=hours)
    appointment.slot.__class__.objects.filter(pk=appointment.slot_id).update(
        starts_at=start, ends_at=start + dt.timedelta(minutes=60)
    )
    Appointment.objects.filter(pk=appointment.pk).update(starts_at=start)
    appointment.refresh_from_db()
    appointment.slot.refresh_from_db()


def log_units(voucher, facilitator, units: int):
    return log_session(
        voucher,
        by=facilitator.user,
        date=timezone.localdate(),
        minutes=60 * units,
        activity="sparring",
        format="video",
    )


@pytest.fixture
def sparring_case(organisation, virtual_programme):
    """The organisation's active VB case and its applicant member; ``inside`` accompanies
    the organisation's process (PB case of the same operator), ``outside`` does not."""
    inside, outside = FacilitatorFactory(), FacilitatorFactory()
    VoucherFactory(
        organisation=organisation,
        programme=ProgrammeFactory(kind="prozessbegleitung", operator=virtual_programme.operator),
        facilitators=[inside],
    )
    voucher = VoucherFactory(
        organisation=organisation,
        programme=virtual_programme,
        issued_at=timezone.now() - dt.timedelta(days=60),
    )
    return {
        "voucher": voucher,
        "member": organisation.members.get(),
        "inside": inside,
        "outside": outside,
        "programme": virtual_programme,
    }


@pytest.fixture
def make_slot(virtual_programme):
    counter = {"n": 0}

    def make(facilitator, *, hours=None, programme=None):
        counter["n"] += 1
        return SlotFactory(
            facilitator=facilitator,
            programme=programme or virtual_programme,
            starts_at=future(hours if hours is not None else 48 + 2 * counter["n"]),
        )

    return make
