"""The office pages: ranked queue with filters and contingent, inline flag confirmation,
and the decision page (approve / waitlist / reject / review)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone

from portal.audit import audit_trail
from portal.models import Topic
from tests.factories import (
    ApplicationFactory,
    FacilitatorFactory,
    OrganisationFactory,
    ProgrammeFactory,
    UserFactory,
    VoucherFactory,
)
from vouchers.models import Voucher

pytestmark = pytest.mark.django_db

QUEUE = reverse("vouchers:queue")


def _login(client, user):
    client.force_login(user)
    return client


def _queue_url(programme, **params):
    query = "&".join(f"{k}={v}" for k, v in {"programme": programme.pk, **params}.items())
    return f"{QUEUE}?{query}"


class TestQueueAccess:
    @pytest.mark.parametrize("role", ["office", "admin"])
    def test_office_and_admin(self, client, role, programme):
        assert _login(client, UserFactory(role=role)).get(_queue_url(programme)).status_code == 200

    @pytest.mark.parametrize("role", ["applicant", "facilitator"])
    def test_others_forbidden(self, client, role):
        assert _login(client, UserFactory(role=role)).get(QUEUE).status_code == 403

    def test_anonymous(self, client):
        assert client.get(QUEUE).status_code == 302


class TestQueuePage:
    def test_rank_reason_contingent_and_order(self, client, office_user):
        programme = ProgrammeFactory(contingent=5)
        VoucherFactory(programme=programme, status="active")
        late = ApplicationFactory(
            programme=programme,
            organisation=OrganisationFactory(name="Spätstadt", rural=True),
            submitted_at=timezone.now() - dt.timedelta(days=1),
        )
        early = ApplicationFactory(
            programme=programme,
            organisation=OrganisationFactory(name="Frühdorf"),
            submitted_at=timezone.now() - dt.timedelta(days=4),
        )
        topic = Topic.objects.create(programme=programme, name="Verstetigung")
        early.topics.add(topic)
        html = _login(client, office_user).get(_queue_url(programme)).content.decode()
        assert html.index("Spätstadt") < html.index("Frühdorf")
        assert "Erstantrag · ländlich · Regionsangaben unbestätigt" in html
        assert "1 von 5 Gutscheinen vergeben" in html
        assert "4 Tagen" in html
        assert "Verstetigung" in html
        assert late.pk != early.pk

    def test_filters(self, client, office_user, programme):
        ApplicationFactory(
            programme=programme,
            organisation=OrganisationFactory(name="Landort", rural=True, bundesland="BY"),
        )
        ApplicationFactory(
            programme=programme,
            organisation=OrganisationFactory(name="Stadtort"),
            status="waitlisted",
        )
        _login(client, office_user)
        html = client.get(_queue_url(programme, tier=1)).content.decode()
        assert "Landort" in html
        assert "Stadtort" not in html
        html = client.get(_queue_url(programme, bundesland="BW")).content.decode()
        assert "Stadtort" in html
        assert "Landort" not in html
        html = client.get(_queue_url(programme, status="waitlisted")).content.decode()
        assert "Stadtort" in html
        assert "Landort" not in html

    def test_other_programme_not_listed(self, client, office_user, programme):
        ApplicationFactory(organisation=OrganisationFactory(name="Anderswo"))
        html = _login(client, office_user).get(_queue_url(programme)).content.decode()
        assert "Anderswo" not in html

    def test_constant_queries(self, client, office_user, django_assert_max_num_queries):
        programme = ProgrammeFactory()
        topic = Topic.objects.create(programme=programme, name="Verstetigung")
        _login(client, office_user)

        def fill(n):
            for i in range(n):
                application = ApplicationFactory(
                    programme=programme,
                    organisation=OrganisationFactory(rural=bool(i % 2), bundesland="BW"),
                )
                application.topics.add(topic)

        fill(5)
        with django_assert_max_num_queries(12):
            response = client.get(_queue_url(programme))
        assert response.status_code == 200
        fill(195)
        with django_assert_max_num_queries(12):
            response = client.get(_queue_url(programme, tier=1))
        assert response.status_code == 200
        assert response.context["page"].paginator.count == 2 + 97


class TestConfirmFlags:
    def test_confirm_updates_rank(self, client, office_user, programme):
        org = OrganisationFactory(rural=True)
        application = ApplicationFactory(programme=programme, organisation=org)
        url = reverse("vouchers:confirm_flags", args=[org.pk])
        response = _login(client, office_user).post(url, {"next": _queue_url(programme)})
        assert response.status_code == 302
        assert response.url == _queue_url(programme)
        org.refresh_from_db()
        assert (org.rural, org.structurally_weak, org.flags_confirmed) == (False, False, True)
        html = client.get(_queue_url(programme)).content.decode()
        assert "Rang 2" in html
        assert application.pk

    def test_unsafe_next_ignored(self, client, office_user):
        org = OrganisationFactory()
        url = reverse("vouchers:confirm_flags", args=[org.pk])
        response = _login(client, office_user).post(
            url, {"rural": "on", "next": "https://evil.example"}
        )
        assert response.url == QUEUE

    @pytest.mark.parametrize("role", ["applicant", "facilitator"])
    def test_forbidden(self, client, role):
        org = OrganisationFactory(rural=True)
        url = reverse("vouchers:confirm_flags", args=[org.pk])
        assert _login(client, UserFactory(role=role)).post(url, {}).status_code == 403
        org.refresh_from_db()
        assert org.flags_confirmed is False


class TestDecision:
    def url(self, application):
        return reverse("vouchers:application_decide", args=[application.pk])

    @pytest.mark.parametrize("role", ["applicant", "facilitator"])
    def test_forbidden(self, client, role):
        application = ApplicationFactory()
        user = UserFactory(
            role=role, organisation=application.organisation if role == "applicant" else None
        )
        assert _login(client, user).get(self.url(application)).status_code == 403
        assert (
            client.post(
                self.url(application), {"action": "reject", "reject-reason": "x"}
            ).status_code
            == 403
        )
        application.refresh_from_db()
        assert application.status == "submitted"

    def test_page_shows_suggestions_and_history(self, client, office_user, programme):
        application = ApplicationFactory(programme=programme)
        VoucherFactory(organisation=application.organisation, status="closed", code="PB-2025-0005")
        profile = FacilitatorFactory()
        response = _login(client, office_user).get(self.url(application))
        html = response.content.decode()
        assert response.status_code == 200
        assert profile.name in html
        assert "frei: 10 von 10 Begleitungen" in html
        assert "PB-2025-0005" in html
        assert "0 von 40 vergeben, 40 frei" in html

    def test_missing_is_404(self, client, office_user):
        assert (
            _login(client, office_user)
            .get(reverse("vouchers:application_decide", args=[999999]))
            .status_code
            == 404
        )

    def test_approve(self, client, office_user, programme, django_capture_on_commit_callbacks):
        application = ApplicationFactory(programme=programme)
        one, two = FacilitatorFactory(), FacilitatorFactory()
        with django_capture_on_commit_callbacks(execute=True):
            response = _login(client, office_user).post(
                self.url(application), {"action": "approve", "facilitators": [one.pk, two.pk]}
            )
        voucher = Voucher.objects.get()
        assert response.status_code == 302
        assert response.url == voucher.get_absolute_url()
        assert set(voucher.facilitators.all()) == {one, two}
        assert len(mail.outbox) == 3

    def test_approve_needs_facilitator_in_office_matched_programme(
        self, client, office_user, programme
    ):
        application = ApplicationFactory(programme=programme)
        response = _login(client, office_user).post(self.url(application), {"action": "approve"})
        assert response.status_code == 400
        assert "Zweier-Team" in response.content.decode()
        assert not Voucher.objects.exists()

    def test_approve_three_refused(self, client, office_user):
        application = ApplicationFactory()
        chosen = [FacilitatorFactory().pk for _ in range(3)]
        response = _login(client, office_user).post(
            self.url(application), {"action": "approve", "facilitators": chosen}
        )
        assert response.status_code == 400
        html = response.content.decode()
        assert "höchstens zwei" in html
        assert html.count("checked") >= 3  # the choice is kept
        assert not Voucher.objects.exists()

    def test_contingent_exhausted_is_a_form_error(self, client, office_user):
        programme = ProgrammeFactory(contingent=0)
        application = ApplicationFactory(programme=programme)
        profile = FacilitatorFactory()
        response = _login(client, office_user).post(
            self.url(application), {"action": "approve", "facilitators": [profile.pk]}
        )
        assert response.status_code == 400
        assert "ausgeschöpft" in response.content.decode()
        application.refresh_from_db()
        assert application.status == "submitted"

    def test_reject_requires_reason(self, client, office_user):
        application = ApplicationFactory()
        response = _login(client, office_user).post(
            self.url(application), {"action": "reject", "reject-reason": ""}
        )
        assert response.status_code == 400
        assert "Bitte geben Sie eine Begründung an." in response.content.decode()
        application.refresh_from_db()
        assert application.status == "submitted"

    def test_reject(self, client, office_user):
        application = ApplicationFactory()
        response = _login(client, office_user).post(
            self.url(application), {"action": "reject", "reject-reason": "Nicht im Netzwerk."}
        )
        assert response.status_code == 302
        application.refresh_from_db()
        assert application.status == "rejected"
        assert audit_trail(application).get().reason == "Nicht im Netzwerk."

    def test_waitlist_and_review(self, client, office_user):
        application = ApplicationFactory()
        _login(client, office_user)
        assert client.post(self.url(application), {"action": "review"}).status_code == 302
        application.refresh_from_db()
        assert application.status == "in_review"
        assert (
            client.post(
                self.url(application), {"action": "waitlist", "waitlist-reason": ""}
            ).status_code
            == 302
        )
        application.refresh_from_db()
        assert application.status == "waitlisted"

    def test_review_twice_shows_message(self, client, office_user):
        application = ApplicationFactory(status="in_review")
        response = _login(client, office_user).post(
            self.url(application), {"action": "review"}, follow=True
        )
        assert "nicht möglich" in response.content.decode()

    def test_unknown_action(self, client, office_user):
        assert (
            _login(client, office_user)
            .post(self.url(ApplicationFactory()), {"action": "x"})
            .status_code
            == 400
        )

    def test_decided_application_has_no_forms(self, client, office_user):
        application = ApplicationFactory(status="rejected")
        html = _login(client, office_user).get(self.url(application)).content.decode()
        assert "nicht mehr offen" in html
        assert 'value="approve"' not in html

    def test_constant_queries(self, client, office_user, programme, django_assert_max_num_queries):
        application = ApplicationFactory(programme=programme)
        _login(client, office_user)
        for _ in range(2):
            FacilitatorFactory()
        with django_assert_max_num_queries(20):
            client.get(self.url(application))
        for _ in range(30):
            VoucherFactory(status="active", facilitators=[FacilitatorFactory()])
        with django_assert_max_num_queries(20):
            client.get(self.url(application))
