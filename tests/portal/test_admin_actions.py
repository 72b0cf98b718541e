"""Issue 20, defect 12: no bulk delete in the admin (cases end through services) and German
names for the third-party apps and models the admin shows."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import UserFactory, VoucherFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    admin = UserFactory(role="admin", is_staff=True, is_superuser=True)
    client.force_login(admin)
    return client


def test_case_lists_offer_no_bulk_delete(admin_client):
    VoucherFactory()
    for url_name in ("admin:vouchers_voucher_changelist", "admin:vouchers_application_changelist"):
        response = admin_client.get(reverse(url_name))
        assert response.status_code == 200
        text = response.content.decode()
        assert "delete_selected" not in text
        assert "löschen" not in text.lower().split("<select", 1)[-1].split("</select>", 1)[0]


def test_admin_index_names_third_party_apps_in_german(admin_client):
    text = admin_client.get(reverse("admin:index")).content.decode()
    for technical in ("Otp_Totp", "Otp_Static", ">Axes<", "TOTP devices", "static tokens"):
        assert technical not in text
    assert "Anmeldeschutz" in text
    assert "Authenticator-Apps" in text
