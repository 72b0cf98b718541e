"""Version numbers under concurrency: the lock on the voucher row serialises generation."""

from __future__ import annotations

import threading

import pytest
from django.db import connection

from agreements.models import AgreementVersion
from agreements.services import generate_agreement
from tests.factories import UserFactory, VoucherFactory

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.postgres]


def test_concurrent_generation_gives_distinct_consecutive_numbers(require_postgres, programme):
    voucher = VoucherFactory(programme=programme, status="issued")
    office = UserFactory(role="office")
    barrier = threading.Barrier(3)
    errors: list[BaseException] = []

    def worker():
        try:
            barrier.wait(timeout=30)
            generate_agreement(voucher, by=office)
        except BaseException as exc:  # reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == []
    numbers = sorted(
        AgreementVersion.objects.filter(voucher=voucher).values_list("number", flat=True)
    )
    assert numbers == [1, 2, 3]
    shas = set(AgreementVersion.objects.filter(voucher=voucher).values_list("sha256", flat=True))
    assert len(shas) == 3
