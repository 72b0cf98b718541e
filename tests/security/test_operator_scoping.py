"""Issue 14, acceptance 2: every office service refuses office staff of another operator with
a ``RuleViolation`` and changes nothing; staff of both operators and admins act on both."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from agreements import services as agreement_services
from agreements.models import AgreementVersion, RegenerationRun, SignedAgreement
from portal.errors import RuleViolation
from sessions_log.models import SessionEntry
from sessions_log.services import log_session
from tests.factories import (
    ApplicationFactory,
    FacilitatorFactory,
    OperatorFactory,
    ProgrammeFactory,
    UserFactory,
    VoucherFactory,
)
from tests.security.conftest import changed_tables, fingerprint
from tests.security.world import MINIMAL_PDF, _version
from vouchers import services
from vouchers.models import Application, Voucher

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup(media_root):
    """Operator A runs a programme with a case in every state an office service acts on."""
    operator_a = OperatorFactory(name="Träger A")
    operator_b = OperatorFactory(name="Träger B")
    programme = ProgrammeFactory(operator=operator_a, contingent=10)
    facilitator = FacilitatorFactory()
    office_a = UserFactory(role="office", operators=[operator_a])
    office_b = UserFactory(role="office", operators=[operator_b])
    both = UserFactory(role="office", operators=[operator_a, operator_b])
    admin = UserFactory(role="admin")
    past = timezone.now() - dt.timedelta(days=30)

    def application(status="submitted"):
        return ApplicationFactory(programme=programme, status=status)

    active = VoucherFactory(programme=programme, facilitators=[facilitator], issued_at=past)
    closing = VoucherFactory(programme=programme, status="closing_requested", issued_at=past)
    issued = VoucherFactory(programme=programme, status="issued", issued_at=past)
    _version(issued, office_a)
    uploaded = VoucherFactory(programme=programme, status="issued", issued_at=past)
    _version(uploaded, office_a)
    signed = agreement_services.upload_signed_agreement(
        uploaded,
        by=uploaded.organisation.members.get(),
        file=SimpleUploadedFile("scan.pdf", MINIMAL_PDF, content_type="application/pdf"),
    )
    return {
        "office_b": office_b,
        "both": both,
        "admin": admin,
        "office_a": office_a,
        "programme": programme,
        "facilitator": facilitator,
        "application": application,
        "active": active,
        "closing": closing,
        "issued": issued,
        "signed": signed,
    }


def _office_services(s) -> dict[str, Callable]:
    """Each office service, called on operator A's objects ``by`` the given user."""
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    return {
        "approve_application": lambda by: services.approve_application(
            s["application"](), by=by, facilitators=[s["facilitator"]]
        ),
        "waitlist_application": lambda by: services.waitlist_application(
            s["application"](), by=by, reason="Kontingent erschöpft."
        ),
        "reject_application": lambda by: services.reject_application(
            s["application"](), by=by, reason="Nicht förderfähig."
        ),
        "start_review": lambda by: services.start_review(s["application"](), by=by),
        "close_voucher": lambda by: services.close_voucher(s["closing"], by=by, report="Fertig."),
        "activate_voucher": lambda by: services.activate_voucher(
            s["issued"], by=by, reason="Original liegt vor."
        ),
        "request_closing": lambda by: services.request_closing(
            s["active"], by=by, report="Leitbild steht."
        ),
        "assign_facilitators": lambda by: services.assign_facilitators(
            s["issued"], by=by, facilitators=[s["facilitator"]]
        ),
        "generate_agreement": lambda by: agreement_services.generate_agreement(s["issued"], by=by),
        "confirm_signed_agreement": lambda by: agreement_services.confirm_signed_agreement(
            s["signed"], by=by
        ),
        "reject_signed_agreement": lambda by: agreement_services.reject_signed_agreement(
            s["signed"], by=by, reason="Unterschrift fehlt."
        ),
        "mark_signed_on_paper": lambda by: agreement_services.mark_signed_on_paper(
            s["issued"], by=by, note="Original per Post."
        ),
        "start_regeneration": lambda by: agreement_services.start_regeneration(
            s["programme"], by=by
        ),
        "log_session": lambda by: log_session(
            s["active"],
            by=by,
            facilitator=s["facilitator"],
            date=yesterday,
            minutes=60,
            activity="workshop",
            format="vor_ort",
        ),
    }


SERVICES = list(_office_services({}))


@pytest.mark.parametrize("name", SERVICES)
def test_office_of_another_operator_is_refused_and_nothing_changes(setup, name, mailoutbox):
    call = _office_services(setup)[name]
    # Objects made lazily (a new Antrag) exist before the fingerprint is taken.
    setup["application"] = _prepared(setup["application"])
    before, sent = fingerprint(), len(mailoutbox)
    with pytest.raises(RuleViolation):
        call(setup["office_b"])
    assert changed_tables(before, fingerprint()) == []
    assert len(mailoutbox) == sent


@pytest.mark.parametrize("role", ["office_a", "both", "admin"])
@pytest.mark.parametrize("name", SERVICES)
def test_office_of_the_operator_both_and_admins_may_act(setup, name, role):
    """The positive control: the same call by an allowed user goes through."""
    before = fingerprint()
    result = _office_services(setup)[name](setup[role])
    assert result is not None or name == "start_regeneration"
    assert changed_tables(before, fingerprint())


def _prepared(factory):
    """One Antrag made now, handed out on the single call that follows."""
    application = factory()
    return lambda status="submitted": application


def test_a_user_of_both_operators_works_on_both(setup):
    operator_b = setup["office_b"].operators.get()
    programme_b = ProgrammeFactory(operator=operator_b)
    application_b = ApplicationFactory(programme=programme_b)
    application_a = setup["application"]()
    both = setup["both"]
    assert services.start_review(application_b, by=both).status == Application.Status.IN_REVIEW
    assert services.start_review(application_a, by=both).status == Application.Status.IN_REVIEW
    with pytest.raises(RuleViolation):
        services.start_review(ApplicationFactory(programme=programme_b), by=setup["office_a"])


def test_the_refusals_name_the_operator_rule(setup):
    with pytest.raises(RuleViolation) as exc:
        services.close_voucher(setup["closing"], by=setup["office_b"], report="x")
    assert exc.value.message
    assert Voucher.objects.get(pk=setup["closing"].pk).status == "closing_requested"
    assert not SessionEntry.objects.exists()
    assert AgreementVersion.objects.count() == 2
    assert SignedAgreement.objects.get().status == "uploaded"
    assert not RegenerationRun.objects.exists()
