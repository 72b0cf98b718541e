"""The demo: a cancellation, an expired offer and an open one; the demo period's allocation
log adds up and names no organisation (acceptance 5)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.urls import reverse

from portal.models import Organisation, Programme
from vouchers.models import Offer, Voucher
from vouchers.services.allocation_log import period_summary

pytestmark = pytest.mark.django_db


def test_demo_offers_and_log(client, settings):
    settings.DEBUG = True
    call_command("seed_demo", verbosity=0)
    programme = Programme.objects.get(slug="prozessbegleitung")
    period = programme.current_period()
    assert Voucher.objects.filter(programme=programme, status="cancelled").exists()
    statuses = sorted(Offer.objects.filter(period=period).values_list("status", flat=True))
    assert statuses == ["expired", "open"]
    summary = period_summary(period)
    assert summary.allocated + summary.offered + summary.free == summary.contingent
    html = client.get(reverse("allocation_log:detail", args=[programme.slug])).content.decode()
    assert "Angebot abgelaufen" in html
    for name in Organisation.objects.values_list("name", flat=True):
        assert name not in html
    call_command("seed_demo", verbosity=0)  # idempotent
    assert Offer.objects.filter(period=period).count() == 2
