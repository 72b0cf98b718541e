"""The call's submission window: a Bewerbung after the deadline is refused with the deadline
named; the office can admit a late one (audited); other operators' offices cannot."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from portal.errors import RuleViolation
from portal.models import AuditEntry
from programme_work.models import Call, CallApplication
from programme_work.services import calls
from tests.factories import ApplicationFactory, OperatorFactory, ProgrammeFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def ews(db):
    return OperatorFactory(name="EWS NRW")


@pytest.fixture
def call(ews):
    programme = ProgrammeFactory(kind="werkstatt", operator=ews)
    now = timezone.now()
    return Call.objects.create(
        programme=programme,
        period=programme.periods.first(),
        title="Entwicklungswerkstatt 2026",
        opens_at=now - dt.timedelta(days=10),
        deadline=now + dt.timedelta(days=10),
        status=Call.Status.OPEN,
    )


def bewerbung(call):
    app = ApplicationFactory(programme=call.programme)
    return CallApplication.objects.create(
        call=call, application=app, team_member_1="A. Muster", team_member_2="B. Beispiel"
    )


def test_submission_within_window_is_recorded(call):
    ca = calls.submit_call_application(bewerbung(call), by=UserFactory())
    assert ca.submitted_at is not None
    assert AuditEntry.objects.filter(action="call.application_submitted").count() == 1


def test_application_after_deadline_is_refused_naming_it(call):
    call.deadline = timezone.now() - dt.timedelta(hours=1)
    call.save()
    ca = bewerbung(call)
    with pytest.raises(RuleViolation) as err:
        calls.submit_call_application(ca, by=UserFactory())
    assert "Bewerbungsschluss" in err.value.message
    assert str(timezone.localtime(call.deadline).year) in err.value.message
    ca.refresh_from_db()
    assert ca.submitted_at is None


def test_application_before_opening_is_refused(call):
    call.opens_at = timezone.now() + dt.timedelta(days=1)
    call.save()
    with pytest.raises(RuleViolation):
        calls.submit_call_application(bewerbung(call), by=UserFactory())


def test_office_admits_late_application_audited(call, ews):
    call.deadline = timezone.now() - dt.timedelta(hours=1)
    call.save()
    ca = bewerbung(call)
    stranger = UserFactory(role="office", operators=[OperatorFactory(name="Andere")])
    with pytest.raises(RuleViolation):
        calls.admit_late(ca, by=stranger, reason="Postlaufzeit")
    office = UserFactory(role="office", operators=[ews])
    calls.admit_late(ca, by=office, reason="Postlaufzeit")
    assert calls.submit_call_application(ca, by=UserFactory()).submitted_at is not None
    entry = AuditEntry.objects.get(action="call.late_admitted")
    assert entry.reason == "Postlaufzeit"


def test_reviewer_with_conflict_cannot_score(call, ews):
    from programme_work.models import Criterion
    from programme_work.services import reviews

    crit = Criterion.objects.create(
        call=call, name="Glaubwürdige Unterstützung durch Verwaltungsspitze", weight=2
    )
    ca = bewerbung(call)
    office = UserFactory(role="office", operators=[ews])
    reviewer = UserFactory(role="office", operators=[ews])
    assignment = reviews.assign_reviewer(ca, by=office, reviewer=reviewer)
    with pytest.raises(RuleViolation):
        reviews.score(assignment, by=reviewer, scores={crit.pk: (6, "zu hoch")})
    reviews.score(assignment, by=reviewer, scores={crit.pk: (4, "Brief liegt vor")})
    assert assignment.scores.get().value == 4
    reviews.declare_conflict(assignment, by=reviewer, reason="Wohnort")
    assert not assignment.scores.exists()
    with pytest.raises(RuleViolation):
        reviews.score(assignment, by=reviewer, scores={crit.pk: (3, "")})
    with pytest.raises(RuleViolation):
        reviews.score(assignment, by=office, scores={crit.pk: (3, "")})
