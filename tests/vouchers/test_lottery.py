"""M40: ties within a tier and a calendar day are ordered by the period's recorded lottery,
in the database (SHA-256 of "seed:id"), reproducibly."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from portal.audit import audit_trail
from tests.factories import ApplicationFactory, OrganisationFactory, UserFactory
from vouchers import services
from vouchers.services.lottery import BERLIN, lottery_key

pytestmark = pytest.mark.django_db

YESTERDAY = dt.datetime.combine(
    timezone.localdate() - dt.timedelta(days=1), dt.time(9, 0), tzinfo=BERLIN
)


def _antrag(programme, at, *, rural=False, weak=False):
    organisation = OrganisationFactory(rural=rural, structurally_weak=weak)
    return ApplicationFactory(programme=programme, organisation=organisation, submitted_at=at)


def _seed(programme, seed):
    period = programme.current_period()
    period.lottery_seed = seed
    period.save(update_fields=["lottery_seed"])


def _same_day(programme, count=8):
    return [_antrag(programme, YESTERDAY + dt.timedelta(minutes=7 * i)) for i in range(count)]


def test_without_seed_ties_stay_in_submission_order(programme):
    tied = _same_day(programme, 4)
    rows = list(services.ranked_queue(programme))
    assert rows == tied
    assert all("Losentscheid" not in row.rank_reason for row in rows)


def test_order_is_the_published_sha256_and_deterministic(programme):
    tied = _same_day(programme)
    _seed(programme, "a1b2c3")
    expected = sorted(tied, key=lambda a: lottery_key("a1b2c3", a.pk))
    assert list(services.ranked_queue(programme)) == expected
    assert list(services.ranked_queue(programme)) == expected  # the same again
    assert expected != tied  # the lottery did reorder (fixed seed: not by chance)


def test_two_seeds_give_different_orders(programme):
    _same_day(programme)
    _seed(programme, "seed-one")
    first = list(services.ranked_queue(programme))
    _seed(programme, "seed-two")
    second = list(services.ranked_queue(programme))
    assert first != second
    assert set(first) == set(second)


def test_lottery_only_orders_ties_within_tier_and_day(programme):
    today_tier1 = _antrag(programme, YESTERDAY + dt.timedelta(days=1, hours=1), rural=True)
    earlier_day = [_antrag(programme, YESTERDAY - dt.timedelta(days=1, minutes=i)) for i in (3, 2)]
    tied = _same_day(programme, 5)
    for seed in ("x", "y", "z"):
        _seed(programme, seed)
        rows = list(services.ranked_queue(programme))
        assert rows[0] == today_tier1  # tier 1 before tier 2, whatever the seed or time
        # The earlier day before the later one, whatever the seed.
        assert set(rows[1:3]) == set(earlier_day)
        assert rows[3:] == sorted(tied, key=lambda a: lottery_key(seed, a.pk))


def test_reason_names_the_lottery_where_it_decided(programme):
    alone = _antrag(programme, YESTERDAY - dt.timedelta(days=2))
    tied = _same_day(programme, 3)
    other_tier = _antrag(programme, YESTERDAY + dt.timedelta(minutes=1), rural=True)
    _seed(programme, "abc")
    reasons = {row.pk: row.rank_reason for row in services.ranked_queue(programme)}
    assert "Losentscheid" not in reasons[alone.pk]
    for application in tied:
        assert reasons[application.pk].endswith(" · Losentscheid")
    assert "Losentscheid" not in reasons[other_tier.pk]


def test_seed_is_drawn_once_at_the_first_allocation(programme):
    office = UserFactory(role="office", operators=[programme.operator])
    period = programme.current_period()
    assert period.lottery_seed == ""
    services.approve_application(_antrag(programme, YESTERDAY), by=office, facilitators=[])
    period.refresh_from_db()
    seed = period.lottery_seed
    assert len(seed) == 32
    services.approve_application(_antrag(programme, YESTERDAY), by=office, facilitators=[])
    period.refresh_from_db()
    assert period.lottery_seed == seed
    assert audit_trail(period).filter(action="period.lottery_seed_drawn").count() == 1
    assert period.allocation_events.filter(kind="seed", rule=seed).count() == 1


def test_offer_rule_names_the_lottery(programme):
    from tests.vouchers.offer_helpers import full_programme

    programme, office, vouchers = full_programme()
    tied = _same_day(programme, 3)
    services.cancel_voucher(vouchers[0], by=office, reason="Verzicht")
    offer = vouchers[0].period.offers.get()
    assert offer.application in tied
    assert offer.rule.endswith("Losentscheid")
    assert offer.rule.startswith("Rang 2, Eingang ")
