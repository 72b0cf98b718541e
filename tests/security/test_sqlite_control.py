"""Control for the SQLite concurrency tests (tests/vouchers and tests/sessions_log run the
contingent and cap races on file-based SQLite with 0 errors): without the configured
``transaction_mode="IMMEDIATE"`` two writers that read before they write collide, and one
fails with "database is locked". So the setup of those tests can see the difference."""

from __future__ import annotations

import threading

import pytest
from django.db import OperationalError, connection, connections, transaction
from django.utils import timezone

from sessions_log.models import SessionEntry
from sessions_log.services import log_session
from tests.factories import FacilitatorFactory, ProgrammeFactory, VoucherFactory

pytestmark = pytest.mark.django_db(transaction=True)


def _read_then_write(voucher, user, barrier, outcomes, guard):
    try:
        with transaction.atomic():
            # The read opens the transaction's snapshot (DEFERRED: no write lock yet).
            SessionEntry.objects.filter(voucher=voucher).count()
            barrier.wait(timeout=10)
            log_session(
                voucher,
                by=user,
                date=timezone.localdate(),
                minutes=60,
                activity="workshop",
                format="vor_ort",
            )
        outcome = "ok"
    except OperationalError as exc:
        outcome = str(exc)
    except Exception as exc:  # reported by the assertion below
        outcome = repr(exc)
    finally:
        connection.close()
    with guard:
        outcomes.append(outcome)


def test_deferred_transactions_fail_where_immediate_ones_queue(monkeypatch):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite control; PostgreSQL has its own lock controls")
    assert connection.settings_dict["OPTIONS"]["transaction_mode"] == "IMMEDIATE"
    for settings_dict in {
        id(d): d for d in (connection.settings_dict, connections.settings["default"])
    }.values():
        monkeypatch.setitem(settings_dict["OPTIONS"], "transaction_mode", "DEFERRED")
    facilitator = FacilitatorFactory()
    voucher = VoucherFactory(programme=ProgrammeFactory(), facilitators=[facilitator])
    barrier, outcomes, guard = threading.Barrier(2), [], threading.Lock()
    threads = [
        threading.Thread(
            target=_read_then_write, args=(voucher, facilitator.user, barrier, outcomes, guard)
        )
        for _ in range(2)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert sorted(outcomes) == ["database is locked", "ok"], outcomes
    assert SessionEntry.objects.filter(voucher=voucher).count() == 1
