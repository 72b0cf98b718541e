"""Fixtures for the session log tests: a Prozessbegleitung voucher with its facilitator, and
an organisation with Virtuelle Begleitung plus an open Prozessbegleitung voucher."""

from __future__ import annotations

import pytest
from django.utils import timezone

from sessions_log.services import log_session
from tests.factories import FacilitatorFactory, ProgrammeFactory, VoucherFactory


def log(voucher, by, minutes, **kwargs):
    """Call the real service with sensible defaults."""
    kwargs.setdefault("date", timezone.localdate())
    kwargs.setdefault(
        "activity", "sparring" if voucher.programme.kind == "virtuell" else "workshop"
    )
    kwargs.setdefault("format", "video" if voucher.programme.kind == "virtuell" else "vor_ort")
    return log_session(voucher, by=by, minutes=minutes, **kwargs)


@pytest.fixture
def pb_voucher(programme, organisation, facilitator):
    return VoucherFactory(
        programme=programme, organisation=organisation, facilitators=[facilitator]
    )


@pytest.fixture
def other_facilitator(db):
    return FacilitatorFactory()


@pytest.fixture
def sparring(organisation, virtual_programme, facilitator, other_facilitator):
    """``facilitator`` accompanies the organisation's process (open PB voucher);
    ``other_facilitator`` does not. Both are booked on the organisation's VB voucher."""
    pb = VoucherFactory(
        organisation=organisation,
        programme=ProgrammeFactory(kind="prozessbegleitung"),
        facilitators=[facilitator],
    )
    vb = VoucherFactory(
        organisation=organisation,
        programme=virtual_programme,
        facilitators=[facilitator, other_facilitator],
    )
    return {
        "pb": pb,
        "vb": vb,
        "in_process": facilitator.user,
        "outside": other_facilitator.user,
    }
