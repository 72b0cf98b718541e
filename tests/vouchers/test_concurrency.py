"""Rule 2 under concurrency: several staff approving at the same moment never over-allocate.

Threads with their own database connections approve different applications of one programme
whose contingent is 3. On PostgreSQL the ``ProgrammePeriod`` row lock serialises them; on
file-based SQLite the IMMEDIATE transaction mode does."""

from __future__ import annotations

import threading

import pytest
from django.db import connection, connections

from portal.errors import ContingentExhausted, RuleViolation
from tests.factories import ApplicationFactory, ProgrammeFactory, UserFactory
from vouchers import services
from vouchers.models import Application, Voucher

pytestmark = [pytest.mark.django_db(transaction=True)]

THREADS = 8
CONTINGENT = 3


def _approve_all_at_once(applications, office_user):
    barrier = threading.Barrier(len(applications))
    results: list[object] = []
    lock = threading.Lock()

    def work(application):
        try:
            barrier.wait(timeout=10)
            voucher = services.approve_application(application, by=office_user, facilitators=[])
            outcome: object = voucher.code
        except RuleViolation as exc:
            outcome = exc
        except Exception as exc:  # anything else is a failure the test reports
            outcome = exc
        finally:
            connections.close_all()
        with lock:
            results.append(outcome)

    threads = [threading.Thread(target=work, args=(a,)) for a in applications]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=60)
    return results


def _scenario():
    programme = ProgrammeFactory(contingent=CONTINGENT)
    applications = [ApplicationFactory(programme=programme) for _ in range(THREADS)]
    return programme, applications, UserFactory(role="office")


def _check(programme, results):
    codes = [r for r in results if isinstance(r, str)]
    refused = [r for r in results if isinstance(r, ContingentExhausted)]
    others = [r for r in results if not isinstance(r, (str, ContingentExhausted))]
    assert others == []
    assert len(results) == THREADS
    assert len(codes) == CONTINGENT
    assert len(set(codes)) == CONTINGENT
    assert len(refused) == THREADS - CONTINGENT
    assert Voucher.objects.filter(programme=programme).count() == CONTINGENT
    assert Application.objects.filter(programme=programme, status="approved").count() == CONTINGENT
    assert Application.objects.filter(programme=programme, status="submitted").count() == (
        THREADS - CONTINGENT
    )


@pytest.mark.postgres
def test_concurrent_approvals_postgres(require_postgres):
    programme, applications, office_user = _scenario()
    _check(programme, _approve_all_at_once(applications, office_user))


def test_concurrent_approvals_sqlite():
    if connection.vendor != "sqlite":
        pytest.skip("the SQLite variant of the concurrency test")
    programme, applications, office_user = _scenario()
    _check(programme, _approve_all_at_once(applications, office_user))
