"""Rules 2 and 3: approving issues a voucher within the contingent; one open voucher."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from portal.audit import audit_trail
from portal.errors import ContingentExhausted, InvalidTransition, RuleViolation
from tests.factories import (
    ApplicationFactory,
    FacilitatorFactory,
    ProgrammeFactory,
    UserFactory,
    VoucherFactory,
)
from vouchers import services
from vouchers.models import Voucher

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("status", ["submitted", "in_review", "waitlisted"])
def test_approve_issues_voucher(
    status, office_user, facilitator, django_capture_on_commit_callbacks
):
    application = ApplicationFactory(status=status)
    programme = application.programme
    with django_capture_on_commit_callbacks(execute=True):
        voucher = services.approve_application(
            application, by=office_user, facilitators=[facilitator]
        )
    application.refresh_from_db()
    year = programme.current_period().start.year
    assert voucher.code == f"PB-{year}-0001"
    assert voucher.status == Voucher.Status.ISSUED
    assert voucher.application == application
    assert voucher.organisation == application.organisation
    assert voucher.period == programme.current_period()
    assert voucher.cap_minutes == 960
    assert voucher.issued_by == office_user
    assert voucher.valid_until == timezone.localdate() + dt.timedelta(days=365)
    assert list(voucher.facilitators.all()) == [facilitator]
    assert application.status == "approved"
    assert application.decided_by == office_user
    assert audit_trail(application).get().action == "application.approved"
    assert audit_trail(voucher).get().action == "voucher.issued"
    subjects = {m.subject: m for m in mail.outbox}
    assert len(mail.outbox) == 2
    approved = next(
        m for m in mail.outbox if voucher.code in m.subject and "bewilligt" in m.subject
    )
    assert voucher.code in approved.body
    assert "unterschreiben" in approved.body
    assigned = next(m for m in mail.outbox if m.to == [facilitator.user.email])
    assert application.organisation.name in assigned.subject
    assert subjects


def test_virtual_caps_and_offer_end(office_user):
    programme = ProgrammeFactory(
        kind="virtuell", offer_ends=timezone.localdate() + dt.timedelta(days=30)
    )
    voucher = services.approve_application(
        ApplicationFactory(programme=programme), by=office_user, facilitators=[]
    )
    assert (voucher.cap_units, voucher.cap_units_in_process, voucher.cap_minutes) == (12, 5, None)
    assert voucher.code.startswith("VB-")
    assert voucher.valid_until == programme.offer_ends


def test_offer_ended_refused(office_user):
    programme = ProgrammeFactory(offer_ends=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(RuleViolation):
        services.approve_application(ApplicationFactory(programme=programme), by=office_user)


def test_running_numbers(office_user, programme):
    codes = [
        services.approve_application(ApplicationFactory(programme=programme), by=office_user).code
        for _ in range(3)
    ]
    year = programme.current_period().start.year
    assert codes == [f"PB-{year}-0001", f"PB-{year}-0002", f"PB-{year}-0003"]


def test_codes_unique_across_programmes_with_same_prefix(office_user):
    a, b = ProgrammeFactory(), ProgrammeFactory()
    first = services.approve_application(ApplicationFactory(programme=a), by=office_user)
    second = services.approve_application(ApplicationFactory(programme=b), by=office_user)
    assert first.code != second.code


def test_free_choice_uses_preferred_facilitator(office_user, virtual_programme):
    wish = FacilitatorFactory()
    application = ApplicationFactory(programme=virtual_programme, preferred_facilitator=wish)
    voucher = services.approve_application(application, by=office_user, facilitators=[])
    assert list(voucher.facilitators.all()) == [wish]


def test_accepts_users_and_two_person_team(office_user):
    one, two = FacilitatorFactory(), FacilitatorFactory()
    voucher = services.approve_application(
        ApplicationFactory(), by=office_user, facilitators=[one.user, two]
    )
    assert set(voucher.facilitators.all()) == {one, two}


def test_more_than_two_facilitators_refused(office_user):
    application = ApplicationFactory()
    with pytest.raises(RuleViolation):
        services.approve_application(
            application, by=office_user, facilitators=[FacilitatorFactory() for _ in range(3)]
        )
    assert not Voucher.objects.exists()


def test_inactive_facilitator_refused(office_user):
    with pytest.raises(RuleViolation):
        services.approve_application(
            ApplicationFactory(), by=office_user, facilitators=[FacilitatorFactory(active=False)]
        )


@pytest.mark.parametrize("role", ["applicant", "facilitator"])
def test_only_office(role):
    application = ApplicationFactory()
    with pytest.raises(InvalidTransition):
        services.approve_application(application, by=UserFactory(role=role), facilitators=[])
    assert not Voucher.objects.exists()


def test_admin_may_approve(admin_user):
    assert services.approve_application(ApplicationFactory(), by=admin_user, facilitators=[])


@pytest.mark.parametrize("status", ["draft", "approved", "rejected", "withdrawn"])
def test_wrong_state(status, office_user):
    with pytest.raises(InvalidTransition):
        services.approve_application(
            ApplicationFactory(status=status), by=office_user, facilitators=[]
        )
    assert not Voucher.objects.exists()


def test_contingent_exhausted(office_user):
    programme = ProgrammeFactory(contingent=2)
    VoucherFactory(programme=programme, status="closed")
    VoucherFactory(programme=programme, status="cancelled")  # does not count
    services.approve_application(ApplicationFactory(programme=programme), by=office_user)
    refused = ApplicationFactory(programme=programme)
    with pytest.raises(ContingentExhausted) as exc:
        services.approve_application(refused, by=office_user, facilitators=[])
    assert "ausgeschöpft" in exc.value.message
    refused.refresh_from_db()
    assert refused.status == "submitted"
    assert Voucher.objects.filter(programme=programme).exclude(status="cancelled").count() == 2
    assert not audit_trail(refused).exists()


def test_raising_the_contingent_allows_more(office_user):
    programme = ProgrammeFactory(contingent=0)
    application = ApplicationFactory(programme=programme)
    with pytest.raises(ContingentExhausted):
        services.approve_application(application, by=office_user)
    period = programme.current_period()
    period.contingent = 1
    period.save()
    assert services.approve_application(application, by=office_user)


def test_one_open_voucher_per_programme(office_user, programme):
    application = ApplicationFactory(programme=programme)
    VoucherFactory(organisation=application.organisation, programme=programme, status="issued")
    with pytest.raises(RuleViolation) as exc:
        services.approve_application(application, by=office_user, facilitators=[])
    assert not isinstance(exc.value, ContingentExhausted)
    application.refresh_from_db()
    assert application.status == "submitted"


def test_no_email_when_refused(office_user, django_capture_on_commit_callbacks):
    programme = ProgrammeFactory(contingent=0)
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(ContingentExhausted):
        services.approve_application(ApplicationFactory(programme=programme), by=office_user)
    assert mail.outbox == []


def test_approved_org_becomes_follow_up_in_queue(office_user, programme):
    application = ApplicationFactory(programme=programme)
    voucher = services.approve_application(application, by=office_user)
    Voucher.objects.filter(pk=voucher.pk).update(status="closed")
    again = ApplicationFactory(organisation=application.organisation, programme=programme)
    assert services.ranked_queue(programme).get(pk=again.pk).tier == 4


def test_assign_facilitators(office_user, facilitator):
    voucher = services.approve_application(ApplicationFactory(), by=office_user)
    other = FacilitatorFactory()
    services.assign_facilitators(voucher, by=office_user, facilitators=[facilitator, other])
    assert set(voucher.facilitators.all()) == {facilitator, other}
    with pytest.raises(RuleViolation):
        services.assign_facilitators(voucher, by=office_user, facilitators=[])
