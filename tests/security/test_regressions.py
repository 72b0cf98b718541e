"""Holes the security tests found, fixed in the views, kept fixed here."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import FacilitatorFactory, OrganisationFactory, UserFactory, VoucherFactory

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("target", ['"><img src=x onerror=alert(1)>', "kaputt", "//evil.example"])
def test_confirm_flags_redirects_only_to_local_paths(client, target):
    """A ``next`` that is neither a URL nor safe was passed to ``redirect()``, which took it
    for a view name: NoReverseMatch, a 500 (found by the fuzz test)."""
    client.force_login(UserFactory(role="office"))
    organisation = OrganisationFactory()
    response = client.post(
        reverse("vouchers:confirm_flags", args=[organisation.pk]),
        {"structurally_weak": "on", "next": target},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("vouchers:queue")


def test_confirm_flags_keeps_a_local_next(client):
    client.force_login(UserFactory(role="office"))
    organisation = OrganisationFactory()
    response = client.post(
        reverse("vouchers:confirm_flags", args=[organisation.pk]),
        {"next": "/antraege/liste/?seite=2"},
    )
    assert response["Location"] == "/antraege/liste/?seite=2"


def test_a_refused_step_with_an_odd_referer_is_not_a_500(client):
    """RuleViolationMiddleware redirected to the Referer with ``redirect()``; a Referer
    such as "kaputt" was taken for a view name (NoReverseMatch, 500)."""
    facilitator = FacilitatorFactory()
    voucher = VoucherFactory(status="issued", facilitators=[facilitator])
    client.force_login(facilitator.user)
    response = client.post(
        reverse("sessions_log:request_closing", args=[voucher.pk]),
        {"report": "Fertig."},
        HTTP_REFERER="kaputt",
    )
    assert response.status_code == 302
