"""Facilitator utilisation: open cases vs capacity, hours per month (hand-computed)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports.utilisation import month_range, profiles_with_open_cases, utilisation_rows
from sessions_log.models import SessionEntry
from tests.factories import FacilitatorFactory, VoucherFactory

pytestmark = pytest.mark.django_db

TODAY = dt.date(2026, 3, 15)


def log(v, f, day, minutes):
    SessionEntry.objects.create(
        voucher=v, facilitator=f, date=day, minutes=minutes, activity="workshop", format="vor_ort"
    )


@pytest.fixture
def busy():
    f = FacilitatorFactory(capacity=3)
    other = FacilitatorFactory()
    open_1 = VoucherFactory(status="active", facilitators=[f, other])
    open_2 = VoucherFactory(status="issued", facilitators=[f])
    closed = VoucherFactory(status="closed", facilitators=[f])
    VoucherFactory(status="cancelled", facilitators=[f])
    log(open_1, f, dt.date(2026, 3, 2), 90)
    log(open_1, f, dt.date(2026, 3, 10), 30)
    log(open_2, f, dt.date(2026, 1, 31), 60)
    log(closed, f, dt.date(2025, 4, 30), 120)  # 12 months back incl. March 2026: from April 2025
    log(closed, f, dt.date(2025, 3, 31), 600)  # outside the window
    log(open_1, other, dt.date(2026, 3, 3), 45)  # someone else's hours
    return f, other


def test_month_range_is_twelve_calendar_months():
    months = month_range(TODAY)
    assert months[0] == dt.date(2025, 4, 1)
    assert months[-1] == dt.date(2026, 3, 1)
    assert len(months) == 12


def test_open_cases_and_hours_per_month(busy):
    f, _ = busy
    months = month_range(TODAY)
    row = utilisation_rows(profiles_with_open_cases().filter(pk=f.pk), months)[0]
    assert (row.open_cases, row.capacity, row.free) == (2, 3, 1)
    by_month = dict(zip(months, row.minutes, strict=True))
    assert by_month[dt.date(2026, 3, 1)] == 120
    assert by_month[dt.date(2026, 1, 1)] == 60
    assert by_month[dt.date(2025, 4, 1)] == 120
    assert row.total_minutes == 300
    assert row.total_hours == 5


def test_facilitator_page_shows_own_figures(client, busy):
    f, _ = busy
    client.force_login(f.user)
    html = client.get(reverse("reports:my_utilisation")).content.decode()
    assert 'data-figure="open-cases">2<' in html
    assert 'data-figure="capacity">3<' in html
    assert 'role="img"' in html
    assert "Daten als Tabelle anzeigen" in html


def test_overview_query_count_is_constant(office_client, busy, django_assert_max_num_queries):
    with CaptureQueriesContext(connection) as small:
        response = office_client.get(reverse("reports:utilisation"))
    assert response.status_code == 200
    f, _ = busy
    html = response.content.decode()
    assert f'data-figure="open-{f.pk}">2<' in html
    for _ in range(30):
        g = FacilitatorFactory()
        v = VoucherFactory(facilitators=[g])
        log(v, g, TODAY, 60)
    with django_assert_max_num_queries(len(small.captured_queries)):
        response = office_client.get(reverse("reports:utilisation"))
    assert "Seite 1 von 2" in response.content.decode()
