"""The offer page (applicant), the cancel / give-back form on the case page, the queue's
"Platz frei" with the one-click offer and the dashboard's link to an open offer."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.vouchers.offer_helpers import full_programme, member, waiting
from vouchers import services
from vouchers.models import Offer

pytestmark = pytest.mark.django_db


def _offered(**programme_fields):
    programme, office, vouchers = full_programme(**programme_fields)
    first = waiting(programme, minutes_ago=10, rural=True)
    services.cancel_voucher(vouchers[0], by=office, reason="Verzicht")
    return programme, office, vouchers, first, Offer.objects.get()


def test_offer_page_and_accept(client, django_assert_max_num_queries):
    _programme, _office, _vouchers, first, offer = _offered()
    client.force_login(member(first))
    dashboard = client.get(reverse("vouchers:applicant_dashboard")).content.decode()
    assert offer.get_absolute_url() in dashboard
    with django_assert_max_num_queries(10):
        response = client.get(offer.get_absolute_url())
    html = response.content.decode()
    assert "Was bedeutet Annehmen?" in html
    assert "Annehmen" in html
    assert "Ablehnen" in html
    response = client.post(reverse("vouchers:offer_accept", args=[offer.pk]))
    offer.refresh_from_db()
    assert offer.status == "accepted"
    assert response.status_code == 302
    assert response.url == first.voucher.get_absolute_url()


def test_offer_page_hidden_from_other_organisations(client):
    programme, _office, _vouchers, _first, offer = _offered()
    stranger = waiting(programme, minutes_ago=99)
    client.force_login(member(stranger))
    assert client.get(offer.get_absolute_url()).status_code == 404
    assert client.post(reverse("vouchers:offer_accept", args=[offer.pk])).status_code == 404
    offer.refresh_from_db()
    assert offer.status == "open"


def test_decline_through_the_page(client):
    _programme, _office, _vouchers, first, offer = _offered()
    client.force_login(member(first))
    response = client.post(reverse("vouchers:offer_decline", args=[offer.pk]), follow=True)
    assert "Warteliste" in response.content.decode()
    offer.refresh_from_db()
    assert offer.status == "declined"


def test_office_cancels_on_the_case_page(client):
    _programme, office, vouchers = full_programme()
    client.force_login(office)
    page = client.get(vouchers[0].get_absolute_url()).content.decode()
    assert "Gutschein stornieren" in page
    url = reverse("vouchers:voucher_cancel", args=[vouchers[0].pk])
    response = client.post(url, {"reason": ""}, follow=True)
    assert "Grund" in response.content.decode()
    client.post(url, {"reason": "Die Stadt verzichtet."})
    vouchers[0].refresh_from_db()
    assert vouchers[0].status == "cancelled"


def test_applicant_gives_voucher_back(client):
    _programme, _office, vouchers = full_programme()
    holder = member(vouchers[0].application)
    client.force_login(holder)
    page = client.get(vouchers[0].get_absolute_url()).content.decode()
    assert "Gutschein zurückgeben" in page
    client.post(
        reverse("vouchers:voucher_cancel", args=[vouchers[0].pk]), {"reason": "Kein Bedarf"}
    )
    vouchers[0].refresh_from_db()
    assert vouchers[0].status == "cancelled"


def test_queue_shows_free_place_and_offers_with_one_click(client):
    programme, office, vouchers = full_programme(auto_offer=False)
    first = waiting(programme, minutes_ago=10, rural=True)
    services.cancel_voucher(vouchers[0], by=office, reason="Verzicht")
    client.force_login(office)
    html = client.get(reverse("vouchers:queue"), {"programme": programme.pk}).content.decode()
    assert "1 Platz frei" in html
    client.post(reverse("vouchers:offer_free_place", args=[programme.pk]))
    assert Offer.objects.get().application == first
    html = client.get(reverse("vouchers:queue"), {"programme": programme.pk}).content.decode()
    assert "1 Platz angeboten" in html
