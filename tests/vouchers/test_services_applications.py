"""Services of the Antrag lifecycle: submit, withdraw, review, waitlist, reject, flags,
follow-up — guards, audit rows and emails after commit."""

from __future__ import annotations

import pytest
from django.core import mail

from portal.audit import audit_trail
from portal.errors import InvalidTransition, RuleViolation
from portal.models import Cohort, Organisation
from tests.factories import (
    ApplicationFactory,
    OrganisationFactory,
    ProgrammeFactory,
    UserFactory,
    VoucherFactory,
)
from vouchers import services
from vouchers.models import Application

pytestmark = pytest.mark.django_db


def _draft(**kwargs):
    return ApplicationFactory(status="draft", **kwargs)


class TestSubmit:
    def test_draft_is_submitted_by_a_member(self, django_capture_on_commit_callbacks):
        application = _draft()
        member = application.organisation.members.first()
        with django_capture_on_commit_callbacks(execute=True) as callbacks:
            result = services.submit_application(application, by=member)
        assert result.status == Application.Status.SUBMITTED
        assert result.submitted_at is not None
        assert len(callbacks) == 1
        assert len(mail.outbox) == 1
        assert member.email in mail.outbox[0].to
        assert application.contact_email in mail.outbox[0].to
        assert "eingegangen" in mail.outbox[0].subject
        entry = audit_trail(application).get()
        assert (entry.action, entry.from_state, entry.to_state, entry.actor) == (
            "application.submitted",
            "draft",
            "submitted",
            member,
        )

    def test_no_email_before_commit(self, django_capture_on_commit_callbacks):
        application = _draft()
        with django_capture_on_commit_callbacks(execute=False):
            services.submit_application(application, by=application.organisation.members.first())
        assert mail.outbox == []

    def test_virtual_programme_draft_from_factory_is_submittable(self):
        application = _draft(programme=ProgrammeFactory(kind="virtuell"))
        services.submit_application(application, by=application.organisation.members.first())
        assert application.status == "submitted"

    def test_office_may_submit_on_behalf(self, office_user):
        application = _draft()
        services.submit_application(application, by=office_user)
        assert application.status == "submitted"

    def test_member_of_another_organisation_is_refused(self):
        application = _draft()
        stranger = OrganisationFactory().members.first()
        with pytest.raises(InvalidTransition):
            services.submit_application(application, by=stranger)
        application.refresh_from_db()
        assert application.status == "draft"

    @pytest.mark.parametrize("role", ["facilitator"])
    def test_other_roles_are_refused(self, role):
        application = _draft()
        with pytest.raises(InvalidTransition):
            services.submit_application(application, by=UserFactory(role=role))

    def test_submitting_twice_is_an_invalid_transition(self):
        application = _draft()
        member = application.organisation.members.first()
        services.submit_application(application, by=member)
        with pytest.raises(InvalidTransition) as exc:
            services.submit_application(application, by=member)
        assert "eingereicht" in exc.value.message

    @pytest.mark.parametrize("status", ["issued", "active", "closing_requested"])
    def test_refused_while_an_open_voucher_exists(self, status):
        application = _draft()
        VoucherFactory(
            organisation=application.organisation, programme=application.programme, status=status
        )
        with pytest.raises(RuleViolation) as exc:
            services.submit_application(application, by=application.organisation.members.first())
        assert "offenen Gutschein" in exc.value.message
        application.refresh_from_db()
        assert application.status == "draft"
        assert mail.outbox == []

    @pytest.mark.parametrize("status", ["closed", "feedback_sent", "cancelled"])
    def test_allowed_after_the_voucher_is_closed_or_cancelled(self, status):
        application = _draft()
        VoucherFactory(
            organisation=application.organisation, programme=application.programme, status=status
        )
        services.submit_application(application, by=application.organisation.members.first())
        assert application.status == "submitted"

    def test_open_voucher_in_another_programme_does_not_count(self):
        application = _draft()
        VoucherFactory(organisation=application.organisation, status="active")
        services.submit_application(application, by=application.organisation.members.first())
        assert application.status == "submitted"

    def test_refused_when_another_open_application_exists(self):
        first = ApplicationFactory(status="waitlisted")
        second = _draft(organisation=first.organisation, programme=first.programme)
        with pytest.raises(RuleViolation) as exc:
            services.submit_application(second, by=first.organisation.members.first())
        assert "offener Antrag" in exc.value.message

    def test_consent_required(self):
        application = _draft(consent=False)
        with pytest.raises(RuleViolation) as exc:
            services.submit_application(application, by=application.organisation.members.first())
        assert "Datenschutz" in exc.value.message

    def test_inactive_programme_refused(self):
        application = _draft(programme=ProgrammeFactory(active=False))
        with pytest.raises(RuleViolation):
            services.submit_application(application, by=application.organisation.members.first())

    def test_eligible_kinds(self):
        programme = ProgrammeFactory(eligible_kinds=["kommune", "landkreis"])
        refused = _draft(
            programme=programme, organisation=OrganisationFactory(kind="engagierte_stadt")
        )
        with pytest.raises(RuleViolation):
            services.submit_application(refused, by=refused.organisation.members.first())
        allowed = _draft(programme=programme, organisation=OrganisationFactory(kind="landkreis"))
        services.submit_application(allowed, by=allowed.organisation.members.first())
        assert allowed.status == "submitted"

    def test_eligible_cohorts(self):
        cohort, _ = Cohort.objects.get_or_create(name="2018/19")
        other = Cohort.objects.create(name="2030/31")
        programme = ProgrammeFactory(kind="virtuell")
        programme.eligible_cohorts.add(cohort)
        refused = _draft(programme=programme, organisation=OrganisationFactory(cohorts=[other]))
        with pytest.raises(RuleViolation) as exc:
            services.submit_application(refused, by=refused.organisation.members.first())
        assert "Jahrgänge" in exc.value.message
        allowed = _draft(programme=programme, organisation=OrganisationFactory(cohorts=[cohort]))
        services.submit_application(allowed, by=allowed.organisation.members.first())
        assert allowed.status == "submitted"


class TestDrafts:
    def test_create_and_save_draft(self, organisation, applicant, programme):
        application = services.create_draft(
            organisation, programme, by=applicant, challenge="Viel zu tun", topics=[]
        )
        assert application.status == "draft"
        assert application.created_by == applicant
        assert audit_trail(application).get().action == "application.created"
        application.goals = "Ein Leitbild"
        services.save_draft(application, by=applicant)
        application.refresh_from_db()
        assert application.goals == "Ein Leitbild"

    def test_create_refused_when_not_eligible(self, applicant, organisation):
        programme = ProgrammeFactory(eligible_kinds=["landkreis"])
        with pytest.raises(RuleViolation):
            services.create_draft(organisation, programme, by=applicant)
        assert not Application.objects.exists()

    def test_submitted_application_cannot_be_saved(self):
        application = ApplicationFactory(status="submitted")
        application.goals = "geändert"
        with pytest.raises(InvalidTransition):
            services.save_draft(application, by=application.organisation.members.first())
        application.refresh_from_db()
        assert application.goals != "geändert"

    def test_eligible_programmes(self, organisation):
        open_programme = ProgrammeFactory()
        ProgrammeFactory(eligible_kinds=["landkreis"])
        ProgrammeFactory(active=False)
        cohort_only = ProgrammeFactory(kind="virtuell")
        cohort_only.eligible_cohorts.add(Cohort.objects.create(name="2099/00"))
        eligible = services.eligible_programmes(organisation)
        assert open_programme in eligible
        assert cohort_only not in eligible
        assert all(p.active for p in eligible)


class TestWithdrawReviewWaitlistReject:
    @pytest.mark.parametrize("status", ["draft", "submitted", "in_review", "waitlisted"])
    def test_withdraw_open(self, status):
        application = ApplicationFactory(status=status)
        services.withdraw_application(application, by=application.organisation.members.first())
        assert application.status == "withdrawn"
        entry = audit_trail(application).get()
        assert (entry.from_state, entry.to_state) == (status, "withdrawn")

    @pytest.mark.parametrize("status", ["approved", "rejected", "withdrawn"])
    def test_withdraw_decided_refused(self, status):
        application = ApplicationFactory(status=status)
        with pytest.raises(InvalidTransition):
            services.withdraw_application(application, by=application.organisation.members.first())

    def test_withdraw_by_stranger_refused(self):
        application = ApplicationFactory()
        with pytest.raises(InvalidTransition):
            services.withdraw_application(application, by=OrganisationFactory().members.first())

    def test_start_review(self, office_user):
        application = ApplicationFactory()
        services.start_review(application, by=office_user)
        assert application.status == "in_review"
        with pytest.raises(InvalidTransition):
            services.start_review(application, by=office_user)

    def test_start_review_only_office(self):
        application = ApplicationFactory()
        with pytest.raises(InvalidTransition):
            services.start_review(application, by=application.organisation.members.first())

    def test_waitlist_emails_after_commit(self, office_user, django_capture_on_commit_callbacks):
        application = ApplicationFactory(status="in_review")
        with django_capture_on_commit_callbacks(execute=True):
            services.waitlist_application(application, by=office_user, reason="Kontingent voll")
        assert application.status == "waitlisted"
        assert application.decision_reason == "Kontingent voll"
        assert "Warteliste" in mail.outbox[0].subject
        assert audit_trail(application).get().action == "application.waitlisted"

    def test_waitlist_from_waitlisted_refused(self, office_user):
        with pytest.raises(InvalidTransition):
            services.waitlist_application(ApplicationFactory(status="waitlisted"), by=office_user)

    def test_reject_requires_reason(self, office_user):
        application = ApplicationFactory()
        with pytest.raises(RuleViolation) as exc:
            services.reject_application(application, by=office_user, reason="  ")
        assert "Begründung" in exc.value.message
        application.refresh_from_db()
        assert application.status == "submitted"

    @pytest.mark.parametrize("status", ["submitted", "in_review", "waitlisted"])
    def test_reject(self, status, office_user, django_capture_on_commit_callbacks):
        application = ApplicationFactory(status=status)
        with django_capture_on_commit_callbacks(execute=True):
            services.reject_application(application, by=office_user, reason="Nicht berechtigt.")
        assert application.status == "rejected"
        assert application.decided_by == office_user
        assert application.decided_at is not None
        assert "Nicht berechtigt." in mail.outbox[0].body
        entry = audit_trail(application).get()
        assert (entry.reason, entry.to_state) == ("Nicht berechtigt.", "rejected")

    def test_reject_by_applicant_refused(self):
        application = ApplicationFactory()
        with pytest.raises(InvalidTransition):
            services.reject_application(
                application, by=application.organisation.members.first(), reason="x"
            )

    @pytest.mark.parametrize("status", ["draft", "approved", "withdrawn"])
    def test_reject_closed_refused(self, status, office_user):
        with pytest.raises(InvalidTransition):
            services.reject_application(
                ApplicationFactory(status=status), by=office_user, reason="x"
            )


class TestRegionFlags:
    def test_declare_resets_confirmation_when_changed(self, organisation, applicant):
        Organisation.objects.filter(pk=organisation.pk).update(flags_confirmed=True)
        organisation.refresh_from_db()
        services.declare_region_flags(
            organisation, by=applicant, structurally_weak=False, rural=True, justification="Dorf"
        )
        assert organisation.rural is True
        assert organisation.flags_confirmed is False
        assert organisation.flags_justification == "Dorf"
        assert audit_trail(organisation).get().action == "organisation.flags_declared"

    def test_declare_unchanged_keeps_confirmation(self, organisation, applicant):
        Organisation.objects.filter(pk=organisation.pk).update(flags_confirmed=True)
        organisation.refresh_from_db()
        services.declare_region_flags(
            organisation, by=applicant, structurally_weak=False, rural=False
        )
        assert organisation.flags_confirmed is True
        assert not audit_trail(organisation).exists()

    def test_confirm_and_correct(self, organisation, office_user):
        organisation.rural = True
        organisation.save()
        services.confirm_region_flags(
            organisation, by=office_user, structurally_weak=True, rural=False
        )
        assert (organisation.structurally_weak, organisation.rural) == (True, False)
        assert organisation.flags_confirmed is True
        assert organisation.flags_confirmed_by == office_user
        entry = audit_trail(organisation).get()
        assert entry.action == "organisation.flags_corrected"
        assert entry.data["before"] == {"structurally_weak": False, "rural": True}

    def test_confirm_only_office(self, organisation, applicant):
        with pytest.raises(InvalidTransition):
            services.confirm_region_flags(
                organisation, by=applicant, structurally_weak=True, rural=True
            )


class TestFollowUp:
    def test_after_closure(self, programme):
        previous = ApplicationFactory(programme=programme, status="approved")
        voucher = VoucherFactory(
            organisation=previous.organisation,
            programme=programme,
            status="closed",
            application=previous,
        )
        member = voucher.organisation.members.first()
        follow_up = services.request_follow_up(voucher, by=member)
        assert follow_up.status == "draft"
        assert follow_up.follow_up_of == voucher
        assert follow_up.contact_email == previous.contact_email
        assert follow_up.consent is False  # consent is given anew for each Antrag
        follow_up.consent = True
        services.save_draft(follow_up, by=member)
        services.submit_application(follow_up, by=member)
        assert follow_up.status == "submitted"

    @pytest.mark.parametrize("status", ["issued", "active", "closing_requested"])
    def test_refused_while_open(self, programme, status):
        voucher = VoucherFactory(programme=programme, status=status)
        with pytest.raises(RuleViolation) as exc:
            services.request_follow_up(voucher, by=voucher.organisation.members.first())
        assert "Abschluss" in exc.value.message

    def test_refused_without_follow_up_rule(self, virtual_programme):
        voucher = VoucherFactory(programme=virtual_programme, status="closed")
        with pytest.raises(RuleViolation):
            services.request_follow_up(voucher, by=voucher.organisation.members.first())

    def test_refused_twice(self, programme):
        voucher = VoucherFactory(programme=programme, status="closed")
        member = voucher.organisation.members.first()
        services.request_follow_up(voucher, by=member)
        with pytest.raises(RuleViolation):
            services.request_follow_up(voucher, by=member)

    def test_refused_when_another_voucher_is_open(self, programme):
        voucher = VoucherFactory(programme=programme, status="closed")
        VoucherFactory(organisation=voucher.organisation, programme=programme, status="active")
        with pytest.raises(RuleViolation):
            services.request_follow_up(voucher, by=voucher.organisation.members.first())

    def test_refused_for_stranger(self, programme):
        voucher = VoucherFactory(programme=programme, status="closed")
        with pytest.raises(InvalidTransition):
            services.request_follow_up(voucher, by=OrganisationFactory().members.first())


def test_follow_up_from_the_approved_application(programme):
    previous = ApplicationFactory(programme=programme, status="approved")
    voucher = VoucherFactory(
        organisation=previous.organisation,
        programme=programme,
        status="feedback_received",
        application=previous,
    )
    follow_up = services.request_follow_up(previous, by=previous.organisation.members.first())
    assert follow_up.follow_up_of == voucher


def test_follow_up_from_application_without_voucher_refused(programme):
    application = ApplicationFactory(programme=programme, status="rejected")
    with pytest.raises(RuleViolation):
        services.request_follow_up(application, by=application.organisation.members.first())
