"""The feedback form behind the signed link, and the programme office's feedback pages."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from portal.models import AuditEntry
from tests.factories import FacilitatorFactory, ProgrammeFactory, UserFactory
from tests.feedback.helpers import ANSWERS, answer_all, closed_voucher, link_path
from vouchers.models import FeedbackRequest, FeedbackResponse
from vouchers.panels_feedback import case_panel

pytestmark = pytest.mark.django_db

POST = {
    "satisfaction": "4",
    "goals_reached": "5",
    "would_recommend": "yes",
    "structure_useful": "2",
    "what_helped": "Der Blick von außen.",
    "what_to_improve": "Früher anfangen.",
}


@pytest.fixture
def voucher():
    return closed_voucher(contacts=2)


def _paths():
    return [link_path(m) for m in mail.outbox]


# --- The form -------------------------------------------------------------------------


def test_link_opens_the_form_for_the_right_voucher(client, voucher):
    other = closed_voucher()
    response = client.get(_paths()[0])
    assert response.status_code == 200
    assert voucher.code in response.text
    assert other.code not in response.text
    # Accessible radio groups: fieldset + legend; German labels.
    assert response.text.count("<fieldset") == 4
    assert response.text.count("<legend") == 4
    assert "Wie zufrieden sind Sie mit der Prozessbegleitung?" in response.text
    assert response.headers["Cache-Control"].startswith("max-age=0")


def test_answering_stores_the_answers_and_moves_the_voucher(client, voucher):
    path = _paths()[0]
    response = client.post(path, POST)
    assert response.status_code == 302
    assert response.url == reverse("feedback:thanks")
    assert "Vielen Dank" in client.get(response.url).text

    answer = FeedbackResponse.objects.get()
    assert answer.request.voucher == voucher
    assert (answer.satisfaction, answer.goals_reached, answer.structure_useful) == (4, 5, 2)
    assert answer.would_recommend is True
    assert answer.what_helped == "Der Blick von außen."
    assert answer.request.answered_at is not None
    voucher.refresh_from_db()
    assert (voucher.status, voucher.feedback_status) == ("feedback_received", "answered")
    entry = AuditEntry.objects.get(action="voucher.feedback_received", target_id=voucher.pk)
    assert (entry.from_state, entry.to_state) == ("feedback_sent", "feedback_received")


@pytest.mark.parametrize(("posted", "expected"), [("ja", True), ("false", False), ("no", False)])
def test_would_recommend_accepts_common_spellings(client, voucher, posted, expected):
    assert client.post(_paths()[0], {**POST, "would_recommend": posted}).status_code == 302
    assert FeedbackResponse.objects.get().would_recommend is expected


def test_refused_form_shows_error_summary_and_keeps_input(client, voucher):
    data = {**POST, "satisfaction": "", "goals_reached": "9"}
    response = client.post(_paths()[0], data)
    assert response.status_code == 400
    text = response.text
    assert 'class="error-summary"' in text
    # A radio group's summary link leads to its first radio (GOV.UK error summary).
    assert 'href="#id_satisfaction_0"' in text
    assert 'href="#id_goals_reached_0"' in text
    assert "Der Blick von außen." in text  # typed input kept
    assert 'value="2" checked' in text  # structure_useful kept
    assert not FeedbackResponse.objects.exists()


def test_used_link_gets_the_friendly_page(client, voucher):
    path = _paths()[0]
    client.post(path, POST)
    for response in (client.get(path), client.post(path, POST)):
        assert response.status_code == 410
        assert "bereits ausgefüllt" in response.text
    assert FeedbackResponse.objects.count() == 1


def test_tampered_link_gets_the_friendly_page(client, voucher):
    path = _paths()[0]
    token = path.split("/")[-2]
    tampered = [
        token[:-1] + ("A" if token[-1] != "A" else "B"),
        token.replace(":", ":x", 1),
        "kein-gueltiger-link",
    ]
    for bad in tampered:
        response = client.get(reverse("feedback:form", args=[bad]))
        assert response.status_code == 410
        assert "ungültig" in response.text
        assert client.post(reverse("feedback:form", args=[bad]), POST).status_code == 410
    assert not FeedbackResponse.objects.exists()


def test_expired_link_gets_the_friendly_page(client, voucher, settings):
    first, second = _paths()
    FeedbackRequest.objects.filter(voucher=voucher).update(
        expires_at=timezone.now() - dt.timedelta(minutes=1)
    )
    response = client.get(first)
    assert response.status_code == 410
    assert "abgelaufen" in response.text

    # Also when the signature itself is older than the configured maximum age.
    FeedbackRequest.objects.update(expires_at=None)
    settings.FEEDBACK_TOKEN_MAX_AGE_DAYS = 0
    response = client.post(second, POST)
    assert response.status_code == 410
    assert "abgelaufen" in response.text
    assert not FeedbackResponse.objects.exists()


def test_link_of_a_request_never_sent_is_invalid(client):
    voucher = closed_voucher(send=False)
    from vouchers.services.feedback import _ensure_requests, make_token

    _ensure_requests(voucher)
    token = make_token(FeedbackRequest.objects.get(voucher=voucher))
    assert client.get(reverse("feedback:form", args=[token])).status_code == 410


# --- Office pages ---------------------------------------------------------------------


def _programme_with_answers(respondents_by_facilitator: dict, programme=None):
    programme = programme or ProgrammeFactory()
    for facilitator, n in respondents_by_facilitator.items():
        voucher = closed_voucher(contacts=n + 1, programme=programme, facilitators=[facilitator])
        for i, feedback_request in enumerate(FeedbackRequest.objects.filter(voucher=voucher)):
            if i < n:
                from vouchers.services.feedback import submit_feedback

                submit_feedback(
                    feedback_request,
                    **{**ANSWERS, "what_helped": f"Hilfreich {facilitator.pk}-{i}"},
                )
    return programme


@pytest.mark.parametrize("role", ["applicant", "facilitator"])
def test_office_pages_refuse_other_roles(client, role, voucher):
    client.force_login(UserFactory(role=role))
    urls = [
        reverse("feedback:overview"),
        reverse("feedback:programme", args=[voucher.programme.slug]),
        reverse("feedback:voucher", args=[voucher.pk]),
    ]
    for url in urls:
        assert client.get(url).status_code == 403


def test_office_pages_send_anonymous_users_to_login(client, voucher):
    response = client.get(reverse("feedback:overview"))
    assert response.status_code == 302
    assert reverse("login") in response.url


def test_answers_are_shown_in_the_aggregate(client, office_user, voucher):
    answer_all(voucher, satisfaction=5, goals_reached=3, would_recommend=True)
    client.force_login(office_user)

    overview = client.get(reverse("feedback:overview"))
    assert overview.status_code == 200
    assert voucher.programme.name in overview.text

    page = client.get(reverse("feedback:programme", args=[voucher.programme.slug]))
    assert page.status_code == 200
    figures = page.context["figures"]
    assert (figures.sent, figures.respondents, figures.response_rate) == (2, 2, 100)
    assert (figures.satisfaction, figures.goals_reached, figures.recommend_share) == (5, 3, 100)
    # Two answers with free text: too few to hide who wrote what (issue 20, defect 10).
    assert ANSWERS["what_helped"] not in page.text
    assert "erst, wenn mindestens 3 vorliegen" in page.text
    assert "5,0" in page.text  # German decimal comma


def test_free_text_appears_from_three_answers_without_the_organisation(
    client, office_user, voucher
):
    answer_all(voucher)
    other = closed_voucher(contacts=1, programme=voucher.programme)
    answer_all(other)
    client.force_login(office_user)
    page = client.get(reverse("feedback:programme", args=[voucher.programme.slug]))
    assert page.status_code == 200
    assert ANSWERS["what_helped"] in page.text
    assert ANSWERS["what_to_improve"] in page.text
    section = page.text[page.text.index('id="freitext"') :]
    assert voucher.organisation.name not in section
    assert other.organisation.name not in section


def test_the_feedback_export_carries_no_free_text(client, office_user, voucher):
    answer_all(voucher)
    client.force_login(office_user)
    response = client.get(reverse("reports:export", args=["feedback", "csv"]))
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    assert response.status_code == 200
    assert voucher.code in body
    assert ANSWERS["what_helped"] not in body
    assert "Was hat geholfen" not in body


def test_per_facilitator_figures_hidden_below_three_respondents(client, office_user):
    shy, known = FacilitatorFactory(), FacilitatorFactory()
    programme = _programme_with_answers({shy: 2, known: 3})
    client.force_login(office_user)

    page = client.get(reverse("feedback:programme", args=[programme.slug]))
    rows = dict(page.context["facilitator_rows"])
    assert rows[shy].hidden
    assert (rows[shy].satisfaction, rows[shy].respondents, rows[shy].sent) == (None, 0, 3)
    assert not rows[known].hidden
    assert rows[known].respondents == 3
    # The programme as a whole shows everything.
    assert page.context["figures"].respondents == 5

    hidden = client.get(reverse("feedback:facilitator", args=[programme.slug, shy.pk]))
    assert hidden.status_code == 200
    assert "Anonymität" in hidden.text
    assert f"Hilfreich {shy.pk}-" not in hidden.text
    assert hidden.context["figures"].satisfaction is None

    shown = client.get(reverse("feedback:facilitator", args=[programme.slug, known.pk]))
    assert shown.context["figures"].respondents == 3
    assert f"Hilfreich {known.pk}-0" in shown.text
    assert f"Hilfreich {shy.pk}-" not in shown.text


def test_aggregate_pages_use_a_constant_number_of_queries(
    client, office_user, django_assert_max_num_queries
):
    small = _programme_with_answers({FacilitatorFactory(): 1})
    large = _programme_with_answers({FacilitatorFactory(): 3 for _ in range(4)})
    _programme_with_answers({FacilitatorFactory(): 2}, programme=large)
    client.force_login(office_user)
    for programme in (small, large):
        with django_assert_max_num_queries(12):
            assert (
                client.get(reverse("feedback:programme", args=[programme.slug])).status_code == 200
            )
    with django_assert_max_num_queries(8):
        assert client.get(reverse("feedback:overview")).status_code == 200


def test_voucher_feedback_status_page_and_case_panel(client, office_user, voucher):
    answer_all(voucher)
    client.force_login(office_user)
    response = client.get(reverse("feedback:voucher", args=[voucher.pk]))
    assert response.status_code == 200
    assert "beantwortet" in response.text
    assert ANSWERS["what_helped"] not in response.text  # status only, never the content

    assert case_panel(voucher, voucher.organisation.contacts().first()) is None
    assert case_panel(voucher, FacilitatorFactory().user) is None
    panel = case_panel(voucher, office_user)
    html = render_to_string(panel["template"], panel["context"])
    assert "beantwortet" in html
    # Also when the case page includes it with only ``panel`` in scope.
    html = render_to_string(panel["template"], {"panel": panel})
    assert "beantwortet" in html
    assert voucher.organisation.contacts().first().email in html or "Empfänger" in html
