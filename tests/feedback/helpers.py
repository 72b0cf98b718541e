"""Helpers for the feedback tests: closed vouchers with several contacts, links from emails."""

from __future__ import annotations

import re

from tests.factories import OrganisationFactory, UserFactory, VoucherFactory
from vouchers.models import FeedbackRequest, Voucher
from vouchers.services.feedback import send_feedback_requests, submit_feedback

LINK_RE = re.compile(r"http://testserver(/feedback/[^\s\"<>]+/)")

ANSWERS = {
    "satisfaction": 5,
    "goals_reached": 4,
    "would_recommend": True,
    "structure_useful": 3,
    "what_helped": "Die klare Moderation.",
    "what_to_improve": "Mehr Zeit für die Auswertung.",
}


def organisation_with_contacts(n: int = 2, **kwargs):
    """An organisation with ``n`` active applicant contacts (the factory makes the first)."""
    org = OrganisationFactory(**kwargs)
    for _ in range(n - 1):
        UserFactory(role="applicant", organisation=org)
    return org


def closed_voucher(*, contacts: int = 1, send: bool = True, **kwargs) -> Voucher:
    """A voucher in state ``closed`` with the outbox pending; optionally invitations sent."""
    kwargs.setdefault("organisation", organisation_with_contacts(contacts))
    voucher = VoucherFactory(status="closed", feedback_status="pending", **kwargs)
    if send:
        send_feedback_requests(voucher.pk)
        voucher.refresh_from_db()
    return voucher


def answer_all(voucher: Voucher, **overrides) -> None:
    for feedback_request in FeedbackRequest.objects.filter(voucher=voucher):
        submit_feedback(feedback_request, **{**ANSWERS, **overrides})


def link_path(message) -> str:
    """The path of the feedback link in an email's plain-text body."""
    match = LINK_RE.search(message.body)
    assert match, message.body
    return match.group(1)
