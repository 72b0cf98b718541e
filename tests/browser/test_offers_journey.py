"""Issue 19 in Chromium: a cancelled voucher's place is offered; the applicant opens the offer
from the dashboard and accepts it; the offer page and the public allocation log are
axe-clean."""

from __future__ import annotations

import pytest

from tests.vouchers.offer_helpers import full_programme, member, waiting
from vouchers import services
from vouchers.models import Offer

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_offer_accepted_in_the_browser(browser):
    programme, office, vouchers = full_programme()
    programme.publish_allocation_log = True
    programme.save(update_fields=["publish_allocation_log"])
    first = waiting(programme, minutes_ago=10, rural=True)
    services.cancel_voucher(vouchers[0], by=office, reason="Die Stadt verzichtet.")
    offer = Offer.objects.get()

    browser.login(member(first))
    browser.get("/antraege/")
    assert "Platzangebot ansehen" in browser.text()
    browser.get(offer.get_absolute_url())
    assert "Was bedeutet Annehmen?" in browser.text()
    browser.assert_accessible("offer page")
    browser.submit("form[action$='/annehmen/'] [type=submit]")
    offer.refresh_from_db()
    assert offer.status == "accepted"
    assert "/gutscheine/" in browser.path

    browser.logout()
    browser.get(f"/vergabeprotokoll/{programme.slug}/")
    assert "Angebot angenommen" in browser.text()
    assert first.organisation.name not in browser.text()
    browser.assert_accessible("allocation log")
