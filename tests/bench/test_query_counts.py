"""The query-count goals of ``bench/run.py`` in the normal suite: each page runs at most 15
queries, and the same number with a small and a larger data set (``bench.seed`` at two
scales: realistic data in every status, not a handful of factory rows)."""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import resolve, reverse

from bench import seed as seeding
from portal.models import User

pytestmark = pytest.mark.django_db

MAX_QUERIES = 15
SMALL = 0.005  # 40 organisations, 200 applications, 80 vouchers, 2,000 sessions
LARGER = 0.05  # 150 organisations, 1,000 applications, 400 vouchers, 10,000 sessions
URL_NAMES = (
    "vouchers:queue",
    "vouchers:case_detail",
    "sessions_log:dashboard",
    "reports:dashboard",
)


def _page(url_name: str, seeded: seeding.SeedResult) -> tuple[int, str]:
    """(user id, URL) of the page as the benchmark visits it."""
    if url_name == "vouchers:case_detail":
        return seeded.office_id, reverse(url_name, args=[seeded.case_voucher_id])
    if url_name == "sessions_log:dashboard":
        return seeded.facilitator_user_id, reverse(url_name)
    return seeded.office_id, reverse(url_name)


def _count(seeded: seeding.SeedResult) -> dict[str, tuple[int, int] | str]:
    """(status, queries) of a warm request per page, or why it was not measured."""
    out: dict[str, tuple[int, int] | str] = {}
    for url_name in URL_NAMES:
        user_id, url = _page(url_name, seeded)
        if getattr(resolve(url).func, "__name__", "") == "_placeholder":
            out[url_name] = f"{url_name} is still a placeholder view"
            continue
        client = Client()
        client.force_login(User.objects.get(pk=user_id))
        client.get(url)  # warm-up: caches (content types, templates) filled
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        out[url_name] = (response.status_code, len(ctx.captured_queries))
    return out


@pytest.fixture(scope="module")
def counts(django_db_setup, django_db_blocker):
    """Both data sets, one after the other in one rolled-back transaction (seeded once
    for all four tests)."""
    with django_db_blocker.unblock(), transaction.atomic():
        small = _count(seeding.seed(SMALL))
        seeding.clear()
        larger = _count(seeding.seed(LARGER))
        transaction.set_rollback(True)
    return small, larger


@pytest.mark.parametrize("url_name", URL_NAMES)
def test_query_count_is_small_and_constant(url_name, counts):
    small, larger = counts[0][url_name], counts[1][url_name]
    if isinstance(larger, str):
        print(f"SKIPPED {url_name}: {larger}")
        pytest.skip(larger)
    assert small[0] == larger[0] == 200, (small, larger)
    assert larger[1] <= MAX_QUERIES, f"{url_name}: {larger[1]} queries (goal ≤ {MAX_QUERIES})"
    assert larger[1] == small[1], (
        f"{url_name}: {small[1]} queries with the small data set, {larger[1]} with the larger"
    )
