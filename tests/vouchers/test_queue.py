"""Rule 1: the ranked queue, computed in the database."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from tests.factories import (
    ApplicationFactory,
    OrganisationFactory,
    ProgrammeFactory,
    VoucherFactory,
)
from vouchers import services

pytestmark = pytest.mark.django_db


def _app(
    programme,
    minutes_ago,
    *,
    weak=False,
    rural=False,
    confirmed=False,
    had_voucher=None,
    status="submitted",
):
    org = OrganisationFactory(structurally_weak=weak, rural=rural, flags_confirmed=confirmed)
    if had_voucher:
        VoucherFactory(organisation=org, programme=programme, status=had_voucher)
    return ApplicationFactory(
        organisation=org,
        programme=programme,
        status=status,
        submitted_at=timezone.now() - dt.timedelta(minutes=minutes_ago),
    )


def test_tiers_and_order(programme):
    tier4_old = _app(programme, 500, had_voucher="closed")
    tier3 = _app(programme, 400, rural=True, confirmed=True, had_voucher="closed")
    tier2_late = _app(programme, 100)
    tier1_late = _app(programme, 50, weak=True)
    tier2_early = _app(programme, 300)
    tier1_early = _app(programme, 200, rural=True, confirmed=True)
    queue = list(services.ranked_queue(programme))
    assert queue == [tier1_early, tier1_late, tier2_early, tier2_late, tier3, tier4_old]
    assert [a.tier for a in queue] == [1, 1, 2, 2, 3, 4]


def test_rank_reasons(programme):
    weak_unconfirmed = _app(programme, 10, weak=True)
    rural_unconfirmed = _app(programme, 9, rural=True)
    both_confirmed = _app(programme, 8, weak=True, rural=True, confirmed=True)
    plain = _app(programme, 7)
    follow_up_weak = _app(programme, 6, weak=True, confirmed=True, had_voucher="closed")
    follow_up = _app(programme, 5, had_voucher="feedback_received")
    reasons = {a.pk: a.rank_reason for a in services.ranked_queue(programme)}
    assert reasons[weak_unconfirmed.pk] == "Erstantrag · strukturschwach · Flags unbestätigt"
    assert reasons[rural_unconfirmed.pk] == "Erstantrag · ländlich · Flags unbestätigt"
    assert reasons[both_confirmed.pk] == "Erstantrag · strukturschwach · ländlich"
    assert reasons[plain.pk] == "Erstantrag"
    assert reasons[follow_up_weak.pk] == "Folgeantrag · strukturschwach"
    assert reasons[follow_up.pk] == "Folgeantrag"


def test_unconfirmed_declared_flags_count_until_corrected(programme, office_user):
    declared = _app(programme, 100, rural=True)
    plain = _app(programme, 200)
    assert list(services.ranked_queue(programme)) == [declared, plain]
    services.confirm_region_flags(
        declared.organisation, by=office_user, structurally_weak=False, rural=False
    )
    queue = list(services.ranked_queue(programme))
    assert queue == [plain, declared]  # both tier 2 now, first come first served
    assert queue[1].rank_reason == "Erstantrag"


def test_cancelled_voucher_keeps_first_time(programme):
    application = _app(programme, 10, rural=True, had_voucher="cancelled")
    assert services.ranked_queue(programme).get().tier == 1
    assert application.pk == services.ranked_queue(programme).get().pk


def test_voucher_in_other_programme_keeps_first_time(programme):
    application = _app(programme, 10)
    VoucherFactory(organisation=application.organisation, status="closed")
    assert services.ranked_queue(programme).get().tier == 2


def test_only_open_applications_of_the_programme(programme):
    open_ones = [_app(programme, 10, status=s) for s in ("submitted", "in_review", "waitlisted")]
    for status in ("approved", "rejected", "withdrawn"):
        _app(programme, 5, status=status)
    ApplicationFactory(status="draft", programme=programme)
    _app(ProgrammeFactory(), 1)
    assert set(services.ranked_queue(programme)) == set(open_ones)


def test_ties_broken_by_pk(programme):
    moment = timezone.now()
    first = ApplicationFactory(programme=programme, submitted_at=moment)
    second = ApplicationFactory(programme=programme, submitted_at=moment)
    assert list(services.ranked_queue(programme)) == [first, second]


def test_one_query_with_annotations(programme):
    for i in range(5):
        _app(programme, i, rural=bool(i % 2))
    with CaptureQueriesContext(connection) as ctx:
        rows = [
            (a.tier, a.rank_reason, a.organisation.name, a.waiting)
            for a in services.ranked_queue(programme)
        ]
    assert len(ctx.captured_queries) == 1
    assert len(rows) == 5
    sql = ctx.captured_queries[0]["sql"].upper()
    assert "EXISTS" in sql
    assert "CASE" in sql
    assert "ORDER BY" in sql


def test_waiting_time(programme):
    _app(programme, 60 * 24 * 3 + 5)
    assert services.ranked_queue(programme).get().waiting.days == 3


def test_contingent_status(programme):
    period = programme.current_period()
    VoucherFactory(programme=programme, status="issued")
    VoucherFactory(programme=programme, status="closed")
    VoucherFactory(programme=programme, status="cancelled")
    status = services.contingent_status(programme)
    assert (status.period, status.used, status.total, status.left) == (period, 2, 40, 38)
