"""The demo calendar: slots for the next weeks and bookings in every state."""

from __future__ import annotations

import pytest
from django.core.management import call_command

from appointments.models import Appointment, Slot

pytestmark = pytest.mark.django_db


def test_seed_demo_fills_the_calendar(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    assert Slot.objects.values("facilitator").distinct().count() >= 3
    statuses = set(Appointment.objects.values_list("status", flat=True))
    assert statuses == {"booked", "held", "cancelled", "no_show"}
    assert Appointment.objects.filter(status="cancelled", late=True, counts=True).exists()
    assert Appointment.objects.filter(status="cancelled", late=False).exists()
    assert Appointment.objects.get(status="held").session_entry is not None
    count = Slot.objects.count()
    call_command("seed_demo")  # idempotent
    assert Slot.objects.count() == count
