"""The allocation log (Vergabeprotokoll): every step in order, adds up, anonymised unless the
operator publishes names; public only when the programme says so; CSV; query counts."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from tests.factories import OperatorFactory, UserFactory
from tests.vouchers.offer_helpers import full_programme, member, waiting
from vouchers import services
from vouchers.models import Offer
from vouchers.services.allocation_log import period_summary

pytestmark = pytest.mark.django_db


def _busy_period(contingent=4):
    """Allocations, a cancellation, an accepted, a declined, an expired and an open offer."""
    programme, office, vouchers = full_programme(contingent=contingent)
    queue = [waiting(programme, minutes_ago=10 * (i + 1), rural=i < 2) for i in range(5)]
    services.cancel_voucher(vouchers[0], by=office, reason="Verzicht")
    offer = Offer.objects.get(status="open")  # the lottery may order the two of tier 1
    services.accept_offer(offer, by=member(offer.application))
    services.cancel_voucher(vouchers[1], by=office, reason="Verzicht")
    offer = Offer.objects.get(status="open")
    services.decline_offer(offer, by=member(offer.application))
    later = timezone.now() + dt.timedelta(days=programme.offer_days, minutes=1)
    services.expire_offers(now=later)
    programme.publish_allocation_log = True
    programme.save(update_fields=["publish_allocation_log"])
    return programme, office, queue


def test_log_adds_up_and_lists_every_step():
    programme, _office, _queue = _busy_period()
    period = programme.current_period()
    summary = period_summary(period)
    assert (summary.allocated, summary.offered, summary.free) == (3, 1, 0)
    assert summary.allocated + summary.offered + summary.free == summary.contingent
    kinds = list(period.allocation_events.values_list("kind", flat=True))
    assert kinds == [
        "seed",
        *["allocated"] * 4,
        "cancelled", "offered", "accepted",
        "cancelled", "offered", "declined", "offered",
        "expired", "offered",
    ]  # fmt: skip


def test_public_page_is_anonymous_unless_names_are_published(client):
    programme, _office, queue = _busy_period()
    url = reverse("allocation_log:detail", args=[programme.slug])
    html = client.get(url).content.decode()
    assert "Vergabeprotokoll" in html
    assert "Rang 1, Eingang" in html
    assert programme.current_period().lottery_seed in html
    for application in queue:
        assert application.organisation.name not in html
    programme.operator.publish_allocation_names = True
    programme.operator.save(update_fields=["publish_allocation_names"])
    html = client.get(url).content.decode()
    assert queue[0].organisation.name in html


def test_log_is_private_unless_published(client):
    programme, office, _queue = full_programme()
    url = reverse("allocation_log:detail", args=[programme.slug])
    assert client.get(url).status_code == 404
    client.force_login(UserFactory(role="office", operators=[OperatorFactory()]))
    assert client.get(url).status_code == 404
    client.force_login(office)
    assert client.get(url).status_code == 200
    assert client.get(reverse("allocation_log:csv", args=[programme.slug])).status_code == 200


def test_csv_download(client):
    programme, _office, queue = _busy_period()
    response = client.get(reverse("allocation_log:csv", args=[programme.slug]))
    assert response["Content-Type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    assert text.splitlines()[0] == "Zeitpunkt;Schritt;Antrag;Rang;Eingang;Regel"
    assert "Angebot abgelaufen" in text
    assert "Kontingent;4" in text
    assert queue[0].organisation.name not in text


def test_log_page_queries_do_not_grow(client, django_assert_max_num_queries):
    programme, office, _vouchers = full_programme(contingent=2)
    programme.publish_allocation_log = True
    programme.save(update_fields=["publish_allocation_log"])
    url = reverse("allocation_log:detail", args=[programme.slug])
    with django_assert_max_num_queries(8):
        assert client.get(url).status_code == 200
    programme.operator.publish_allocation_names = True
    programme.operator.save(update_fields=["publish_allocation_names"])
    period = programme.current_period()
    for i in range(30):
        waiting(programme, minutes_ago=i + 1)
    services.change_contingent(period, by=office, contingent=40)  # 30 offers
    assert period.allocation_events.count() > 30
    with django_assert_max_num_queries(8):
        assert client.get(url).status_code == 200
