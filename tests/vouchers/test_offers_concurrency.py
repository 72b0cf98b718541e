"""Rules 2 and 11 under concurrency (PostgreSQL): an offered applicant accepting while two
office users approve other Anträge never exceeds the contingent; two expiry runs at once pass
an expired offer on exactly once. The control shows the race is real without the row locks.

Threads use their own database connections and close them at the end."""

from __future__ import annotations

import contextlib
import datetime as dt
import threading
import time

import pytest
from django.db import connection, transaction
from django.utils import timezone

from portal.audit import audit_trail
from portal.errors import ContingentExhausted
from tests.factories import UserFactory
from tests.vouchers.offer_helpers import full_programme, member, waiting
from vouchers import services
from vouchers.models import Offer, Voucher
from vouchers.services import offers as offer_services
from vouchers.services.queue import count_allocated

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


def _run_concurrently(calls, *, around_start=None):
    barrier = threading.Barrier(len(calls))
    outcomes: list = []
    guard = threading.Lock()

    def worker(call):
        try:
            barrier.wait(timeout=30)
            outcome = call()
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
def _offer_writes_held_until_all_wait(expected_waiting, state):
    """Hold a SHARE lock on the offer table while the runs start: they read the due offer,
    but their UPDATE waits. Once ``expected_waiting`` backends wait on a lock, release it:
    a deterministic interleaving instead of a matter of timing."""
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(f"LOCK TABLE {Offer._meta.db_table} IN SHARE MODE")
        yield
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            cursor.execute("SELECT pg_stat_clear_snapshot()")
            cursor.execute(
                "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                "AND pid <> pg_backend_pid() AND wait_event_type = 'Lock'"
            )
            state["waiting"] = cursor.fetchone()[0]
            if state["waiting"] >= expected_waiting:
                break
            time.sleep(0.05)


def test_accept_while_two_offices_approve_never_exceeds(require_postgres):
    programme, office, vouchers = full_programme(contingent=3)
    services.cancel_voucher(vouchers[0], by=office, reason="Verzicht")  # 2 used, 1 free again
    offered = waiting(programme, minutes_ago=10, rural=True)
    services.cancel_voucher(vouchers[1], by=office, reason="Verzicht")  # offered → `offered`
    others = [waiting(programme, minutes_ago=100 + i) for i in range(2)]
    offer = Offer.objects.get(application=offered)
    second_office = UserFactory(role="office", operators=[programme.operator])
    period = offer.period
    assert count_allocated(period) == 1  # one issued, one open offer, one free place

    outcomes = _run_concurrently(
        [
            lambda: services.accept_offer(offer, by=member(offered)),
            lambda: services.approve_application(others[0], by=office, facilitators=[]),
            lambda: services.approve_application(others[1], by=second_office, facilitators=[]),
        ]
    )
    issued = [o for o in outcomes if isinstance(o, Voucher)]
    refused = [o for o in outcomes if isinstance(o, ContingentExhausted)]
    assert len(issued) == 2, outcomes
    assert len(refused) == 1, outcomes
    assert any(v.application_id == offered.pk for v in issued)  # the reserved place held
    assert count_allocated(period) == period.contingent == 3


def _expired_offer_with_two_waiting():
    programme, office, vouchers = full_programme()
    for minutes in (10, 20, 30):
        waiting(programme, minutes_ago=minutes, rural=minutes == 10)
    services.cancel_voucher(vouchers[0], by=office, reason="Verzicht")
    offer = Offer.objects.get()
    later = timezone.now() + dt.timedelta(days=programme.offer_days, minutes=1)
    return offer, later


def test_two_expiry_runs_at_once_pass_on_once(require_postgres):
    offer, later = _expired_offer_with_two_waiting()
    state = {"waiting": 0}
    outcomes = _run_concurrently(
        [lambda: services.expire_offers(now=later) for _ in range(2)],
        around_start=_offer_writes_held_until_all_wait(2, state),
    )
    assert state["waiting"] == 2
    assert sorted(outcomes) == [0, 1]
    assert Offer.objects.filter(status="open").count() == 1
    assert audit_trail(offer).filter(action="offer.expired").count() == 1
    assert offer.period.allocation_events.filter(kind="expired").count() == 1


def test_control_without_the_locks_expiry_races(require_postgres, monkeypatch):
    monkeypatch.setattr(offer_services, "LOCK_ROWS", False)
    offer, later = _expired_offer_with_two_waiting()
    state = {"waiting": 0}
    outcomes = _run_concurrently(
        [lambda: services.expire_offers(now=later) for _ in range(2)],
        around_start=_offer_writes_held_until_all_wait(2, state),
    )
    assert state["waiting"] == 2  # both runs had read the offer as open
    assert outcomes == [1, 1]  # … and both expired it: not "exactly once"
    assert audit_trail(offer).filter(action="offer.expired").count() == 2
