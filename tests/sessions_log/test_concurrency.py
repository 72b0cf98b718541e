"""The caps hold when many writers log at the same moment (threads, real database).

Each thread uses its own database connection and closes it at the end. The PostgreSQL
tests need ``DATABASE_URL=postgres://…`` (``require_postgres``); the SQLite variants run on
the file-based test database, where ``BEGIN IMMEDIATE`` serialises the writers."""

from __future__ import annotations

import contextlib
import threading
import time

import pytest
from django.db import connection, transaction
from django.utils import timezone

from portal.errors import CapExceeded
from sessions_log import caps
from sessions_log.models import SessionEntry
from sessions_log.services import log_session
from tests.factories import FacilitatorFactory, ProgrammeFactory, VoucherFactory

pytestmark = [pytest.mark.django_db(transaction=True)]

THREADS = 12


@pytest.fixture
def require_sqlite():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite variant; the PostgreSQL variant runs instead")


def _run_concurrently(calls, *, around_start=None):
    """Run each callable in its own thread, all released at once by a barrier. Returns
    the outcomes: "ok", "cap" (CapExceeded) or the unexpected exception. ``around_start``
    is a context manager entered before the threads start and left once they run."""
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


def _entry_call(voucher, user, minutes, **extra):
    def call():
        log_session(
            voucher,
            by=user,
            date=timezone.localdate(),
            minutes=minutes,
            activity=extra.pop("activity", "workshop"),
            format=extra.pop("format", "vor_ort"),
            **extra,
        )

    return call


def _twelve_entries_on_empty_voucher():
    team = [FacilitatorFactory(), FacilitatorFactory()]
    voucher = VoucherFactory(programme=ProgrammeFactory(), facilitators=team)
    assert voucher.cap_minutes == 960
    calls = [_entry_call(voucher, team[i % 2].user, 120) for i in range(THREADS)]
    outcomes = _run_concurrently(calls)
    return voucher, outcomes


def _assert_exactly_eight(voucher, outcomes):
    errors = [o for o in outcomes if o not in ("ok", "cap")]
    assert errors == []
    assert outcomes.count("ok") == 8
    assert outcomes.count("cap") == 4
    stored = SessionEntry.objects.filter(voucher=voucher)
    assert stored.count() == 8
    assert sum(stored.values_list("minutes", flat=True)) == 960


def test_twelve_concurrent_entries_postgres(transactional_db, require_postgres):
    _assert_exactly_eight(*_twelve_entries_on_empty_voucher())


def test_twelve_concurrent_entries_sqlite(transactional_db, require_sqlite):
    _assert_exactly_eight(*_twelve_entries_on_empty_voucher())


def _sparring_calls():
    """One organisation, two VB vouchers, two facilitators: ``inside`` also accompanies the
    organisation's process (open PB voucher), ``outside`` does not. ``inside`` asks for 8
    units, ``outside`` for 7: whatever the order, exactly 5 + 7 = 12 may be stored."""
    inside, outside = FacilitatorFactory(), FacilitatorFactory()
    pb = VoucherFactory(programme=ProgrammeFactory(kind="prozessbegleitung"), facilitators=[inside])
    organisation = pb.organisation
    vouchers = [
        VoucherFactory(
            organisation=organisation,
            programme=ProgrammeFactory(kind="virtuell"),
            facilitators=[inside, outside],
        )
        for _ in range(2)
    ]
    calls = []
    for i in range(8):
        calls.append(_entry_call(vouchers[i % 2], inside.user, 60, activity="sparring"))
    for i in range(7):
        calls.append(_entry_call(vouchers[(i + 1) % 2], outside.user, 60, activity="sparring"))
    return organisation, inside, calls


def _assert_sparring_caps(organisation, inside, outcomes):
    assert [o for o in outcomes if o not in ("ok", "cap")] == []
    entries = SessionEntry.objects.filter(voucher__organisation=organisation)
    assert sum(entries.values_list("units", flat=True)) == 12
    in_process = entries.filter(with_facilitator_in_process=True)
    assert sum(in_process.values_list("units", flat=True)) == 5
    assert set(in_process.values_list("facilitator", flat=True)) == {inside.pk}
    assert outcomes.count("ok") == 12
    assert outcomes.count("cap") == 3


def test_concurrent_sparring_postgres(transactional_db, require_postgres):
    organisation, inside, calls = _sparring_calls()
    _assert_sparring_caps(organisation, inside, _run_concurrently(calls))


def test_concurrent_sparring_sqlite(transactional_db, require_sqlite):
    organisation, inside, calls = _sparring_calls()
    _assert_sparring_caps(organisation, inside, _run_concurrently(calls))


# --- Control: the race is real without the row lock (PostgreSQL) ----------------------


@contextlib.contextmanager
def _inserts_held_until_all_wait(expected_waiting, state):
    """Hold a SHARE lock on the session table while the writers start: they can read the
    balance but their INSERT waits. Once ``expected_waiting`` backends wait on a lock,
    release it. This makes the interleaving deterministic instead of a matter of timing."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {SessionEntry._meta.db_table} IN SHARE MODE")
        yield  # the writer threads start here
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            # Activity statistics are snapshotted per transaction: refresh them.
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'"
            )
            state["waiting"] = cursor.fetchone()[0]
            if state["waiting"] >= expected_waiting:
                break
            time.sleep(0.05)


def test_without_lock_the_cap_breaks_postgres(transactional_db, require_postgres, monkeypatch):
    monkeypatch.setattr(caps, "LOCK_CAPACITY_ROWS", False)
    facilitator = FacilitatorFactory()
    voucher = VoucherFactory(programme=ProgrammeFactory(), facilitators=[facilitator])
    state = {"waiting": 0}
    outcomes = _run_concurrently(
        [_entry_call(voucher, facilitator.user, 120) for _ in range(THREADS)],
        around_start=_inserts_held_until_all_wait(THREADS, state),
    )
    assert state["waiting"] == THREADS  # every writer had read "960 left" before inserting
    assert outcomes.count("ok") == THREADS
    assert sum(SessionEntry.objects.values_list("minutes", flat=True)) == 1440  # > 960


def test_with_lock_the_same_interleaving_holds_postgres(transactional_db, require_postgres):
    facilitator = FacilitatorFactory()
    voucher = VoucherFactory(programme=ProgrammeFactory(), facilitators=[facilitator])
    state = {"waiting": 0}
    outcomes = _run_concurrently(
        [_entry_call(voucher, facilitator.user, 120) for _ in range(THREADS)],
        around_start=_inserts_held_until_all_wait(THREADS, state),
    )
    # One writer waits on the table lock, the other eleven queue on the voucher row.
    assert state["waiting"] == THREADS
    _assert_exactly_eight(voucher, outcomes)
