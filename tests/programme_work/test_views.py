"""Pages: who sees what (others 404), the case page's plan with overdue in words, the
team's forms, the applicant's prerequisites page, query counts constant in data size."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from programme_work.models import Milestone
from programme_work.services import events, plans
from tests.factories import FacilitatorFactory, OrganisationFactory, UserFactory, VoucherFactory
from tests.programme_work.conftest import pdf_upload
from tests.programme_work.test_events import held, make_event

pytestmark = pytest.mark.django_db


def plan_url(voucher):
    return reverse("programme_work:plan", args=[voucher.pk])


@pytest.mark.parametrize(
    "who", ["foreign_facilitator", "other_organisation", "other_operator_office"]
)
def test_others_get_404_on_plan_and_milestones(client, case, who):
    milestone = plans.plan_for(case).milestones.first()
    user = {
        "foreign_facilitator": lambda: FacilitatorFactory().user,
        "other_organisation": lambda: OrganisationFactory().members.first(),
        "other_operator_office": lambda: UserFactory(role="office"),
    }[who]()
    client.force_login(user)
    assert client.get(plan_url(case)).status_code == 404
    assert client.post(plan_url(case), {"title": "Eingeschmuggelt"}).status_code == 404
    if user.role != "applicant":
        done = reverse("programme_work:milestone_done", args=[milestone.pk])
        response = client.post(done, {"done_on": timezone.localdate().isoformat()})
        assert response.status_code == 404
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.OPEN
    assert not Milestone.objects.filter(title="Eingeschmuggelt").exists()


def test_team_marks_milestone_done_through_the_page(client, case, team):
    milestone = plans.plan_for(case).milestones.first()
    client.force_login(team[1].user)
    url = reverse("programme_work:milestone_done", args=[milestone.pk])
    assert client.get(url).status_code == 200
    response = client.post(url, {"done_on": timezone.localdate().isoformat(), "note": "gut"})
    assert response.status_code == 302
    milestone.refresh_from_db()
    assert milestone.status == "done"
    assert milestone.done_note == "gut"


def test_applicant_sees_plan_read_only(client, case):
    plans.plan_for(case)
    client.force_login(case.organisation.members.first())
    response = client.get(plan_url(case))
    assert response.status_code == 200
    assert "Gespräch mit kommunaler Spitze" in response.content.decode()
    assert "Abhaken" not in response.content.decode()
    assert client.post(plan_url(case), {"title": "Neu"}).status_code == 400


def test_case_page_marks_overdue_in_words_and_colour(client, case, team):
    plan = plans.plan_for(case)
    first = plan.milestones.first()
    plans.update_milestone(
        first, by=team[0].user, planned_on=timezone.localdate() - dt.timedelta(days=3)
    )
    client.force_login(team[0].user)
    html = client.get(case.get_absolute_url()).content.decode()
    assert "überfällig – geplant am" in html
    assert "text-bg-danger" in html
    assert "1 Meilenstein überfällig" in html


def test_case_page_flags_missed_mandatory_meeting(client, case, fueak_office):
    event = make_event(case.programme, fueak_office)
    events.invite_partners(event, by=fueak_office)
    held(event)
    events.record_attendance(event, by=fueak_office, attendance={case.organisation_id: "absent"})
    client.force_login(fueak_office)
    html = client.get(case.get_absolute_url()).content.decode()
    assert "Pflichtteilnahme fehlt" in html
    assert "0 von 1 verpflichtenden Netzwerktreffen besucht" in html


def test_group_member_added_by_municipality(client, case):
    member = case.organisation.members.first()
    client.force_login(member)
    response = client.post(
        plan_url(case),
        {
            "action": "group",
            "group": "steuerungsgruppe",
            "name": "Aylin Demir",
            "organisation": "Integrationsbeirat",
            "sector": "migration",
            "role": "Sprecherin",
            "email": "",
        },
    )
    assert response.status_code == 302
    assert case.group_members.get().name == "Aylin Demir"


def test_prerequisites_page_and_decision_download(client, process_programme, fueak_office):
    from tests.factories import ApplicationFactory

    application = ApplicationFactory(programme=process_programme, status="submitted")
    member = application.organisation.members.first()
    client.force_login(member)
    url = reverse("programme_work:prerequisites", args=[application.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"action": "decision", "decision-file": pdf_upload(data=b"not a pdf")}
    )
    assert response.status_code == 400
    assert "keine PDF" in response.content.decode()
    response = client.post(url, {"action": "decision", "decision-file": pdf_upload()})
    assert response.status_code == 302
    decision = application.council_decisions.get()
    client.force_login(fueak_office)
    decide = client.get(reverse("vouchers:application_decide", args=[application.pk]))
    assert "Gemeinderats- bzw. Kreistagsbeschluss" in decide.content.decode()
    download = client.get(reverse("programme_work:decision_file", args=[decision.pk]))
    assert download.status_code == 200
    assert download["Cache-Control"] == "private, no-store"
    assert "attachment" in download["Content-Disposition"]
    assert b"".join(download.streaming_content).startswith(b"%PDF-")
    client.force_login(UserFactory(role="office"))
    assert (
        client.get(reverse("programme_work:decision_file", args=[decision.pk])).status_code == 404
    )


def test_applicant_registers_for_a_meeting(client, case, fueak_office):
    event = make_event(case.programme, fueak_office)
    events.invite_partners(event, by=fueak_office)
    client.force_login(case.organisation.members.first())
    url = reverse("programme_work:event_detail", args=[event.pk])
    assert client.get(reverse("programme_work:events")).status_code == 200
    response = client.post(url, {"response": "registered", "persons": "2"})
    assert response.status_code == 302
    assert event.participations.get().response == "registered"
    response = client.post(url, {"response": "registered", "persons": "99999"})
    assert response.status_code == 400
    client.force_login(OrganisationFactory().members.first())
    assert client.get(url).status_code == 404


def _grow(programme, office, size):
    team = [FacilitatorFactory(), FacilitatorFactory()]
    cases = [VoucherFactory(programme=programme, facilitators=team) for _ in range(size)]
    meetings = [make_event(programme, office, title=f"T{i}") for i in range(size)]
    for meeting in meetings:
        events.invite_partners(meeting, by=office)
        held(meeting)
        events.record_attendance(
            meeting, by=office, attendance={c.organisation_id: "present" for c in cases}
        )
    for case in cases:
        plan = plans.plan_for(case)
        plans.add_milestone(case, by=office, title="Extra")
        plans.update_milestone(
            plan.milestones.first(),
            by=office,
            planned_on=timezone.localdate() - dt.timedelta(days=1),
        )
    return cases


def _count(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_query_counts_constant_in_data_size(client, process_programme, fueak_office):
    first = _grow(process_programme, fueak_office, 1)[0]
    client.force_login(fueak_office)
    urls = [
        reverse("programme_work:progress") + f"?programme={process_programme.pk}",
        reverse("programme_work:attendance", args=[process_programme.pk]),
        plan_url(first),
        first.get_absolute_url(),
    ]
    for url in urls:
        client.get(url)  # warm-up (session, plans created on first sight)
    small = [_count(client, url) for url in urls]
    _grow(process_programme, fueak_office, 6)
    plans.add_milestone(first, by=fueak_office, title="Noch einer")
    for url in urls:
        client.get(url)
    large = [_count(client, url) for url in urls]
    assert large == small
    assert small[0] <= 12
    assert small[1] <= 12
    assert small[2] <= 16


@pytest.mark.parametrize("size", [1, 6])
def test_progress_lists_every_case(client, process_programme, fueak_office, size):
    _grow(process_programme, fueak_office, size)
    client.force_login(fueak_office)
    progress = reverse("programme_work:progress") + f"?programme={process_programme.pk}"
    html = client.get(progress).content.decode()
    assert html.count("1 überfällig") == size
    csv = client.get(progress + "&format=csv").content.decode("utf-8-sig")
    assert len(csv.strip().splitlines()) == size + 1
