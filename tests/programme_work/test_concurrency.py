"""Event capacity under concurrent registrations (PostgreSQL, threads, real connections):
with the event row locked exactly ``capacity`` organisations get a place; the control without
the lock, every writer held after counting, overbooks — so the race is real."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.db import connection
from django.utils import timezone

from portal.errors import RuleViolation
from programme_work.models import Participation
from programme_work.services import events
from tests.factories import OperatorFactory, ProgrammeFactory, UserFactory, VoucherFactory

pytestmark = [pytest.mark.django_db(transaction=True)]
THREADS, CAPACITY = 8, 3


def _setup():
    operator = OperatorFactory()
    programme = ProgrammeFactory(kind="begleitprozess", operator=operator)
    office = UserFactory(role="office", operators=[operator])
    members = [
        VoucherFactory(programme=programme).organisation.members.first() for _ in range(THREADS)
    ]
    start = timezone.now() + dt.timedelta(days=10)
    event = events.create_event(
        programme,
        by=office,
        title="Netzwerktreffen",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=2),
        capacity=CAPACITY,
    )
    events.invite_partners(event, by=office)
    return event, members


def _register_all(event, members) -> list:
    barrier = threading.Barrier(len(members))
    outcomes, guard = [], threading.Lock()

    def worker(member):
        try:
            barrier.wait(timeout=30)
            events.respond(event, by=member, response="registered")
            outcome = "ok"
        except RuleViolation:
            outcome = "full"
        except Exception as exc:  # asserted on below
            outcome = exc
        finally:
            connection.close()
        with guard:
            outcomes.append(outcome)

    threads = [threading.Thread(target=worker, args=(m,)) for m in members]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert not any(t.is_alive() for t in threads)
    return outcomes


def test_capacity_holds_under_concurrency_postgres(require_postgres):
    event, members = _setup()
    outcomes = _register_all(event, members)
    assert sorted(outcomes) == ["full"] * (THREADS - CAPACITY) + ["ok"] * CAPACITY
    assert Participation.objects.filter(event=event, response="registered").count() == CAPACITY


def test_without_the_lock_it_overbooks_postgres(require_postgres, monkeypatch):
    event, members = _setup()
    held = threading.Barrier(THREADS)
    monkeypatch.setattr(events, "LOCK_EVENT_ROW", False)
    monkeypatch.setattr(events, "_after_count", lambda: held.wait(timeout=30))
    outcomes = _register_all(event, members)
    assert outcomes.count("ok") == THREADS
    assert Participation.objects.filter(event=event, response="registered").count() > CAPACITY
