"""The service contract of DESIGN.md, exercised the way an outside acceptance check would:
only through the documented names, keyword arguments, factories and exceptions."""

import datetime as dt
import hashlib

import pytest
from django.core import mail
from django.utils import timezone

from agreements.services import generate_agreement
from portal.errors import CapExceeded, ContingentExhausted, InvalidTransition, RuleViolation
from sessions_log.services import log_session
from tests.factories import (
    ApplicationFactory,
    FacilitatorFactory,
    OrganisationFactory,
    ProgrammeFactory,
    UserFactory,
    VoucherFactory,
)
from vouchers.services import (
    approve_application,
    close_voucher,
    ranked_queue,
    submit_application,
)
from vouchers.tasks import send_feedback_request

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


def test_exception_hierarchy_and_messages():
    for cls in (InvalidTransition, ContingentExhausted, CapExceeded):
        assert issubclass(cls, RuleViolation)
        assert isinstance(cls().message, str)
        assert cls().message
    exc = CapExceeded(remaining_minutes=60)
    assert exc.remaining_minutes == 60


def test_ranked_queue_tiers_order_and_reasons():
    programme = ProgrammeFactory(kind="prozessbegleitung")
    tier4 = ApplicationFactory(programme=programme, organisation=OrganisationFactory())
    VoucherFactory(organisation=tier4.organisation, programme=programme, status="closed")
    tier3 = ApplicationFactory(
        programme=programme, organisation=OrganisationFactory(rural=True, flags_confirmed=True)
    )
    VoucherFactory(organisation=tier3.organisation, programme=programme, status="closed")
    tier2 = ApplicationFactory(programme=programme, organisation=OrganisationFactory())
    tier1 = ApplicationFactory(
        programme=programme, organisation=OrganisationFactory(structurally_weak=True)
    )
    ApplicationFactory(programme=programme, status="draft")
    ApplicationFactory(programme=programme, status="rejected")

    queue = list(ranked_queue(programme))

    assert [a.pk for a in queue] == [tier1.pk, tier2.pk, tier3.pk, tier4.pk]
    assert [a.tier for a in queue] == [1, 2, 3, 4]
    assert "Erstantrag" in queue[0].rank_reason
    assert "unbestätigt" in queue[0].rank_reason
    assert "ländlich" in queue[2].rank_reason
    assert "unbestätigt" not in queue[2].rank_reason


def test_submit_refused_while_organisation_has_open_voucher():
    programme = ProgrammeFactory()
    org = OrganisationFactory()
    VoucherFactory(organisation=org, programme=programme, status="active")
    draft = ApplicationFactory(organisation=org, programme=programme, status="draft")
    with pytest.raises(RuleViolation):
        submit_application(draft, by=org.members.first())
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_submit_then_approve_within_contingent():
    programme = ProgrammeFactory(contingent=1)
    office = UserFactory(role="office")
    facilitator = FacilitatorFactory()
    first = ApplicationFactory(programme=programme, status="draft")
    submitted = submit_application(first, by=first.organisation.members.first())
    assert submitted.status == "submitted"
    assert submitted.submitted_at is not None

    voucher = approve_application(submitted, by=office, facilitators=[facilitator])
    assert voucher.status == "issued"
    assert list(voucher.facilitators.all()) == [facilitator]
    assert voucher.cap_minutes == 960

    second = ApplicationFactory(programme=programme)
    with pytest.raises(ContingentExhausted):
        approve_application(second, by=office, facilitators=[facilitator])
    with pytest.raises(InvalidTransition):
        approve_application(second, by=second.organisation.members.first(), facilitators=[])


def test_sixteen_hour_cap():
    facilitator = FacilitatorFactory()
    voucher = VoucherFactory(programme=ProgrammeFactory(), facilitators=[facilitator])
    kwargs = {"by": facilitator.user, "date": TODAY(), "activity": "workshop", "format": "vor_ort"}
    log_session(voucher, minutes=900, **kwargs)
    with pytest.raises(CapExceeded) as refused:
        log_session(voucher, minutes=61, **kwargs)
    assert refused.value.remaining_minutes == 60
    assert "60" in refused.value.message
    log_session(voucher, minutes=60, **{**kwargs, "activity": "vorbereitung"})
    with pytest.raises(InvalidTransition):
        log_session(voucher, minutes=10, **{**kwargs, "by": FacilitatorFactory().user})


def test_sparring_caps_per_organisation():
    org = OrganisationFactory()
    in_process = FacilitatorFactory()
    other = FacilitatorFactory()
    VoucherFactory(organisation=org, programme=ProgrammeFactory(), facilitators=[in_process])
    sparring = VoucherFactory(
        organisation=org,
        programme=ProgrammeFactory(kind="virtuell"),
        facilitators=[in_process, other],
        # Rule 9: sessions lie between the day the case was issued and today.
        issued_at=dt.datetime.combine(TODAY() - dt.timedelta(days=7), dt.time(9), tzinfo=dt.UTC),
    )
    day = TODAY() - dt.timedelta(days=1)

    def spar(facilitator, minutes=60):
        return log_session(
            sparring,
            by=facilitator.user,
            date=day,
            minutes=minutes,
            activity="sparring",
            format="video",
        )

    with pytest.raises(RuleViolation):
        spar(other, minutes=45)
    for _ in range(5):
        spar(in_process)
    with pytest.raises(CapExceeded):
        spar(in_process)
    for _ in range(7):
        spar(other)
    with pytest.raises(CapExceeded) as refused:
        spar(other)
    assert refused.value.remaining_units == 0


def test_agreement_versions_are_stored_with_their_hash():
    office = UserFactory(role="office")
    voucher = VoucherFactory(status="issued", facilitators=[FacilitatorFactory()])
    first = generate_agreement(voucher, by=office)
    second = generate_agreement(voucher, by=office)
    assert (first.number, second.number) == (1, 2)
    with first.pdf.open("rb") as stored:
        data = stored.read()
    assert data.startswith(b"%PDF")
    assert hashlib.sha256(data).hexdigest() == first.sha256


def test_close_sends_feedback_once(django_capture_on_commit_callbacks):
    office = UserFactory(role="office")
    voucher = VoucherFactory(status="active")
    with django_capture_on_commit_callbacks(execute=True):
        closed = close_voucher(voucher, by=office, report="Leitbild steht.")
    assert closed.status in ("closed", "feedback_sent")
    contact = voucher.organisation.members.get().email
    assert len([m for m in mail.outbox if contact in m.to]) == 1
    assert "/feedback/" in mail.outbox[-1].body
    send_feedback_request(voucher.pk)
    send_feedback_request(voucher.pk)
    assert len([m for m in mail.outbox if contact in m.to]) == 1
    with pytest.raises(InvalidTransition):
        close_voucher(voucher, by=office)
