"""The applicant's pages: dashboard, Antrag create/edit/submit, detail, withdraw, follow-up."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from portal.models import Cohort, Organisation
from tests.factories import (
    ApplicationFactory,
    FacilitatorFactory,
    ProgrammeFactory,
    UserFactory,
    VoucherFactory,
)
from vouchers.models import Application, Voucher

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user)
    return client


def _valid_data(programme, **overrides):
    topic = programme.topics.filter(is_free_text=False).first()
    data = {
        "topics": [topic.pk] if topic else [],
        "challenge": "Die Kerngruppe ist überlastet.",
        "goals": "Klare Aufgabenverteilung",
        "desired_start": "2027-02-01",
        "desired_end": "2027-06-30",
        "desired_format": "vor_ort",
        "contact_name": "Erika Mustermann",
        "contact_email": "erika@example.org",
        "consent": "on",
        "action": "submit",
    }
    data.update(overrides)
    return {k: v for k, v in data.items() if v is not None}


# --- dashboard --------------------------------------------------------------------------


class TestDashboard:
    url = reverse("vouchers:applicant_dashboard")

    def test_anonymous_redirected_to_login(self, client):
        response = client.get(self.url)
        assert response.status_code == 302
        assert reverse("login") in response.url

    @pytest.mark.parametrize("role", ["office", "admin", "facilitator"])
    def test_other_roles_forbidden(self, client, role):
        assert _login(client, UserFactory(role=role)).get(self.url).status_code == 403

    def test_shows_own_applications_and_vouchers(self, client, applicant, organisation, programme):
        ApplicationFactory(organisation=organisation, programme=programme, status="waitlisted")
        VoucherFactory(
            organisation=organisation, programme=programme, status="issued", code="PB-2026-0777"
        )
        foreign = VoucherFactory(status="active", code="PB-2026-0999")
        response = _login(client, applicant).get(self.url)
        assert response.status_code == 200
        html = response.content.decode()
        assert "Warteliste" in html
        assert "PB-2026-0777" in html
        assert foreign.code not in html
        assert "Bitte unterschreiben Sie die Vereinbarung" in html

    def test_follow_up_button_only_after_closure(self, client, applicant, organisation, programme):
        voucher = VoucherFactory(organisation=organisation, programme=programme, status="active")
        follow_url = reverse("vouchers:follow_up", args=[voucher.pk])
        assert follow_url not in _login(client, applicant).get(self.url).content.decode()
        Voucher.objects.filter(pk=voucher.pk).update(status="closed")
        assert follow_url in client.get(self.url).content.decode()

    def test_constant_queries(self, client, applicant, organisation, django_assert_max_num_queries):
        _login(client, applicant)

        def fill(n):
            for _ in range(n):
                programme = ProgrammeFactory()
                ApplicationFactory(
                    organisation=organisation, programme=programme, status="approved"
                )
                VoucherFactory(
                    organisation=organisation,
                    programme=programme,
                    status="closed",
                    facilitators=[FacilitatorFactory()],
                )

        fill(2)
        with django_assert_max_num_queries(12):
            assert client.get(self.url).status_code == 200
        fill(30)
        with django_assert_max_num_queries(12):
            assert client.get(self.url).status_code == 200


# --- follow-up --------------------------------------------------------------------------


def test_follow_up_creates_draft(client, applicant, organisation, programme):
    voucher = VoucherFactory(organisation=organisation, programme=programme, status="closed")
    response = _login(client, applicant).post(reverse("vouchers:follow_up", args=[voucher.pk]))
    draft = Application.objects.get(follow_up_of=voucher)
    assert response.status_code == 302
    assert response.url == reverse("vouchers:application_edit", args=[draft.pk])
    assert draft.status == "draft"


def test_follow_up_of_foreign_voucher_is_404(client, applicant):
    voucher = VoucherFactory(status="closed")
    response = _login(client, applicant).post(reverse("vouchers:follow_up", args=[voucher.pk]))
    assert response.status_code == 404
    assert not Application.objects.exists()


def test_follow_up_refused_while_open(client, applicant, organisation, programme):
    voucher = VoucherFactory(organisation=organisation, programme=programme, status="active")
    response = _login(client, applicant).post(
        reverse("vouchers:follow_up", args=[voucher.pk]), follow=True
    )
    assert "nach dem Abschluss" in response.content.decode()
    assert not Application.objects.exists()


# --- creating and submitting ------------------------------------------------------------


class TestCreate:
    def test_programme_choice_lists_eligible_only(self, client, applicant, programme):
        other = ProgrammeFactory(eligible_kinds=["landkreis"])
        html = _login(client, applicant).get(reverse("vouchers:application_start")).content.decode()
        assert reverse("vouchers:application_create", args=[programme.slug]) in html
        assert reverse("vouchers:application_create", args=[other.slug]) not in html

    @pytest.mark.parametrize("role", ["office", "facilitator"])
    def test_create_forbidden_for_other_roles(self, client, role, programme):
        url = reverse("vouchers:application_create", args=[programme.slug])
        assert _login(client, UserFactory(role=role)).get(url).status_code == 403

    def test_ineligible_programme_refused(self, client, applicant):
        programme = ProgrammeFactory(kind="virtuell")
        programme.eligible_cohorts.add(Cohort.objects.create(name="2099/00"))
        url = reverse("vouchers:application_create", args=[programme.slug])
        response = _login(client, applicant).get(url)
        assert response.status_code == 403
        assert "Jahrgänge" in response.content.decode()
        assert client.post(url, _valid_data(programme)).status_code == 403
        assert not Application.objects.exists()

    def test_save_draft_with_incomplete_data(self, client, applicant, programme_with_topics):
        url = reverse("vouchers:application_create", args=[programme_with_topics.slug])
        response = _login(client, applicant).post(
            url, {"challenge": "Erst ein Anfang", "action": "save"}
        )
        application = Application.objects.get()
        assert response.status_code == 302
        assert response.url == reverse("vouchers:application_edit", args=[application.pk])
        assert application.status == "draft"
        assert application.challenge == "Erst ein Anfang"
        assert mail.outbox == []

    def test_submit(
        self,
        client,
        applicant,
        organisation,
        programme_with_topics,
        django_capture_on_commit_callbacks,
    ):
        url = reverse("vouchers:application_create", args=[programme_with_topics.slug])
        with django_capture_on_commit_callbacks(execute=True):
            response = _login(client, applicant).post(url, _valid_data(programme_with_topics))
        application = Application.objects.get()
        assert response.status_code == 302
        assert response.url == application.get_absolute_url()
        assert application.status == "submitted"
        assert application.organisation == organisation
        assert application.topics.count() == 1
        assert len(mail.outbox) == 1

    def test_refused_form_keeps_input_and_shows_german_errors(
        self, client, applicant, programme_with_topics
    ):
        url = reverse("vouchers:application_create", args=[programme_with_topics.slug])
        data = _valid_data(
            programme_with_topics,
            goals="",
            consent=None,
            challenge="Mein getippter Text bleibt stehen",
            desired_end="2027-01-01",
        )
        response = _login(client, applicant).post(url, data)
        html = response.content.decode()
        assert response.status_code == 400
        assert "Bitte prüfen Sie Ihre Angaben" in html
        assert "Bitte beschreiben Sie die Ziele der Begleitung." in html
        assert "Bitte stimmen Sie dem Datenschutzhinweis zu" in html
        assert "Das Ende darf nicht vor dem Beginn liegen." in html
        assert "Mein getippter Text bleibt stehen" in html
        assert 'href="#id_goals"' in html
        assert not Application.objects.exists()

    def test_free_text_topic_needs_text(self, client, applicant, programme_with_topics):
        free = programme_with_topics.topics.get(is_free_text=True)
        url = reverse("vouchers:application_create", args=[programme_with_topics.slug])
        response = _login(client, applicant).post(
            url, _valid_data(programme_with_topics, topics=[free.pk])
        )
        assert response.status_code == 400
        assert "spezifischen Themenfelder" in response.content.decode()

    def test_free_choice_programme_requires_facilitator(self, client, applicant, virtual_programme):
        url = reverse("vouchers:application_create", args=[virtual_programme.slug])
        response = _login(client, applicant).post(url, _valid_data(virtual_programme))
        assert response.status_code == 400
        assert "Sparring-Partner*in" in response.content.decode()
        wish = FacilitatorFactory()
        response = client.post(url, _valid_data(virtual_programme, preferred_facilitator=wish.pk))
        assert response.status_code == 302
        assert Application.objects.get().preferred_facilitator == wish

    def test_region_flags_update_organisation(
        self, client, applicant, organisation, programme_with_topics
    ):
        Organisation.objects.filter(pk=organisation.pk).update(flags_confirmed=True)
        url = reverse("vouchers:application_create", args=[programme_with_topics.slug])
        response = _login(client, applicant).post(
            url,
            _valid_data(
                programme_with_topics, rural="on", flags_justification="1.800 Einwohner*innen"
            ),
        )
        assert response.status_code == 302
        organisation.refresh_from_db()
        assert organisation.rural is True
        assert organisation.flags_confirmed is False
        assert organisation.flags_justification == "1.800 Einwohner*innen"

    def test_region_flag_needs_justification(self, client, applicant, programme_with_topics):
        url = reverse("vouchers:application_create", args=[programme_with_topics.slug])
        response = _login(client, applicant).post(
            url, _valid_data(programme_with_topics, rural="on")
        )
        assert response.status_code == 400
        assert "Bitte begründen Sie kurz" in response.content.decode()

    def test_refused_by_service_rolls_back(
        self, client, applicant, organisation, programme_with_topics
    ):
        VoucherFactory(organisation=organisation, programme=programme_with_topics, status="active")
        url = reverse("vouchers:application_create", args=[programme_with_topics.slug])
        response = _login(client, applicant).post(
            url, _valid_data(programme_with_topics, challenge="bleibt")
        )
        assert response.status_code == 400
        html = response.content.decode()
        assert "offenen Gutschein" in html
        assert "bleibt" in html
        assert not Application.objects.exists()


class TestEdit:
    def test_own_draft(self, client, applicant, organisation, programme_with_topics):
        application = ApplicationFactory(
            organisation=organisation, programme=programme_with_topics, status="draft"
        )
        url = reverse("vouchers:application_edit", args=[application.pk])
        assert _login(client, applicant).get(url).status_code == 200
        response = client.post(
            url, _valid_data(programme_with_topics, goals="Neues Ziel", action="save")
        )
        assert response.status_code == 302
        application.refresh_from_db()
        assert application.goals == "Neues Ziel"
        assert application.status == "draft"

    def test_foreign_draft_is_404(self, client, applicant, programme_with_topics):
        application = ApplicationFactory(programme=programme_with_topics, status="draft")
        url = reverse("vouchers:application_edit", args=[application.pk])
        assert _login(client, applicant).get(url).status_code == 404
        assert (
            client.post(url, _valid_data(programme_with_topics, goals="gehackt")).status_code == 404
        )
        application.refresh_from_db()
        assert application.goals != "gehackt"

    def test_post_to_submitted_application_refused(
        self, client, applicant, organisation, programme_with_topics
    ):
        application = ApplicationFactory(
            organisation=organisation, programme=programme_with_topics, status="submitted"
        )
        url = reverse("vouchers:application_edit", args=[application.pk])
        before = Application.objects.values().get(pk=application.pk)
        response = _login(client, applicant).post(
            url, _valid_data(programme_with_topics, goals="geändert", action="save")
        )
        assert response.status_code == 400
        assert "nicht mehr geändert" in response.content.decode()
        assert Application.objects.values().get(pk=application.pk) == before

    def test_get_submitted_redirects_to_detail(self, client, applicant, organisation):
        application = ApplicationFactory(organisation=organisation, status="submitted")
        response = _login(client, applicant).get(
            reverse("vouchers:application_edit", args=[application.pk])
        )
        assert response.status_code == 302
        assert response.url == application.get_absolute_url()

    def test_office_cannot_edit(self, client, office_user):
        application = ApplicationFactory(status="draft")
        url = reverse("vouchers:application_edit", args=[application.pk])
        assert _login(client, office_user).get(url).status_code == 403


class TestDetail:
    def test_own(self, client, applicant, organisation):
        application = ApplicationFactory(organisation=organisation)
        response = _login(client, applicant).get(application.get_absolute_url())
        assert response.status_code == 200
        assert "Das Programmbüro prüft ihn" in response.content.decode()

    def test_foreign_is_404(self, client, applicant):
        application = ApplicationFactory()
        assert _login(client, applicant).get(application.get_absolute_url()).status_code == 404

    @pytest.mark.parametrize("role", ["office", "admin"])
    def test_office(self, client, role):
        application = ApplicationFactory()
        response = _login(client, UserFactory(role=role)).get(application.get_absolute_url())
        assert response.status_code == 200
        assert (
            reverse("vouchers:application_decide", args=[application.pk])
            in response.content.decode()
        )

    def test_facilitator_only_when_assigned(self, client, facilitator):
        application = ApplicationFactory(status="approved")
        _login(client, facilitator.user)
        assert client.get(application.get_absolute_url()).status_code == 404
        VoucherFactory(
            application=application,
            organisation=application.organisation,
            programme=application.programme,
            facilitators=[facilitator],
        )
        assert client.get(application.get_absolute_url()).status_code == 200

    def test_anonymous(self, client):
        response = client.get(ApplicationFactory().get_absolute_url())
        assert response.status_code == 302


class TestWithdraw:
    def test_confirm_and_withdraw(self, client, applicant, organisation):
        application = ApplicationFactory(organisation=organisation)
        url = reverse("vouchers:application_withdraw", args=[application.pk])
        assert _login(client, applicant).get(url).status_code == 200
        response = client.post(url, {"reason": "Bedarf entfallen"})
        assert response.status_code == 302
        application.refresh_from_db()
        assert application.status == "withdrawn"

    def test_a_discarded_draft_leaves_the_dashboard(self, client, applicant, organisation):
        """Issue 20, defect 9: a draft never submitted is not listed as "zurückgezogen"."""
        draft = ApplicationFactory(organisation=organisation, status="draft")
        withdrawn = ApplicationFactory(organisation=organisation)
        _login(client, applicant)
        for application in (draft, withdrawn):
            url = reverse("vouchers:application_withdraw", args=[application.pk])
            assert client.post(url, {"reason": "Bedarf entfallen"}).status_code == 302
        listed = client.get(reverse("vouchers:applicant_dashboard")).context["applications"]
        assert [a.pk for a in listed] == [withdrawn.pk]

    def test_foreign_is_404(self, client, applicant):
        application = ApplicationFactory()
        url = reverse("vouchers:application_withdraw", args=[application.pk])
        assert _login(client, applicant).post(url).status_code == 404
        application.refresh_from_db()
        assert application.status == "submitted"

    def test_decided_refused(self, client, applicant, organisation):
        application = ApplicationFactory(organisation=organisation, status="approved")
        url = reverse("vouchers:application_withdraw", args=[application.pk])
        assert _login(client, applicant).get(url).status_code == 400
        assert client.post(url).status_code == 400
        application.refresh_from_db()
        assert application.status == "approved"

    def test_office_forbidden(self, client, office_user):
        url = reverse("vouchers:application_withdraw", args=[ApplicationFactory().pk])
        assert _login(client, office_user).post(url).status_code == 403


def test_applicant_without_organisation(client):
    user = UserFactory(role="applicant", organisation=None)
    response = _login(client, user).get(reverse("vouchers:applicant_dashboard"))
    assert response.status_code == 403
