"""Issue 14, acceptance 4 (rule 5): "facilitators already in the process" are those assigned to
an open case of the same organisation in another programme of the same operator. A VB unit
with the facilitator of the organisation's FüAk accompanied process counts as in process; one
with the facilitator of its DSEE voucher (another operator) does not; the 6th in-process unit
is refused with the remaining units named."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from portal.errors import CapExceeded
from portal.models import Organisation
from sessions_log.models import SessionEntry
from sessions_log.services import log_session
from tests.factories import (
    FacilitatorFactory,
    OperatorFactory,
    OrganisationFactory,
    ProgrammeFactory,
    VoucherFactory,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def case():
    fueak = OperatorFactory(name="Führungsakademie Baden-Württemberg")
    dsee = OperatorFactory(name="DSEE – Engagierte Stadt")
    kommune = OrganisationFactory(name="Gemeinde Beispielhausen", kind=Organisation.Kind.KOMMUNE)
    x = FacilitatorFactory(user__first_name="Xaver", user__last_name="Prozess")
    y = FacilitatorFactory(user__first_name="Yvonne", user__last_name="Gutschein")
    past = timezone.now() - dt.timedelta(days=60)
    VoucherFactory(
        organisation=kommune,
        programme=ProgrammeFactory(kind="begleitprozess", operator=fueak),
        facilitators=[x],
        issued_at=past,
    )
    VoucherFactory(
        organisation=kommune,
        programme=ProgrammeFactory(kind="prozessbegleitung", operator=dsee),
        facilitators=[y],
        issued_at=past,
    )
    sparring = VoucherFactory(
        organisation=kommune,
        programme=ProgrammeFactory(kind="virtuell", operator=fueak),
        facilitators=[x, y],
        issued_at=past,
    )
    return sparring, x, y


def _unit(voucher, facilitator, days_ago: int = 1) -> SessionEntry:
    return log_session(
        voucher,
        by=facilitator.user,
        date=timezone.localdate() - dt.timedelta(days=days_ago),
        minutes=60,
        activity="sparring",
        format="video",
    )


def test_a_unit_with_the_facilitator_of_the_fueak_process_counts_in_process(case):
    sparring, x, _y = case
    entry = _unit(sparring, x)
    assert entry.units == 1
    assert entry.with_facilitator_in_process is True


def test_a_unit_with_the_facilitator_of_the_dsee_voucher_does_not(case):
    sparring, _x, y = case
    entry = _unit(sparring, y)
    assert entry.with_facilitator_in_process is False


def test_the_sixth_in_process_unit_is_refused_with_the_remaining_units_named(case):
    sparring, x, y = case
    for day in range(1, 6):
        assert _unit(sparring, x, days_ago=day).with_facilitator_in_process
    _unit(sparring, y, days_ago=6)  # not in process: does not count towards the five
    with pytest.raises(CapExceeded) as exc:
        _unit(sparring, x, days_ago=7)
    assert exc.value.remaining_units == 0
    message = exc.value.message
    assert "höchstens 5 Sparring-Einheiten" in message
    assert "verbleiben noch 0 Einheiten" in message
    # 12 units in all: 6 used, 6 left with other sparring partners.
    assert "insgesamt noch 6 Einheiten" in message
    assert SessionEntry.objects.filter(voucher=sparring).count() == 6
    # With the DSEE facilitator (another operator) the organisation may go on.
    assert not _unit(sparring, y, days_ago=8).with_facilitator_in_process


def test_the_process_ends_and_the_facilitator_is_no_longer_in_process(case):
    """Decided when logged and stored on the entry: later changes do not rewrite history."""
    sparring, x, _y = case
    first = _unit(sparring, x)
    process = x.vouchers.get(programme__kind="begleitprozess")
    process.status = "closed"
    process.save(update_fields=["status"])
    second = _unit(sparring, x, days_ago=2)
    first.refresh_from_db()
    assert (first.with_facilitator_in_process, second.with_facilitator_in_process) == (
        True,
        False,
    )
