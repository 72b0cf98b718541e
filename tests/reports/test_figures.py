"""Each dashboard figure from factory data against hand-computed values (see scenario.py)."""

import pytest

from reports.figures import programme_dashboard
from tests.reports import scenario

pytestmark = pytest.mark.django_db


@pytest.fixture
def s():
    return scenario.build()


@pytest.fixture
def d(s):
    return programme_dashboard(s.programme, s.period, today=scenario.TODAY)


def test_contingent_used_reserved_free(d):
    # vA, vB, vC, vD, vE count; vX is cancelled; 2024 vouchers belong to another period.
    assert (d.contingent, d.used, d.reserved, d.free) == (10, 5, 1, 5)
    assert d.used_percent == 50


def test_applications_by_status(d):
    counts = {value: n for value, _, n in d.applications_by_status}
    assert counts == {
        "submitted": 1,
        "in_review": 0,
        "approved": 3,
        "waitlisted": 1,
        "rejected": 1,
        "withdrawn": 0,
    }
    assert d.applications_total == 6  # the draft is not an application yet


def test_every_total_is_the_sum_of_its_rows(d):
    """Issue 20, defect 2: no table shows a total its rows do not add up to."""
    assert d.applications_total == sum(n for _, _, n in d.applications_by_status)
    assert d.used == sum(share.count for share in d.tiers)
    assert d.used == sum(n for _, _, n in d.by_bundesland)
    assert d.contingent == d.used + d.free or d.used > d.contingent


def test_tier_shares(d):
    # A (rural, only a cancelled earlier voucher) and B (weak) → 1; C → 2; E (rural, earlier) → 3;
    # D (earlier voucher) → 4. The cancelled vX is not counted.
    assert [(t.tier, t.count, t.share) for t in d.tiers] == [
        (1, 2, 40.0),
        (2, 1, 20.0),
        (3, 1, 20.0),
        (4, 1, 20.0),
    ]


def test_median_days(d):
    # decisions: 12, 10, 5 (approved) and 1 (rejected) days; the waitlisted one is not final.
    assert d.median_days_to_decision == pytest.approx(7.5)
    # approval → signed agreement: 10, 4, 20, 2 days.
    assert d.median_days_to_agreement == pytest.approx(7.0)


def test_hours_used_vs_allocated(d):
    assert d.minutes_used == 570  # 120 + 60 + 300 + 90, not the 45 on the cancelled voucher
    assert d.minutes_allocated == 5 * 960
    assert d.hours_used == pytest.approx(9.5)
    assert d.hours_allocated == 80


def test_vouchers_ending_within_30_days(s, d):
    assert d.ending_soon_count == 2
    assert [v.code for v in d.ending_soon] == [s.vE.code, s.vA.code]  # 01.06. then 20.06.


def test_feedback_averages_and_response_rate(d):
    assert (d.feedback_sent, d.feedback_answered) == (4, 3)
    assert d.feedback_response_rate == pytest.approx(75.0)
    assert d.feedback_answers == 3
    assert d.avg_satisfaction == pytest.approx(4.0)
    assert d.avg_goals_reached == pytest.approx(10 / 3)
    assert d.avg_structure_useful == pytest.approx(4.0)
    assert d.recommend_share == pytest.approx(200 / 3)


def test_by_bundesland(d):
    assert [(code, n) for code, _, n in d.by_bundesland] == [("BW", 2), ("BY", 2), ("NW", 1)]


def test_monthly_applications_and_approvals(d):
    monthly = {m.month: (a, b) for m, a, b in d.monthly}
    assert len(d.monthly) == 12
    assert monthly[1] == (2, 1)
    assert monthly[2] == (1, 2)  # vA and the later cancelled vX were both approved in February
    assert monthly[3] == (1, 2)
    assert monthly[4] == (1, 1)
    assert monthly[5] == (1, 0)
    assert all(monthly[m] == (0, 0) for m in range(6, 13))


def test_virtual_programme_counts_units():
    import datetime as dt

    from portal.models import ProgrammePeriod
    from sessions_log.models import SessionEntry
    from tests.factories import FacilitatorFactory, ProgrammeFactory, VoucherFactory

    p = ProgrammeFactory(kind="virtuell")
    period = ProgrammePeriod.objects.create(
        programme=p,
        name="VB 2025",
        start=dt.date(2025, 1, 1),
        end=dt.date(2025, 12, 31),
        contingent=3,
    )
    f = FacilitatorFactory()
    v1 = VoucherFactory(programme=p, period=period, facilitators=[f])
    VoucherFactory(programme=p, period=period)
    for _ in range(3):
        SessionEntry.objects.create(
            voucher=v1,
            facilitator=f,
            date=dt.date(2025, 2, 2),
            minutes=60,
            units=1,
            activity="sparring",
            format="video",
            status="confirmed",
        )
    d = programme_dashboard(p, period, today=dt.date(2025, 6, 1))
    assert (d.units_used, d.units_allocated) == (3, 24)
    assert (d.used, d.free) == (2, 1)
