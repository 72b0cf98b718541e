"""„Stunden bestätigen“ over HTTP: a member confirms or disputes, a stranger gets a 404, the
office resolves; the applicant dashboard counts what waits; the log form names the range."""

from __future__ import annotations

import pytest
from django.urls import reverse

from sessions_log.models import SessionEntry
from tests.factories import OperatorFactory, OrganisationFactory, UserFactory
from tests.sessions_log.conftest import log

pytestmark = pytest.mark.django_db
S = SessionEntry.Status


@pytest.fixture
def entries(pb_voucher, facilitator):
    return [log(pb_voucher, facilitator.user, 60), log(pb_voucher, facilitator.user, 90)]


def test_member_sees_and_confirms_entries(
    client, applicant, entries, django_assert_max_num_queries
):
    client.force_login(applicant)
    url = reverse("sessions_log:confirm_hours")
    with django_assert_max_num_queries(12):
        page = client.get(url)
    assert page.status_code == 200
    assert "Ausgewählte Stunden bestätigen" in page.content.decode()
    response = client.post(url, {"entries": [entries[0].pk]})
    assert response.status_code == 302
    entries[0].refresh_from_db()
    entries[1].refresh_from_db()
    assert entries[0].status == S.CONFIRMED
    assert entries[1].status == S.PENDING


def test_confirm_page_queries_do_not_grow(
    client, applicant, pb_voucher, facilitator, django_assert_max_num_queries
):
    for _ in range(30):
        log(pb_voucher, facilitator.user, 10)
    client.force_login(applicant)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("sessions_log:confirm_hours")).status_code == 200


def test_stranger_gets_404_and_nothing_changes(client, entries):
    stranger = OrganisationFactory().members.get()
    client.force_login(stranger)
    response = client.post(reverse("sessions_log:confirm_hours"), {"entries": [entries[0].pk]})
    assert response.status_code == 404
    assert (
        client.get(reverse("sessions_log:dispute_entry", args=[entries[0].pk])).status_code == 404
    )
    entries[0].refresh_from_db()
    assert entries[0].status == S.PENDING


def test_dispute_and_resolve_over_http(client, applicant, entries, office_user):
    client.force_login(applicant)
    url = reverse("sessions_log:dispute_entry", args=[entries[0].pk])
    assert client.post(url, {"reason": ""}).status_code == 400
    assert client.post(url, {"reason": "Nur 30 Minuten."}).status_code == 302
    entries[0].refresh_from_db()
    assert entries[0].status == S.DISPUTED
    resolve = reverse("sessions_log:resolve_dispute", args=[entries[0].pk])
    other_office = UserFactory(role="office", operators=[OperatorFactory()])
    client.force_login(other_office)
    assert client.get(resolve).status_code == 404
    client.force_login(office_user)
    assert client.post(resolve, {"outcome": "change"}).status_code == 400
    assert client.post(resolve, {"outcome": "change", "minutes": "30"}).status_code == 302
    entries[0].refresh_from_db()
    assert entries[0].minutes == 30
    assert entries[0].status == S.RESOLVED


def test_dashboard_counts_waiting_entries(client, applicant, entries):
    client.force_login(applicant)
    page = client.get(reverse("vouchers:applicant_dashboard")).content.decode()
    assert "2 Einträge warten auf Ihre Bestätigung" in page


def test_facilitator_sees_each_entrys_state(client, facilitator, pb_voucher, entries):
    client.force_login(facilitator.user)
    page = client.get(pb_voucher.get_absolute_url()).content.decode()
    assert page.count("wartet auf Bestätigung") >= 2


def test_log_form_names_the_allowed_range(client, facilitator, pb_voucher):
    client.force_login(facilitator.user)
    page = client.get(reverse("sessions_log:session_add", args=[pb_voucher.pk])).content.decode()
    assert "(Ausstellung)" in page
    assert 'min="' in page
