"""Admission of an accompanied process: the council decision and the team of two."""

from __future__ import annotations

import pytest

from portal.errors import InvalidTransition, RuleViolation
from programme_work.models import CouncilDecision
from programme_work.services import admission
from tests.factories import ApplicationFactory, FacilitatorFactory
from tests.programme_work.conftest import pdf_upload, submitted_with_decision
from vouchers.services import approve_application

pytestmark = pytest.mark.django_db


def test_admission_without_council_decision_is_refused_in_german(
    process_programme, fueak_office, team
):
    application = ApplicationFactory(programme=process_programme, status="submitted")
    with pytest.raises(RuleViolation) as caught:
        approve_application(application, by=fueak_office, facilitators=team)
    assert "Gemeinderats- bzw. Kreistagsbeschluss" in caught.value.message
    application.refresh_from_db()
    assert application.status == "submitted"


def test_admission_needs_a_team_of_two(process_programme, fueak_office, team):
    application = submitted_with_decision(process_programme)
    with pytest.raises(RuleViolation) as caught:
        approve_application(application, by=fueak_office, facilitators=team[:1])
    assert "Moderationsteam von 2 Prozessbegleiter*innen" in caught.value.message


def test_admission_with_decision_and_team_issues_the_case(process_programme, fueak_office, team):
    application = submitted_with_decision(process_programme)
    voucher = approve_application(application, by=fueak_office, facilitators=team)
    assert set(voucher.facilitators.all()) == set(team)


def test_other_programmes_are_not_affected(programme, office_user):
    application = ApplicationFactory(programme=programme, status="submitted")
    assert approve_application(application, by=office_user, facilitators=[FacilitatorFactory()])


def test_upload_validates_content_and_quota(process_programme):
    application = ApplicationFactory(programme=process_programme, status="submitted")
    member = application.organisation.members.first()
    with pytest.raises(RuleViolation, match="keine PDF"):
        admission.upload_council_decision(
            application, by=member, file=pdf_upload(data=b"GIF89a not a pdf")
        )
    for _ in range(CouncilDecision.MAX_UPLOADS):
        admission.upload_council_decision(application, by=member, file=pdf_upload())
    assert application.council_decisions.filter(current=True).count() == 1
    with pytest.raises(RuleViolation, match="bereits 5"):
        admission.upload_council_decision(application, by=member, file=pdf_upload())


def test_only_the_organisation_uploads(process_programme, fueak_office):
    application = ApplicationFactory(programme=process_programme, status="submitted")
    with pytest.raises(InvalidTransition):
        admission.upload_council_decision(application, by=fueak_office, file=pdf_upload())


def test_administration_contact(process_programme):
    application = ApplicationFactory(programme=process_programme, status="draft")
    member = application.organisation.members.first()
    contact = admission.save_administration_contact(
        application, by=member, name="Jana Roth", email="jana.roth@rathaus.example", function="Amt"
    )
    assert application.administration_contact == contact
    with pytest.raises(RuleViolation):
        admission.save_administration_contact(application, by=member, name="", email="")
