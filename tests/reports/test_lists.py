"""Report lists: filters (django-filter), sorting, pagination, constant query count."""

import datetime as dt

import pytest
from django.urls import reverse

from sessions_log.models import SessionEntry
from tests.factories import (
    ApplicationFactory,
    FacilitatorFactory,
    OrganisationFactory,
    VoucherFactory,
)
from tests.reports import scenario
from vouchers.models import FeedbackRequest, FeedbackResponse

pytestmark = pytest.mark.django_db

REPORT_KEYS = ("antraege", "gutscheine", "sitzungen", "feedback")


def list_url(key, **params):
    from urllib.parse import urlencode

    url = reverse("reports:report_list", args=[key])
    return f"{url}?{urlencode(params)}" if params else url


def _grow(n, start=0):
    f = FacilitatorFactory()
    for i in range(start, start + n):
        org = OrganisationFactory(bundesland=["BW", "BY"][i % 2], rural=bool(i % 2))
        app = ApplicationFactory(organisation=org, status="approved")
        v = VoucherFactory(
            organisation=org, programme=app.programme, application=app, facilitators=[f]
        )
        SessionEntry.objects.create(
            voucher=v,
            facilitator=f,
            date=dt.date(2026, 2, 1),
            minutes=60,
            activity="workshop",
            format="video",
            notes=f"Notiz {i}",
        )
        req = FeedbackRequest.objects.create(
            voucher=v, recipient_email=f"r{i}@example.org", nonce=f"list-{i}", sent_at=v.issued_at
        )
        FeedbackResponse.objects.create(
            request=req,
            satisfaction=5,
            goals_reached=4,
            structure_useful=3,
            would_recommend=True,
            what_helped="=1+1",
        )


@pytest.mark.parametrize("key", REPORT_KEYS)
def test_list_query_count_is_constant(office_client, key, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    _grow(2)
    with CaptureQueriesContext(connection) as small:
        assert office_client.get(list_url(key, bundesland="BY", o="-" + "x")).status_code in (
            200,
            400,
        )
        response = office_client.get(list_url(key))
    assert response.status_code == 200
    _grow(40, start=2)
    with django_assert_max_num_queries(len(small.captured_queries)):
        office_client.get(list_url(key, bundesland="BY", o="-" + "x"))
        response = office_client.get(list_url(key))
    assert response.status_code == 200
    assert "Seite 1 von 2" in response.content.decode()  # 42 rows, 25 per page


def test_lists_filter_and_show_german_formats(office_client):
    s = scenario.build()
    html = office_client.get(
        list_url("gutscheine", period=s.period.pk, bundesland="BY")
    ).content.decode()
    assert s.vB.code in html
    assert s.vE.code in html
    assert s.vA.code not in html
    assert "2 Einträge" in html
    html = office_client.get(
        list_url("sitzungen", period=s.period.pk, facilitator=s.facilitator.pk)
    ).content.decode()
    assert "03.03.2025" in html
    assert "5,00" in html
    html = office_client.get(
        list_url("antraege", programme=s.programme.pk, tier=2)
    ).content.decode()
    assert "Stadt C" in html
    assert "Stadt A" not in html
    html = office_client.get(
        list_url("feedback", period=s.period.pk, status="closed")
    ).content.decode()
    assert "2 Einträge" in html  # vC's two answers; vE is not closed yet


def test_list_sorting_links_and_aria_sort(office_client):
    s = scenario.build()
    html = office_client.get(
        list_url("gutscheine", period=s.period.pk, o="gueltig")
    ).content.decode()
    assert 'aria-sort="ascending"' in html
    assert "o=-gueltig" in html  # the header now sorts the other way
    assert html.index(s.vE.code) < html.index(s.vA.code) < html.index(s.vD.code)
    html = office_client.get(
        list_url("gutscheine", period=s.period.pk, o="-gueltig")
    ).content.decode()
    assert 'aria-sort="descending"' in html
    assert html.index(s.vD.code) < html.index(s.vA.code) < html.index(s.vE.code)


def test_export_links_keep_the_filters(office_client):
    s = scenario.build()
    html = office_client.get(list_url("gutscheine", period=s.period.pk, tier=1)).content.decode()
    export = reverse("reports:export", args=["gutscheine", "csv"])
    assert f"{export}?period={s.period.pk}&amp;tier=1" in html


def test_invalid_filter_is_refused_with_error_summary(office_client):
    response = office_client.get(list_url("gutscheine", tier="9", bundesland="XX"))
    assert response.status_code == 400
    html = response.content.decode()
    assert "error-summary" in html
    assert 'href="#id_tier"' in html
    assert "Keine Einträge für diese Filter." in html


@pytest.mark.parametrize("key", REPORT_KEYS)
def test_unfiltered_form_preselects_nothing(office_client, key):
    html = office_client.get(list_url(key)).content.decode()
    assert html.count("<select") >= 7
    assert html.count("<select") == html.count('<option value="" selected>')
