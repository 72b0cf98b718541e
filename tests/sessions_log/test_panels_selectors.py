"""The case-page panel (called directly, as the case page does) and the selectors."""

from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection
from django.db.models import F
from django.template.loader import render_to_string
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from sessions_log import dashboard
from sessions_log.models import SessionEntry
from sessions_log.panels import case_panel
from sessions_log.selectors import (
    annotate_usage,
    office_vouchers,
    sessions_changeable_by,
    sessions_visible_to,
    usage_of,
    voucher_usage,
)
from tests.factories import FacilitatorFactory, UserFactory, VoucherFactory
from tests.sessions_log.conftest import log
from vouchers.models import Voucher

pytestmark = pytest.mark.django_db


def _render(panel):
    return render_to_string(panel["template"], panel["context"])


# --- case_panel ------------------------------------------------------------------------------


def test_panel_for_assigned_facilitator(pb_voucher, facilitator):
    log(pb_voucher, facilitator.user, 300, notes="Auftakt")
    log(pb_voucher, facilitator.user, 90, activity="vorbereitung")
    panel = case_panel(pb_voucher, facilitator.user)
    assert panel["template"] == "sessions_log/partials/case_sessions.html"
    data = panel["context"]["sessions_panel"]
    assert data["count"] == 2
    assert data["total_minutes"] == 390
    assert [row["running_minutes"] for row in data["rows"]] == [300, 390]
    assert all(row["can_change"] for row in data["rows"])
    assert data["can_log"]
    assert data["can_request_closing"]
    assert not data["can_close"]
    assert data["usage"].remaining_minutes == 570
    html = _render(panel)
    assert "6 Std. 30 Min. von 16 Std. genutzt" in html
    assert "noch 9 Std. 30 Min. frei" in html
    assert '<progress class="w-100 cap-bar" max="960" value="390"' in html
    assert "Sitzung eintragen" in html
    assert "Auftakt" in html


def test_panel_is_none_for_strangers(pb_voucher):
    assert case_panel(pb_voucher, FacilitatorFactory().user) is None
    other_org_applicant = UserFactory(role="applicant", organisation=VoucherFactory().organisation)
    assert case_panel(pb_voucher, other_org_applicant) is None


def test_panel_read_only_for_applicant(pb_voucher, facilitator, applicant):
    log(pb_voucher, facilitator.user, 60)
    panel = case_panel(pb_voucher, applicant)
    data = panel["context"]["sessions_panel"]
    assert data["read_only"]
    assert not data["can_log"]
    assert not data["can_request_closing"]
    assert not data["can_close"]
    assert not any(row["can_change"] for row in data["rows"])
    html = _render(panel)
    assert "Sitzung eintragen" not in html
    assert "Ändern" not in html
    assert "1 Std. von 16 Std. genutzt" in html


def test_panel_for_office(pb_voucher, facilitator, office_user):
    log(pb_voucher, facilitator.user, 60)
    data = case_panel(pb_voucher, office_user)["context"]["sessions_panel"]
    assert data["can_log"]
    assert data["can_close"]
    assert not data["can_request_closing"]
    assert data["rows"][0]["can_change"]


def test_team_member_sees_all_but_changes_own_only(pb_voucher, facilitator):
    colleague = FacilitatorFactory()
    pb_voucher.facilitators.add(colleague)
    log(pb_voucher, facilitator.user, 60)
    log(pb_voucher, colleague.user, 30)
    rows = case_panel(pb_voucher, colleague.user)["context"]["sessions_panel"]["rows"]
    assert [(row["entry"].minutes, row["can_change"]) for row in rows] == [
        (60, False),
        (30, True),
    ]


@pytest.mark.parametrize("status", ["issued", "closed"])
def test_panel_without_actions_when_not_active(programme, facilitator, status):
    voucher = VoucherFactory(programme=programme, facilitators=[facilitator], status=status)
    data = case_panel(voucher, facilitator.user)["context"]["sessions_panel"]
    assert not data["can_log"]
    assert not data["can_request_closing"]


def test_panel_for_virtual_voucher(sparring):
    log(sparring["vb"], sparring["in_process"], 180)
    log(sparring["vb"], sparring["outside"], 120)
    panel = case_panel(sparring["vb"], sparring["outside"])
    data = panel["context"]["sessions_panel"]
    assert data["total_units"] == 5
    assert (data["usage"].used_units, data["usage"].remaining_units) == (5, 7)
    assert (data["usage"].used_in_process, data["usage"].remaining_in_process) == (3, 2)
    html = _render(panel)
    assert "5 von 12 Sparring-Einheiten genutzt" in html
    assert "3 von höchstens 5" in html
    assert "im Prozess" in html


@pytest.mark.parametrize("sessions", [3, 60])
def test_panel_query_count_is_constant(
    pb_voucher, facilitator, django_assert_max_num_queries, sessions
):
    for _ in range(sessions):
        log(pb_voucher, facilitator.user, 15)
    voucher = Voucher.objects.select_related("programme", "organisation").get(pk=pb_voucher.pk)
    with django_assert_max_num_queries(5):
        panel = case_panel(voucher, facilitator.user)
        _render(panel)
    assert panel["context"]["sessions_panel"]["count"] == sessions


# --- selectors ---------------------------------------------------------------------------------


def test_sessions_visible_to_each_role(pb_voucher, facilitator, applicant, office_user):
    mine = log(pb_voucher, facilitator.user, 60)
    stranger = FacilitatorFactory()
    elsewhere = VoucherFactory(programme=pb_voucher.programme, facilitators=[stranger])
    theirs = log(elsewhere, stranger.user, 60)
    assert set(sessions_visible_to(facilitator.user)) == {mine}
    assert set(sessions_visible_to(stranger.user)) == {theirs}
    assert set(sessions_visible_to(applicant)) == {mine}
    assert set(sessions_visible_to(office_user)) == {mine, theirs}
    assert set(sessions_changeable_by(applicant)) == set()
    assert set(sessions_changeable_by(facilitator.user)) == {mine}


def test_voucher_usage_pb(pb_voucher, facilitator):
    log(pb_voucher, facilitator.user, 900)
    usage = voucher_usage(pb_voucher)
    assert (usage.cap_minutes, usage.used_minutes, usage.remaining_minutes) == (960, 900, 60)
    assert usage.percent_used == 94
    assert not usage.exhausted
    log(pb_voucher, facilitator.user, 60)
    assert voucher_usage(pb_voucher).exhausted


def test_voucher_usage_counts_units_per_organisation(sparring, organisation, virtual_programme):
    second = VoucherFactory(
        organisation=organisation,
        programme=virtual_programme,
        facilitators=[sparring["outside"].facilitator_profile],
    )
    log(sparring["vb"], sparring["in_process"], 120)
    log(second, sparring["outside"], 180)
    usage = voucher_usage(second)
    assert (usage.used_units, usage.remaining_units, usage.voucher_units) == (5, 7, 3)
    assert (usage.used_in_process, usage.remaining_in_process) == (2, 3)
    assert usage.remaining_minutes == 420


def test_annotation_for_many_vouchers_in_one_query(
    programme, virtual_programme, django_assert_num_queries
):
    fac = FacilitatorFactory()
    expected = {}
    for minutes in (0, 120, 960):
        voucher = VoucherFactory(programme=programme, facilitators=[fac])
        if minutes:
            log(voucher, fac.user, minutes)
        expected[voucher.pk] = 960 - minutes
    vb = VoucherFactory(programme=virtual_programme, facilitators=[fac])
    log(vb, fac.user, 300)
    expected[vb.pk] = 7 * 60
    with django_assert_num_queries(1):
        rows = list(annotate_usage(Voucher.objects.select_related("programme")))
        remaining = {v.pk: usage_of(v).remaining_minutes for v in rows}
    assert remaining == expected
    # The database's figure for filters and sorting agrees (an alias, selected only here).
    in_sql = annotate_usage(Voucher.objects.all()).annotate(rest=F("usage_remaining_minutes"))
    assert {v.pk: v.rest for v in in_sql} == expected
    by_rest = annotate_usage(Voucher.objects.all()).order_by("usage_remaining_minutes", "pk")
    assert [v.pk for v in by_rest] == sorted(expected, key=lambda pk: (expected[pk], pk))


def test_annotation_selects_each_sum_once(programme):
    """The SELECT holds the four session sums once each; the derived used/remaining minutes
    (aliases) would repeat them and only appear when filtered or sorted by."""
    sql = str(annotate_usage(Voucher.objects.select_related("programme")).query)
    assert sql.count("sessions_log_sessionentry") == 4
    sorted_sql = str(
        annotate_usage(Voucher.objects.all()).order_by("usage_remaining_minutes").query
    )
    assert "ORDER BY" in sorted_sql


def test_office_vouchers_are_the_running_ones(programme):
    running = {
        VoucherFactory(programme=programme, status=s).pk for s in ("active", "closing_requested")
    }
    for status in ("issued", "closed", "cancelled"):
        VoucherFactory(programme=programme, status=status)
    assert {v.pk for v in office_vouchers()} == running
    assert SessionEntry.objects.count() == 0


# --- the panel on the case page (vouchers:case_detail) -----------------------------------------


def _case_page_queries(client, voucher):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(voucher.get_absolute_url())
    assert response.status_code == 200
    return len(captured), response.content.decode()


def test_case_page_shows_panel_with_constant_queries(client, pb_voucher, facilitator):
    """The case page (built by the vouchers app) includes this panel; 3 or 60 sessions
    make no difference to its number of queries."""
    client.force_login(facilitator.user)
    for _ in range(3):
        log(pb_voucher, facilitator.user, 15)
    few, html = _case_page_queries(client, pb_voucher)
    assert "Sitzungen und Arbeitsstunden" in html
    assert "Zusammen 45 Min. in 3 Einträgen." in html
    for _ in range(57):
        log(pb_voucher, facilitator.user, 15)
    many, html = _case_page_queries(client, pb_voucher)
    assert "Zusammen 15 Std. in 60 Einträgen." in html
    assert many == few
    assert few <= 25


# --- the facilitator dashboard's reads (sessions_log.dashboard, plain SQL) --------------------


def _usage_fields(usage):
    return {
        name: getattr(usage, name)
        for name in (
            "is_virtual",
            "unit_minutes",
            "cap_minutes",
            "used_minutes",
            "remaining_minutes",
            "voucher_minutes",
            "voucher_units",
            "cap_units",
            "used_units",
            "remaining_units",
            "cap_in_process",
            "used_in_process",
            "remaining_in_process",
            "exhausted",
        )
    }


def test_dashboard_usage_is_the_annotations_usage(
    sparring, organisation, virtual_programme, programme, facilitator
):
    """``session_totals`` + ``usage_of_case`` (the dashboard) and ``voucher_usage`` (the
    ORM annotation the other pages use) agree; units are counted per organisation, over
    vouchers of other facilitators too."""
    second_vb = VoucherFactory(
        organisation=organisation,
        programme=virtual_programme,
        facilitators=[sparring["outside"].facilitator_profile],
    )
    own_cap = VoucherFactory(programme=programme, facilitators=[facilitator], cap_minutes=600)
    log(sparring["vb"], sparring["in_process"], 120)
    log(sparring["vb"], sparring["outside"], 60)
    log(second_vb, sparring["outside"], 180)
    log(own_cap, facilitator.user, 600)
    cases = dashboard.open_cases(facilitator.user)
    assert {case.pk for case in cases} == {sparring["pb"].pk, sparring["vb"].pk, own_cap.pk}
    per_voucher, per_organisation = dashboard.session_totals(
        [case.pk for case in cases], {case.organisation_id for case in cases if case.is_virtual}
    )
    in_process = dashboard.in_process_organisations(cases)
    assert in_process == {
        (organisation.pk, sparring["pb"].programme.operator_id, sparring["pb"].programme_id),
        (own_cap.organisation_id, programme.operator_id, programme.pk),
    }
    usages = {
        case.pk: dashboard.usage_of_case(case, per_voucher, per_organisation, in_process)
        for case in cases
    }
    for pk, usage in usages.items():
        assert _usage_fields(usage) == _usage_fields(voucher_usage(Voucher.objects.get(pk=pk)))
    vb = usages[sparring["vb"].pk]
    assert (vb.used_units, vb.voucher_units, vb.used_in_process) == (6, 3, 2)
    assert vb.facilitator_in_process
    assert usages[own_cap.pk].exhausted  # the voucher's own cap (600), not the programme's


def test_dashboard_case_fields(facilitator, programme):
    voucher = VoucherFactory(programme=programme, facilitators=[facilitator])
    [case] = dashboard.open_cases(facilitator.user)
    assert case == dashboard.Case(
        pk=voucher.pk,
        code=voucher.code,
        status="active",
        valid_until=voucher.valid_until,
        organisation_id=voucher.organisation_id,
        organisation_name=voucher.organisation.name,
        programme_name=programme.name,
        kind="prozessbegleitung",
        unit_minutes=programme.unit_minutes,
        cap_minutes=960,
        cap_units=programme.cap_units,
        cap_in_process=programme.cap_units_in_process,
        programme_id=programme.pk,
        operator_id=programme.operator_id,
    )
    assert isinstance(case.valid_until, dt.date)


def test_session_totals_one_query_and_none_for_nothing(
    pb_voucher, facilitator, sparring, django_assert_num_queries
):
    log(pb_voucher, facilitator.user, 90)
    log(sparring["vb"], sparring["in_process"], 120)
    with django_assert_num_queries(0):
        assert dashboard.session_totals([], set()) == ({}, {})
    with django_assert_num_queries(1):
        per_voucher, per_organisation = dashboard.session_totals(
            [pb_voucher.pk, sparring["pb"].pk], {sparring["vb"].organisation_id, 123456}
        )
    assert per_voucher == {pb_voucher.pk: (90, 0)}  # no sessions on sparring["pb"]
    assert per_organisation == {sparring["vb"].organisation_id: (2, 2)}
    with django_assert_num_queries(1):
        assert dashboard.session_totals([], {sparring["vb"].organisation_id}) == (
            {},
            {sparring["vb"].organisation_id: (2, 2)},
        )


def test_dashboard_cases_are_own_split_by_status_and_ordered(programme, facilitator):
    today = timezone.localdate()
    late = VoucherFactory(
        programme=programme, facilitators=[facilitator], valid_until=today + dt.timedelta(60)
    )
    soon = VoucherFactory(
        programme=programme,
        facilitators=[facilitator, FacilitatorFactory()],
        valid_until=today + dt.timedelta(30),
    )
    closed = []
    for days_ago in (5, 1, 3):
        voucher = VoucherFactory(programme=programme, facilitators=[facilitator], status="closed")
        Voucher.objects.filter(pk=voucher.pk).update(
            closed_at=timezone.now() - dt.timedelta(days=days_ago)
        )
        closed.append(voucher)
    VoucherFactory(programme=programme, facilitators=[facilitator], status="cancelled")
    VoucherFactory(programme=programme, facilitators=[FacilitatorFactory()])
    user = facilitator.user
    assert [case.pk for case in dashboard.open_cases(user)] == [soon.pk, late.pk]
    latest_first = [closed[1].pk, closed[2].pk, closed[0].pk]
    assert [case.pk for case in dashboard.latest_closed_cases(user, 2)] == latest_first[:2]
    page, total = dashboard.closed_cases_page(user, limit=2, offset=2)
    assert ([case.pk for case in page], total) == (latest_first[2:], 3)
    assert dashboard.closed_cases_page(user, limit=2, offset=4) == ([], None)
    assert dashboard.closed_cases_count(user) == 3
