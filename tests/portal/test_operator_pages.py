"""The operator on its programmes' pages, and the office's queue and reports per operator."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import (
    ApplicationFactory,
    OperatorFactory,
    OrganisationFactory,
    ProgrammeFactory,
    UserFactory,
    VoucherFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def two():
    """Two operators with one programme and one open Antrag and case each."""
    a = OperatorFactory(
        name="Träger Alpha", legal_name="Alpha-Stiftung", contacts=[{"name": "Anna Alpha"}]
    )
    b = OperatorFactory(
        name="Träger Beta", legal_name="Beta-Verein", contacts=[{"name": "Bernd Beta"}]
    )
    programme_a = ProgrammeFactory(operator=a, name="Programm Alpha")
    programme_b = ProgrammeFactory(operator=b, name="Programm Beta")
    ApplicationFactory(programme=programme_a, organisation=OrganisationFactory(name="Ort Alpha"))
    ApplicationFactory(programme=programme_b, organisation=OrganisationFactory(name="Ort Beta"))
    voucher_a = VoucherFactory(programme=programme_a, code="PB-ALPHA-1")
    voucher_b = VoucherFactory(programme=programme_b, code="PB-BETA-1")
    return a, b, programme_a, programme_b, voucher_a, voucher_b


def test_the_start_page_names_each_programmes_operator_and_contacts(client, two):
    html = client.get(reverse("start")).content.decode()
    assert "Programm Alpha" in html
    assert "Programmträger: Träger Alpha" in html
    assert "Anna Alpha" in html
    assert "Bernd Beta" in html
    assert "Bewerbung über Ausschreibung" in html  # the seeded Entwicklungswerkstatt


def test_a_programmes_pages_carry_its_operator_in_the_footer(client, two):
    _a, _b, programme_a, _pb, voucher_a, _vb = two
    applicant = voucher_a.organisation.members.get()
    client.force_login(applicant)
    html = client.get(reverse("vouchers:case_detail", args=[voucher_a.pk])).content.decode()
    footer = html[html.index("<footer") :]
    assert "Programmträger: Alpha-Stiftung" in footer
    assert "Beta" not in footer
    html = client.get(
        reverse("vouchers:application_create", args=[programme_a.slug])
    ).content.decode()
    assert "Programmträger: Alpha-Stiftung" in html[html.index("<footer") :]


def test_the_queue_shows_only_the_office_users_operators(client, two):
    a, _b, _programme_a, programme_b, _va, _vb = two
    client.force_login(UserFactory(role="office", operators=[a]))
    html = client.get(reverse("vouchers:queue")).content.decode()
    assert "Ort Alpha" in html
    assert "Programm Beta" not in html
    html = client.get(reverse("vouchers:queue"), {"programme": programme_b.pk}).content.decode()
    assert "Ort Beta" not in html  # another operator's programme id falls back to its own
    assert "Programmträger wählen" not in html  # one operator: no operator selector


def test_an_office_user_of_several_operators_filters_by_operator(
    client, two, django_assert_max_num_queries
):
    a, b, _programme_a, _programme_b, _va, _vb = two
    client.force_login(UserFactory(role="office", operators=[a, b]))
    url = reverse("vouchers:queue")
    html = client.get(url).content.decode()
    assert "Programmträger wählen" in html
    assert "Programm Alpha" in html
    assert "Programm Beta" in html
    with django_assert_max_num_queries(25):
        html = client.get(url, {"operator": b.pk}).content.decode()
    assert "Ort Beta" in html
    assert "Ort Alpha" not in html
    assert f'name="operator" value="{b.pk}"' in html  # kept by the filter form
    # An operator the user does not work for is ignored (all of the user's programmes).
    other = OperatorFactory()
    assert client.get(url, {"operator": other.pk}).status_code == 200


def test_reports_filter_by_operator_and_office_reports_cover_only_its_operators(client, two):
    a, b, _pa, _pb, _va, _vb = two
    url = reverse("reports:report_list", args=["gutscheine"])
    client.force_login(UserFactory(role="office", operators=[a]))
    html = client.get(url).content.decode()
    assert "PB-ALPHA-1" in html
    assert "PB-BETA-1" not in html
    # Another operator is not a valid choice: the list shows nothing, never more.
    response = client.get(url, {"operator": b.pk})
    assert response.status_code == 400
    assert "PB-ALPHA-1" not in response.content.decode()
    export = client.get(reverse("reports:export", args=["gutscheine", "csv"]))
    body = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "PB-ALPHA-1" in body
    assert "PB-BETA-1" not in body

    client.force_login(UserFactory(role="office", operators=[a, b]))
    html = client.get(url, {"operator": b.pk}).content.decode()
    assert "PB-BETA-1" in html
    assert "PB-ALPHA-1" not in html
    export = client.get(reverse("reports:export", args=["gutscheine", "csv"]), {"operator": a.pk})
    body = b"".join(export.streaming_content).decode("utf-8-sig")
    assert "PB-ALPHA-1" in body
    assert "PB-BETA-1" not in body


def test_the_report_dashboard_offers_the_operator_filter_to_staff_of_several(client, two):
    a, b, _pa, _programme_b, _va, _vb = two
    client.force_login(UserFactory(role="office", operators=[a, b]))
    html = client.get(reverse("reports:dashboard"), {"operator": b.pk}).content.decode()
    assert 'name="operator"' in html
    assert "Programm Beta" in html
    assert "Programm Alpha" not in html  # the programme selector is narrowed
    client.force_login(UserFactory(role="office", operators=[a]))
    html = client.get(reverse("reports:dashboard"), {"operator": b.pk})
    assert html.status_code == 404  # no programme of that operator for this user
