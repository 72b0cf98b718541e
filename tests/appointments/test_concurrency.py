"""Rule 12 under concurrent bookings (threads, real PostgreSQL).

Six members of one organisation book six different slots for its last unit: exactly one
booking. Two organisations book the same slot: exactly one. The controls hold the inserts
until every writer has read the balance (the pattern of tests/sessions_log/test_concurrency.py):
without the row locks the cap breaks, and only the database constraint stops a double
booking of one slot."""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
import time

import pytest
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from appointments.models import Appointment
from appointments.services import book, common
from appointments.services.booking import SlotTaken
from portal.errors import CapExceeded
from sessions_log import caps
from tests.appointments.conftest import future, log_units
from tests.factories import (
    FacilitatorFactory,
    OrganisationFactory,
    ProgrammeFactory,
    SlotFactory,
    UserFactory,
    VoucherFactory,
)

pytestmark = [pytest.mark.django_db(transaction=True)]
MEMBERS = 6


def _run_concurrently(calls, *, around_start=None):
    barrier = threading.Barrier(len(calls))
    outcomes: list = []
    guard = threading.Lock()

    def worker(call):
        try:
            barrier.wait(timeout=30)
            call()
            outcome = "ok"
        except CapExceeded:
            outcome = "cap"
        except SlotTaken:
            outcome = "taken"
        except IntegrityError:
            outcome = "integrity"
        except Exception as exc:  # collected and asserted on by the test
            outcome = exc
        finally:
            connection.close()
        with guard:
            outcomes.append(outcome)

    threads = [threading.Thread(target=worker, args=(call,)) for call in calls]
    with around_start or contextlib.nullcontext():
        for thread in threads:
            thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(thread.is_alive() for thread in threads), "a writer hung"
    return outcomes


@contextlib.contextmanager
def _inserts_held_until_all_wait(expected_waiting):
    """A SHARE lock on the appointment table: writers read, their INSERT waits until
    ``expected_waiting`` backends wait on a lock; then it is released."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {Appointment._meta.db_table} IN SHARE MODE")
        yield
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'"
            )
            if cursor.fetchone()[0] >= expected_waiting:
                break
            time.sleep(0.05)


def _last_unit_setup():
    """An organisation with 11 units logged, six members, six free slots."""
    programme = ProgrammeFactory(kind="virtuell")
    facilitator = FacilitatorFactory()
    organisation = OrganisationFactory()
    voucher = VoucherFactory(
        organisation=organisation,
        programme=programme,
        facilitators=[facilitator],
        issued_at=timezone.now() - dt.timedelta(days=30),
    )
    log_units(voucher, facilitator, 11)
    members = [organisation.members.get()] + [
        UserFactory(organisation=organisation) for _ in range(MEMBERS - 1)
    ]
    slots = [
        SlotFactory(facilitator=facilitator, programme=programme, starts_at=future(48 + 2 * i))
        for i in range(MEMBERS)
    ]
    calls = [lambda m=m, s=s: book(s, by=m) for m, s in zip(members, slots, strict=True)]
    return organisation, calls


def _same_slot_setup():
    programme = ProgrammeFactory(kind="virtuell")
    slot = SlotFactory(programme=programme, starts_at=future(72))
    members = []
    for _ in range(2):
        organisation = OrganisationFactory()
        VoucherFactory(organisation=organisation, programme=programme)
        members.append(organisation.members.get())
    return slot, [lambda m=m: book(slot, by=m) for m in members]


def test_six_members_book_the_last_unit_postgres(require_postgres):
    organisation, calls = _last_unit_setup()
    outcomes = _run_concurrently(calls, around_start=_inserts_held_until_all_wait(1))
    assert sorted(map(str, outcomes)) == ["cap"] * 5 + ["ok"]
    assert Appointment.objects.filter(organisation=organisation).count() == 1


def test_two_organisations_book_the_same_slot_postgres(require_postgres):
    slot, calls = _same_slot_setup()
    outcomes = _run_concurrently(calls, around_start=_inserts_held_until_all_wait(1))
    assert sorted(map(str, outcomes)) == ["ok", "taken"]
    assert Appointment.objects.filter(slot=slot).count() == 1


# --- Controls: without the row locks the same calls race (PostgreSQL) -----------------


def _without_locks(monkeypatch):
    monkeypatch.setattr(caps, "LOCK_CAPACITY_ROWS", False)
    monkeypatch.setattr(common, "LOCK_ROWS", False)


def test_without_locks_the_cap_breaks_postgres(require_postgres, monkeypatch):
    _without_locks(monkeypatch)
    organisation, calls = _last_unit_setup()
    outcomes = _run_concurrently(calls, around_start=_inserts_held_until_all_wait(MEMBERS))
    # Every member read "1 unit left" before anyone inserted: all six bookings pass.
    assert outcomes == ["ok"] * MEMBERS
    assert Appointment.objects.filter(organisation=organisation).count() == MEMBERS  # 17 > 12


def test_without_locks_only_the_constraint_stops_a_double_booking_postgres(
    require_postgres, monkeypatch
):
    _without_locks(monkeypatch)
    slot, calls = _same_slot_setup()
    outcomes = _run_concurrently(calls, around_start=_inserts_held_until_all_wait(2))
    # Both read "free"; the second INSERT hits the unique constraint instead of a clean refusal.
    assert sorted(map(str, outcomes)) == ["integrity", "ok"]
    assert Appointment.objects.filter(slot=slot).count() == 1
