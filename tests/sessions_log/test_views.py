"""Pages of the session log, end to end through the test client: roles × pages, refused
forms (400, message, kept input), database effects, audit rows."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from portal.audit import audit_trail
from sessions_log.models import SessionEntry
from sessions_log.views import DashboardView
from tests.factories import FacilitatorFactory, UserFactory, VoucherFactory
from tests.sessions_log.conftest import log
from vouchers.models import Voucher

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def _form(**overrides):
    data = {
        "date": TODAY().isoformat(),
        "minutes": "90",
        "activity": "workshop",
        "format": "vor_ort",
        "participants": "12",
        "notes": "Auftakt mit der Steuergruppe",
    }
    data.update(overrides)
    return data


def add_url(voucher):
    return reverse("sessions_log:session_add", args=[voucher.pk])


# --- Access: anonymous → login, wrong role → 403, foreign object → 404 -------------------


@pytest.mark.parametrize(
    "name", ["sessions_log:dashboard", "sessions_log:office_list"], ids=["dashboard", "office"]
)
def test_anonymous_is_sent_to_login(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_anonymous_cannot_open_log_form(client, pb_voucher):
    response = client.get(add_url(pb_voucher))
    assert response.status_code == 302
    assert reverse("login") in response["Location"]


def test_applicant_gets_403_on_facilitator_pages(client, applicant, pb_voucher):
    client.force_login(applicant)
    assert client.get(reverse("sessions_log:dashboard")).status_code == 403
    assert client.get(add_url(pb_voucher)).status_code == 403
    assert client.post(add_url(pb_voucher), _form()).status_code == 403
    assert client.get(reverse("sessions_log:office_list")).status_code == 403
    assert not SessionEntry.objects.exists()


def test_facilitator_gets_403_on_office_pages(client, facilitator, pb_voucher):
    client.force_login(facilitator.user)
    assert client.get(reverse("sessions_log:office_list")).status_code == 403
    assert client.get(reverse("sessions_log:close", args=[pb_voucher.pk])).status_code == 403


def test_other_facilitator_never_sees_or_edits_the_case(client, pb_voucher, facilitator):
    entry = log(pb_voucher, facilitator.user, 60)
    stranger = FacilitatorFactory()
    client.force_login(stranger.user)
    urls = [
        add_url(pb_voucher),
        reverse("sessions_log:voucher_sessions", args=[pb_voucher.pk]),
        reverse("sessions_log:request_closing", args=[pb_voucher.pk]),
        reverse("sessions_log:remaining_preview", args=[pb_voucher.pk]),
        reverse("sessions_log:session_edit", args=[entry.pk]),
        reverse("sessions_log:session_delete", args=[entry.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 404, url
    assert client.post(add_url(pb_voucher), _form()).status_code == 404
    assert client.post(reverse("sessions_log:session_delete", args=[entry.pk])).status_code == 404
    edit = client.post(reverse("sessions_log:session_edit", args=[entry.pk]), _form(minutes="1"))
    assert edit.status_code == 404
    assert SessionEntry.objects.get().minutes == 60
    dashboard = client.get(reverse("sessions_log:dashboard"))
    assert pb_voucher.organisation.name not in dashboard.content.decode()


def test_team_member_cannot_edit_the_other_members_entries(client, pb_voucher, facilitator):
    colleague = FacilitatorFactory()
    pb_voucher.facilitators.add(colleague)
    entry = log(pb_voucher, facilitator.user, 60)
    client.force_login(colleague.user)
    assert client.get(reverse("sessions_log:session_edit", args=[entry.pk])).status_code == 404
    assert client.post(reverse("sessions_log:session_delete", args=[entry.pk])).status_code == 404
    # … but sees the whole team's timeline of the case.
    page = client.get(reverse("sessions_log:voucher_sessions", args=[pb_voucher.pk]))
    assert page.status_code == 200
    assert facilitator.user.last_name in page.content.decode()


# --- Facilitator dashboard -----------------------------------------------------------------


def test_dashboard_empty_state(client, facilitator):
    client.force_login(facilitator.user)
    response = client.get(reverse("sessions_log:dashboard"))
    assert response.status_code == 200
    assert "keine laufenden Begleitungen" in response.content.decode()


def test_dashboard_shows_own_open_and_closed_cases(
    client, facilitator, pb_voucher, sparring, programme
):
    log(pb_voucher, facilitator.user, 600)
    log(sparring["vb"], facilitator.user, 120)
    closed = VoucherFactory(programme=programme, status="closed", facilitators=[facilitator])
    foreign = VoucherFactory(programme=programme, facilitators=[FacilitatorFactory()])
    client.force_login(facilitator.user)
    response = client.get(reverse("sessions_log:dashboard"))
    html = response.content.decode()
    assert response.status_code == 200
    assert pb_voucher.organisation.name in html
    assert "10 Std. von 16 Std. genutzt" in html
    assert "noch 6 Std. frei" in html
    assert "2 von 12 Sparring-Einheiten genutzt" in html
    assert "2 von höchstens 5" in html  # the in-process sub-cap
    assert pb_voucher.valid_until.strftime("%d.%m.%Y") in html
    assert "Nächster Schritt" in html
    assert closed.organisation.name in html
    assert html.index("Abgeschlossene Begleitungen") < html.index(closed.organisation.name)
    assert foreign.organisation.name not in html


def test_office_dashboard_redirects_to_office_list(client, office_user):
    client.force_login(office_user)
    response = client.get(reverse("sessions_log:dashboard"))
    assert response.status_code == 302
    assert response["Location"] == reverse("sessions_log:office_list")


@pytest.mark.parametrize("sessions", [3, 60])
def test_dashboard_query_count_is_constant(
    client, facilitator, programme, virtual_programme, django_assert_max_num_queries, sessions
):
    for i in range(4):
        voucher = VoucherFactory(programme=programme, facilitators=[facilitator])
        vb = VoucherFactory(
            programme=virtual_programme,
            organisation=voucher.organisation,
            facilitators=[facilitator],
        )
        if i == 0:
            for _ in range(sessions):
                log(voucher, facilitator.user, 15)
            for _ in range(min(sessions, 5)):
                log(vb, facilitator.user, 60)
    VoucherFactory(programme=programme, status="closed", facilitators=[facilitator])
    client.force_login(facilitator.user)
    # Session, user, open cases, closed cases, session totals.
    with django_assert_max_num_queries(5):
        response = client.get(reverse("sessions_log:dashboard"))
    assert response.status_code == 200


def _many_cases(facilitator, programme, virtual_programme, n):
    """``n`` open and ``n`` closed cases, every third Virtuelle Begleitung, with sessions."""
    for i in range(n):
        kind = virtual_programme if i % 3 == 0 else programme
        voucher = VoucherFactory(
            programme=kind,
            facilitators=[facilitator],
            valid_until=TODAY() + dt.timedelta(days=30 + i),
        )
        log(voucher, facilitator.user, 60 if kind == virtual_programme else 60 + i)
        closed = VoucherFactory(programme=kind, facilitators=[facilitator], status="active")
        log(closed, facilitator.user, 60)
        closed.status = "closed"
        closed.closed_at = timezone.now() - dt.timedelta(days=i)
        closed.save(update_fields=["status", "closed_at"])


@pytest.mark.parametrize("n", [2, 14])
@pytest.mark.parametrize("params", [{}, {"seite": "1"}, {"seite_abgeschlossen": "1"}])
def test_dashboard_queries_same_for_few_and_many_cases(
    client,
    facilitator,
    programme,
    virtual_programme,
    django_assert_max_num_queries,
    django_assert_num_queries,
    n,
    params,
):
    _many_cases(facilitator, programme, virtual_programme, n)
    client.force_login(facilitator.user)
    client.get(reverse("sessions_log:dashboard"), params)  # warm: content types, templates
    with django_assert_num_queries(5):
        response = client.get(reverse("sessions_log:dashboard"), params)
    assert response.status_code == 200


def test_dashboard_shows_the_first_of_each_list_and_links_to_all(
    client, facilitator, programme, virtual_programme
):
    assert (DashboardView.OPEN_SHOWN, DashboardView.CLOSED_SHOWN) == (10, 10)
    _many_cases(facilitator, programme, virtual_programme, 12)
    client.force_login(facilitator.user)
    html = client.get(reverse("sessions_log:dashboard")).content.decode()
    assert html.count('class="card mb-3"') == 10
    assert '<a href="?seite=1">Alle 12 laufenden Begleitungen anzeigen</a>' in html
    closed_table = html[html.index("Abgeschlossene Begleitungen") :]
    assert closed_table.count("<tr>") == 1 + 10  # header + the ten latest
    assert '<a href="?seite_abgeschlossen=1">Alle abgeschlossenen Begleitungen anzeigen</a>' in html
    assert "Seite 1 von" not in html

    everything = client.get(reverse("sessions_log:dashboard"), {"seite": "1"}).content.decode()
    assert everything.count('class="card mb-3"') == 12
    assert "laufenden Begleitungen anzeigen" not in everything
    closed_all = client.get(
        reverse("sessions_log:dashboard"), {"seite_abgeschlossen": "1"}
    ).content.decode()
    assert closed_all[closed_all.index("Abgeschlossene Begleitungen") :].count("<tr>") == 1 + 12
    assert "abgeschlossenen Begleitungen anzeigen" not in closed_all


def test_dashboard_lists_sorted_and_paginated(
    client, facilitator, programme, virtual_programme, settings
):
    settings.PAGINATE_BY = 5
    _many_cases(facilitator, programme, virtual_programme, 12)
    client.force_login(facilitator.user)
    url = reverse("sessions_log:dashboard")
    page = client.get(url).content.decode()
    # Open cases: the soonest end first; closed ones: the latest first.
    open_ends = [
        voucher.valid_until.strftime("%d.%m.%Y")
        for voucher in Voucher.objects.filter(status="active").order_by("valid_until")[:10]
    ]
    positions = [page.index(f'<dd class="col-sm-8">{end}</dd>') for end in open_ends]
    assert positions == sorted(positions)
    latest_closed = Voucher.objects.filter(status="closed").order_by("-closed_at")
    closed_table = page[page.index("Abgeschlossene Begleitungen") :]
    names = [closed_table.index(v.organisation.name + "</a>") for v in latest_closed[:10]]
    assert names == sorted(names)
    assert latest_closed[10].organisation.name not in closed_table

    second = client.get(url, {"seite_abgeschlossen": "2"}).content.decode()
    assert "Seite 2 von 3" in second
    second_table = second[second.index("Abgeschlossene Begleitungen") :]
    assert latest_closed[5].organisation.name in second_table
    assert latest_closed[4].organisation.name not in second_table
    assert 'href="?seite_abgeschlossen=3"' in second
    past_the_end = client.get(url, {"seite_abgeschlossen": "99"}).content.decode()
    assert "Seite 3 von 3" in past_the_end
    not_a_number = client.get(url, {"seite_abgeschlossen": "x"}).content.decode()
    assert "Seite 1 von 3" in not_a_number
    open_pages = client.get(url, {"seite": "3"}).content.decode()
    assert "Seite 3 von 3" in open_pages
    assert open_pages.count('class="card mb-3"') == 2


def test_dashboard_card_actions_and_usage(client, facilitator, programme, sparring):
    exhausted = VoucherFactory(programme=programme, facilitators=[facilitator])
    log(exhausted, facilitator.user, 960)
    issued = VoucherFactory(programme=programme, facilitators=[facilitator], status="issued")
    client.force_login(facilitator.user)
    html = client.get(reverse("sessions_log:dashboard")).content.decode()
    for voucher in (exhausted, sparring["vb"]):
        assert f'href="{reverse("sessions_log:request_closing", args=[voucher.pk])}"' in html
        assert f'href="{reverse("sessions_log:voucher_sessions", args=[voucher.pk])}"' in html
        assert f'href="{voucher.get_absolute_url()}"' in html
    assert f'href="{reverse("sessions_log:session_add", args=[sparring["vb"].pk])}"' in html
    assert f'href="{reverse("sessions_log:session_add", args=[exhausted.pk])}"' not in html
    assert f'href="{reverse("sessions_log:session_add", args=[issued.pk])}"' not in html
    assert "Das Kontingent ist ausgeschöpft. Bitte beantragen Sie den Abschluss." in html
    assert "Die Vereinbarung wird unterschrieben." in html
    assert "Kontingent ausgeschöpft" in html
    assert '<progress class="w-100 cap-bar" max="960" value="960"' in html
    assert "12 Sparring-Einheiten je Organisation, davon höchstens 5 mit" in html
    # The facilitator accompanies the organisation in process (its open PB voucher).
    assert "Sie begleiten diese Organisation bereits im Prozess" in html


# --- Logging a session ----------------------------------------------------------------------


def test_log_form_shows_what_remains(client, pb_voucher, facilitator):
    log(pb_voucher, facilitator.user, 900)
    client.force_login(facilitator.user)
    response = client.get(add_url(pb_voucher))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Noch verfügbar" in html
    assert "noch 1 Std. frei" in html
    assert 'name="minutes"' in html
    assert 'name="units"' not in html
    assert 'name="facilitator"' not in html


def test_logging_redirects_to_case_and_stores(client, pb_voucher, facilitator):
    client.force_login(facilitator.user)
    response = client.post(add_url(pb_voucher), _form())
    assert response.status_code == 302
    assert response["Location"] == pb_voucher.get_absolute_url()
    entry = SessionEntry.objects.get()
    assert (entry.minutes, entry.activity, entry.format, entry.participants) == (
        90,
        "workshop",
        "vor_ort",
        12,
    )
    assert entry.facilitator == facilitator
    assert audit_trail(pb_voucher).filter(action="session.created").exists()


def test_cap_refusal_is_400_names_remaining_and_keeps_input(client, pb_voucher, facilitator):
    log(pb_voucher, facilitator.user, 900)
    client.force_login(facilitator.user)
    response = client.post(add_url(pb_voucher), _form(minutes="61", notes="Bleibt stehen"))
    html = response.content.decode()
    assert response.status_code == 400
    assert "Es verbleiben noch 60 Minuten (1 Std.)" in html
    assert 'href="#id_minutes"' in html  # the error summary links to the field
    assert 'value="61"' in html
    assert "Bleibt stehen" in html
    assert SessionEntry.objects.count() == 1


def test_future_date_refused_with_400(client, pb_voucher, facilitator):
    client.force_login(facilitator.user)
    tomorrow = (TODAY() + dt.timedelta(days=1)).isoformat()
    response = client.post(add_url(pb_voucher), _form(date=tomorrow))
    assert response.status_code == 400
    assert "in der Zukunft" in response.content.decode()
    assert not SessionEntry.objects.exists()


def test_missing_fields_refused_with_400(client, pb_voucher, facilitator):
    client.force_login(facilitator.user)
    response = client.post(add_url(pb_voucher), {"minutes": "0"})
    assert response.status_code == 400
    assert 'href="#id_activity"' in response.content.decode()


def test_log_form_on_inactive_voucher_explains(client, programme, facilitator):
    voucher = VoucherFactory(programme=programme, status="issued", facilitators=[facilitator])
    client.force_login(facilitator.user)
    response = client.get(add_url(voucher))
    assert response.status_code == 400
    assert "nur bei aktiven Gutscheinen" in response.content.decode()


def test_virtual_form_asks_for_units_and_refuses_sixth_in_process(client, sparring):
    vb, user = sparring["vb"], sparring["in_process"]
    log(vb, user, 300)
    client.force_login(user)
    page = client.get(add_url(vb))
    assert 'name="units"' in page.content.decode()
    data = _form(activity="sparring", format="video", units="1")
    data.pop("minutes")
    response = client.post(add_url(vb), data)
    html = response.content.decode()
    assert response.status_code == 400
    assert "höchstens 5" in html
    assert 'href="#id_units"' in html
    ok = client.post(add_url(vb), data)
    assert ok.status_code == 400
    client.force_login(sparring["outside"])
    assert client.post(add_url(vb), {**data, "units": "7"}).status_code == 302
    assert sum(SessionEntry.objects.values_list("units", flat=True)) == 12


def test_office_logs_on_behalf(client, office_user, pb_voucher, facilitator):
    colleague = FacilitatorFactory()
    pb_voucher.facilitators.add(colleague)
    client.force_login(office_user)
    page = client.get(add_url(pb_voucher))
    assert 'name="facilitator"' in page.content.decode()
    response = client.post(add_url(pb_voucher), _form(facilitator=str(colleague.pk)))
    assert response.status_code == 302
    entry = SessionEntry.objects.get()
    assert entry.facilitator == colleague
    assert entry.created_by == office_user


def test_office_must_pick_an_assigned_facilitator(client, office_user, pb_voucher):
    client.force_login(office_user)
    stranger = FacilitatorFactory()
    response = client.post(add_url(pb_voucher), _form(facilitator=str(stranger.pk)))
    assert response.status_code == 400
    assert not SessionEntry.objects.exists()


def test_remaining_preview(client, pb_voucher, facilitator):
    log(pb_voucher, facilitator.user, 900)
    client.force_login(facilitator.user)
    url = reverse("sessions_log:remaining_preview", args=[pb_voucher.pk])
    preview = client.get(url, {"minutes": "30"}).content.decode()
    assert "verbleiben noch 30 Min." in preview
    assert "Min.." not in preview  # the duration's own full stop ends the sentence
    assert "Zu viel" in client.get(url, {"minutes": "61"}).content.decode()


# --- Editing and deleting -------------------------------------------------------------------


def test_edit_own_entry(client, pb_voucher, facilitator):
    entry = log(pb_voucher, facilitator.user, 60, activity="workshop")
    client.force_login(facilitator.user)
    url = reverse("sessions_log:session_edit", args=[entry.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert 'value="60"' in page.content.decode()
    response = client.post(url, _form(minutes="75", activity="vorbereitung"))
    assert response.status_code == 302
    entry.refresh_from_db()
    assert (entry.minutes, entry.activity) == (75, "vorbereitung")
    row = audit_trail(pb_voucher).get(action="session.updated")
    assert row.data["old"]["minutes"] == 60
    assert row.data["new"]["minutes"] == 75


def test_edit_over_cap_is_400(client, pb_voucher, facilitator):
    log(pb_voucher, facilitator.user, 900)
    entry = log(pb_voucher, facilitator.user, 60)
    client.force_login(facilitator.user)
    response = client.post(
        reverse("sessions_log:session_edit", args=[entry.pk]), _form(minutes="61")
    )
    assert response.status_code == 400
    assert "Es verbleiben noch 60 Minuten" in response.content.decode()


def test_delete_with_confirmation(client, pb_voucher, facilitator):
    entry = log(pb_voucher, facilitator.user, 60)
    client.force_login(facilitator.user)
    url = reverse("sessions_log:session_delete", args=[entry.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "wirklich löschen" in page.content.decode()
    assert SessionEntry.objects.exists()
    response = client.post(url)
    assert response.status_code == 302
    assert not SessionEntry.objects.exists()
    assert audit_trail(pb_voucher).filter(action="session.deleted").exists()


def test_no_changes_after_closing(client, programme, facilitator, office_user):
    voucher = VoucherFactory(programme=programme, facilitators=[facilitator])
    entry = log(voucher, facilitator.user, 60)
    voucher.status = "closed"
    voucher.save(update_fields=["status"])
    client.force_login(facilitator.user)
    assert client.get(reverse("sessions_log:session_edit", args=[entry.pk])).status_code == 400
    client.force_login(office_user)
    assert client.get(reverse("sessions_log:session_delete", args=[entry.pk])).status_code == 400
    assert SessionEntry.objects.exists()


# --- Closing -----------------------------------------------------------------------------


def test_facilitator_requests_closing(client, pb_voucher, facilitator):
    client.force_login(facilitator.user)
    url = reverse("sessions_log:request_closing", args=[pb_voucher.pk])
    assert client.get(url).status_code == 200
    empty = client.post(url, {"report": "  ", "next_steps": "Quartalstreffen"})
    assert empty.status_code == 400
    assert "Quartalstreffen" in empty.content.decode()
    response = client.post(
        url,
        {
            "report": "Leitbild beschlossen.",
            "next_steps": "Quartalstreffen",
            "recommendation": "Weiterbegleitung bei der Umsetzung.",
        },
    )
    assert response.status_code == 302
    pb_voucher.refresh_from_db()
    assert pb_voucher.status == "closing_requested"
    assert pb_voucher.closing_report == "Leitbild beschlossen."
    assert pb_voucher.closing_next_steps == "Quartalstreffen"
    assert pb_voucher.closing_follow_up_recommendation == "Weiterbegleitung bei der Umsetzung."
    assert client.get(url).status_code == 400  # not twice


def test_office_cannot_use_facilitator_closing_request(client, office_user, pb_voucher):
    client.force_login(office_user)
    url = reverse("sessions_log:request_closing", args=[pb_voucher.pk])
    assert client.get(url).status_code == 403


def test_office_confirms_close(client, office_user, pb_voucher, django_capture_on_commit_callbacks):
    pb_voucher.status = "closing_requested"
    pb_voucher.closing_report = "Ziele erreicht."
    pb_voucher.save(update_fields=["status", "closing_report"])
    client.force_login(office_user)
    url = reverse("sessions_log:close", args=[pb_voucher.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert "Ziele erreicht." in page.content.decode()
    with django_capture_on_commit_callbacks():
        response = client.post(url, {"report": "Ziele erreicht. Geprüft."})
    assert response.status_code == 302
    pb_voucher.refresh_from_db()
    assert pb_voucher.status == "closed"
    assert pb_voucher.closed_by == office_user
    assert pb_voucher.closing_report == "Ziele erreicht. Geprüft."
    assert audit_trail(pb_voucher).filter(action="voucher.closed").exists()
    assert client.post(url, {"report": ""}).status_code == 400


# --- Case panel and the session record page --------------------------------------------------


def test_applicant_sees_own_timeline_read_only(client, pb_voucher, facilitator, applicant):
    log(pb_voucher, facilitator.user, 90, notes="Analyseworkshop vorbereitet")
    client.force_login(applicant)
    response = client.get(reverse("sessions_log:voucher_sessions", args=[pb_voucher.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Analyseworkshop vorbereitet" in html
    assert "1 Std. 30 Min. von 16 Std. genutzt" in html
    assert "Sitzung eintragen" not in html
    assert "Ändern" not in html
    assert "Abschluss" not in html


def test_applicant_of_other_organisation_gets_404(client, pb_voucher):
    other = UserFactory(role="applicant", organisation=VoucherFactory().organisation)
    client.force_login(other)
    url = reverse("sessions_log:voucher_sessions", args=[pb_voucher.pk])
    assert client.get(url).status_code == 404


def test_record_page_shows_actions_for_facilitator(client, pb_voucher, facilitator):
    log(pb_voucher, facilitator.user, 60)
    client.force_login(facilitator.user)
    html = client.get(reverse("sessions_log:voucher_sessions", args=[pb_voucher.pk])).content
    html = html.decode()
    assert "Sitzung eintragen" in html
    assert "Abschluss beantragen" in html
    assert "Ändern" in html
    assert "<progress" in html
    assert 'aria-valuetext="1 Std. von 16 Std."' in html


# --- Office list ----------------------------------------------------------------------------


def test_office_list_filters_and_sorts(client, office_user, programme, virtual_programme):
    fac = FacilitatorFactory()
    low = VoucherFactory(programme=programme, facilitators=[fac])
    log(low, fac.user, 930)  # 30 minutes left
    ending = VoucherFactory(
        programme=programme, facilitators=[fac], valid_until=TODAY() + dt.timedelta(days=10)
    )
    plenty = VoucherFactory(programme=programme, facilitators=[fac])
    sparring = VoucherFactory(programme=virtual_programme, facilitators=[fac])
    log(sparring, fac.user, 660)  # 1 unit = 60 minutes left
    closed = VoucherFactory(programme=programme, status="closed")
    client.force_login(office_user)
    url = reverse("sessions_log:office_list")

    html = client.get(url).content.decode()
    for voucher in (low, ending, plenty, sparring):
        assert voucher.code in html
    assert closed.code not in html
    assert "15 Std. 30 Min. von 16 Std." in html

    html = client.get(url, {"wenig_rest": "on"}).content.decode()
    assert low.code in html
    assert sparring.code in html
    assert ending.code not in html
    assert plenty.code not in html

    html = client.get(url, {"endet_bald": "on"}).content.decode()
    assert ending.code in html
    assert low.code not in html

    html = client.get(url, {"sortierung": "rest"}).content.decode()
    assert html.index(low.code) < html.index(sparring.code) < html.index(plenty.code)
    html = client.get(url, {"sortierung": "-rest"}).content.decode()
    assert html.index(sparring.code) < html.index(low.code)
    assert 'aria-sort="descending"' in html


@pytest.mark.parametrize("vouchers", [2, 30])
def test_office_list_query_count_is_constant(
    client, office_user, programme, django_assert_max_num_queries, vouchers
):
    fac = FacilitatorFactory()
    for _ in range(vouchers):
        voucher = VoucherFactory(programme=programme, facilitators=[fac])
        log(voucher, fac.user, 30)
    client.force_login(office_user)
    with django_assert_max_num_queries(6):
        response = client.get(reverse("sessions_log:office_list"), {"sortierung": "-genutzt"})
    assert response.status_code == 200
    if vouchers > 25:
        assert "Seite 1 von 2" in response.content.decode()


def test_success_message_ends_with_one_full_stop(client, pb_voucher, facilitator):
    """Issue 20, defect 6: "… noch 9 Std. 30 Min." — not "Min.."."""
    client.force_login(facilitator.user)
    response = client.post(add_url(pb_voucher), _form(minutes="390"), follow=True)
    text = response.content.decode()
    assert "verbleiben noch 9 Std. 30 Min." in text
    assert "Min.." not in text


def test_huge_participant_number_is_a_form_error_not_a_500(client, pb_voucher, facilitator):
    """Issue 21, F1 over HTTP: the form says the range and keeps what was typed."""
    client.force_login(facilitator.user)
    response = client.post(add_url(pb_voucher), _form(participants="2147483648"))
    assert response.status_code == 400
    text = response.content.decode()
    assert "10000" in text or "10.000" in text
    assert 'value="2147483648"' in text
    assert not SessionEntry.objects.filter(voucher=pb_voucher).exists()
