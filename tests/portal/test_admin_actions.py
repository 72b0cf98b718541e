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


def test_raising_a_contingent_in_the_admin_offers_the_new_place(admin_client):
    from tests.factories import ApplicationFactory, ProgrammeFactory, VoucherFactory
    from vouchers.models import Offer

    programme = ProgrammeFactory(contingent=1)
    period = programme.current_period()
    VoucherFactory(programme=programme, period=period)
    waiting = ApplicationFactory(programme=programme)
    url = reverse("admin:portal_programmeperiod_change", args=[period.pk])
    form = admin_client.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None}
    data.update(
        programme=programme.pk,
        start=period.start.isoformat(),
        end=period.end.isoformat(),
        contingent=2,
    )
    data.pop("lottery_seed", None)
    response = admin_client.post(url, data)
    assert response.status_code == 302, response.content.decode()[:2000]
    period.refresh_from_db()
    assert period.contingent == 2
    assert Offer.objects.filter(application=waiting, status="open").count() == 1


def test_the_lottery_seed_cannot_be_typed(admin_client):
    from tests.factories import ProgrammeFactory

    period = ProgrammeFactory().current_period()
    url = reverse("admin:portal_programmeperiod_change", args=[period.pk])
    form = admin_client.get(url).context["adminform"].form
    assert "lottery_seed" not in form.fields
