"""The sparring calendar's services against rule 5 and rule 12 (real services, SQLite)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from appointments.models import Appointment
from appointments.selectors import reserved_units, units_left
from appointments.services import (
    book,
    cancel_appointment,
    mark_held,
    mark_no_show,
    reschedule,
)
from appointments.services.booking import SlotTaken
from portal.audit import audit_trail
from portal.errors import CapExceeded, InvalidTransition
from sessions_log.models import SessionEntry
from tests.appointments.conftest import log_units, move_to_past
from tests.factories import OrganisationFactory, UserFactory, VoucherFactory

pytestmark = pytest.mark.django_db


def test_eleven_logged_plus_one_booking_is_the_twelfth(sparring_case, make_slot):
    case, outside = sparring_case, sparring_case["outside"]
    case["voucher"].facilitators.add(outside)
    log_units(case["voucher"], outside, 11)
    twelfth = book(make_slot(outside), by=case["member"])
    assert twelfth.status == Appointment.Status.BOOKED
    assert units_left(case["voucher"])["total"] == 0

    with pytest.raises(CapExceeded) as refused:
        book(make_slot(outside), by=case["member"])
    assert refused.value.remaining_units == 0
    assert "12 Sparring-Einheiten" in refused.value.message
    assert "0 Einheiten" in refused.value.message

    # Cancelled in time (48 h before, notice 24 h): the unit is free again.
    cancel_appointment(twelfth, by=case["member"])
    assert twelfth.status == Appointment.Status.CANCELLED
    assert not twelfth.counts
    assert not twelfth.late
    assert book(make_slot(outside), by=case["member"]).status == "booked"


def test_log_session_counts_booked_appointments(sparring_case, make_slot):
    case, outside = sparring_case, sparring_case["outside"]
    for _ in range(11):
        book(make_slot(outside), by=case["member"])
    assert reserved_units(case["voucher"].organisation_id) == (11, 0)
    with pytest.raises(CapExceeded) as refused:
        log_units(case["voucher"], outside, 2)
    assert refused.value.remaining_units == 1
    log_units(case["voucher"], outside, 1)  # the 12th fits


def test_sixth_in_process_booking_refused(sparring_case, make_slot):
    case, inside = sparring_case, sparring_case["inside"]
    booked = [book(make_slot(inside), by=case["member"]) for _ in range(5)]
    assert all(a.with_facilitator_in_process for a in booked)
    with pytest.raises(CapExceeded) as refused:
        book(make_slot(inside), by=case["member"])
    assert refused.value.remaining_units == 0
    assert "im Prozess" in refused.value.message
    # Someone not in the process may still be booked (free choice, 12 in total).
    other = book(make_slot(case["outside"]), by=case["member"])
    assert not other.with_facilitator_in_process
    assert units_left(case["voucher"]) | {} == {
        "cap": 12,
        "cap_in_process": 5,
        "used": 6,
        "total": 6,
        "in_process": 0,
    }


def test_in_process_decision_is_stored_at_booking(sparring_case, make_slot):
    case = sparring_case
    appointment = book(make_slot(case["inside"]), by=case["member"])
    # The PB case closes later: the stored decision stays.
    case["voucher"].organisation.vouchers.exclude(pk=case["voucher"].pk).update(status="closed")
    appointment.refresh_from_db()
    assert appointment.with_facilitator_in_process
    assert reserved_units(appointment.organisation_id) == (1, 1)


def test_booked_slot_cannot_be_booked_again(sparring_case, make_slot, virtual_programme):
    case = sparring_case
    slot = make_slot(case["outside"])
    book(slot, by=case["member"])
    with pytest.raises(SlotTaken):
        book(slot, by=case["member"])
    other = OrganisationFactory()
    VoucherFactory(organisation=other, programme=virtual_programme)
    with pytest.raises(SlotTaken):
        book(slot, by=other.members.get())
    assert Appointment.objects.filter(slot=slot).count() == 1


def test_booking_adds_the_facilitator_to_the_case(sparring_case, make_slot):
    case = sparring_case
    assert not case["voucher"].facilitators.filter(pk=case["outside"].pk).exists()
    appointment = book(make_slot(case["outside"]), by=case["member"])
    assert case["voucher"].facilitators.filter(pk=case["outside"].pk).exists()
    entry = audit_trail(appointment).get()
    assert (entry.action, entry.to_state) == ("appointment.booked", "booked")


def test_only_members_with_an_active_case_book(sparring_case, make_slot, virtual_programme):
    slot = make_slot(sparring_case["outside"])
    with pytest.raises(InvalidTransition):
        book(slot, by=sparring_case["outside"].user)
    with pytest.raises(InvalidTransition):
        book(slot, by=UserFactory(role="office"))
    stranger = OrganisationFactory()
    VoucherFactory(organisation=stranger, programme=virtual_programme, status="issued")
    with pytest.raises(InvalidTransition):
        book(slot, by=stranger.members.get())


def test_past_slot_cannot_be_booked(sparring_case, make_slot):
    slot = make_slot(sparring_case["outside"], hours=-1)
    with pytest.raises(InvalidTransition):
        book(slot, by=sparring_case["member"])


def test_mark_held_becomes_an_entry_and_is_not_counted_twice(sparring_case, make_slot):
    case, inside = sparring_case, sparring_case["inside"]
    appointment = book(make_slot(inside), by=case["member"])
    with pytest.raises(InvalidTransition):  # not yet begun
        mark_held(appointment, by=inside.user)
    move_to_past(appointment)
    with pytest.raises(InvalidTransition):  # only the booked facilitator
        mark_held(appointment, by=case["outside"].user)
    entry = mark_held(appointment, by=inside.user, notes="Gute Fragen zur Beteiligung.")
    assert isinstance(entry, SessionEntry)
    assert (entry.minutes, entry.units, entry.activity, entry.format) == (
        60,
        1,
        "sparring",
        "video",
    )
    assert entry.with_facilitator_in_process
    assert entry.date == timezone.localtime(appointment.starts_at).date()
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.HELD
    assert appointment.session_entry == entry
    assert reserved_units(appointment.organisation_id) == (0, 0)
    assert units_left(case["voucher"])["total"] == 11
    with pytest.raises(InvalidTransition):
        mark_held(appointment, by=inside.user)


def test_mark_held_of_the_twelfth_unit(sparring_case, make_slot):
    """12 units used (11 logged + 1 booked): holding the booked one must not be refused."""
    case, outside = sparring_case, sparring_case["outside"]
    appointment = book(make_slot(outside), by=case["member"])
    log_units(case["voucher"], outside, 11)
    move_to_past(appointment)
    mark_held(appointment, by=outside.user)
    assert units_left(case["voucher"])["total"] == 0


def test_late_cancellation_by_the_organisation_counts(sparring_case, make_slot):
    case = sparring_case
    appointment = book(make_slot(case["outside"], hours=10), by=case["member"])
    cancel_appointment(appointment, by=case["member"], reason="Krankheit")
    assert (appointment.late, appointment.counts, appointment.reason) == (True, True, "Krankheit")
    assert reserved_units(appointment.organisation_id) == (1, 0)


def test_late_cancellation_is_free_when_the_programme_says_so(sparring_case, make_slot):
    case = sparring_case
    case["programme"].late_cancel_counts = False
    case["programme"].save()
    appointment = book(make_slot(case["outside"], hours=10), by=case["member"])
    cancel_appointment(appointment, by=case["member"])
    assert appointment.late
    assert not appointment.counts
    assert reserved_units(appointment.organisation_id) == (0, 0)


def test_late_cancellation_by_the_facilitator_never_counts(sparring_case, make_slot):
    case = sparring_case
    appointment = book(make_slot(case["outside"], hours=10), by=case["member"])
    cancel_appointment(appointment, by=case["outside"].user, reason="verhindert")
    assert appointment.late
    assert not appointment.counts
    with pytest.raises(InvalidTransition):
        cancel_appointment(appointment, by=case["member"])


def test_strangers_cannot_cancel(sparring_case, make_slot):
    case = sparring_case
    appointment = book(make_slot(case["outside"]), by=case["member"])
    with pytest.raises(InvalidTransition):
        cancel_appointment(appointment, by=case["inside"].user)
    with pytest.raises(InvalidTransition):
        cancel_appointment(appointment, by=OrganisationFactory().members.get())


def test_no_show_counts_with_reason(sparring_case, make_slot):
    case = sparring_case
    appointment = book(make_slot(case["outside"]), by=case["member"])
    move_to_past(appointment)
    mark_no_show(appointment, by=case["outside"].user, reason="niemand erschienen")
    assert (appointment.status, appointment.counts) == ("no_show", True)
    assert appointment.reason == "niemand erschienen"
    assert reserved_units(appointment.organisation_id) == (1, 0)


def test_reschedule_is_cancel_and_book_in_one_step(sparring_case, make_slot):
    case = sparring_case
    first = book(make_slot(case["outside"]), by=case["member"])
    target = make_slot(case["inside"])
    second = reschedule(first, by=case["member"], slot=target)
    first.refresh_from_db()
    assert first.status == "cancelled"
    assert second.slot == target
    assert second.uid != first.uid
    assert reserved_units(first.organisation_id) == (1, 1)
    # A taken target leaves the old appointment untouched.
    taken = make_slot(case["outside"])
    book(taken, by=case["member"])
    with pytest.raises(SlotTaken):
        reschedule(second, by=case["member"], slot=taken)
    second.refresh_from_db()
    assert second.status == "booked"


def test_reschedule_when_full_swaps_the_unit(sparring_case, make_slot):
    case, outside = sparring_case, sparring_case["outside"]
    case["voucher"].facilitators.add(outside)
    log_units(case["voucher"], outside, 11)
    first = book(make_slot(outside), by=case["member"])
    second = reschedule(first, by=case["member"], slot=make_slot(outside))
    assert second.status == "booked"
    assert units_left(case["voucher"])["total"] == 0


def test_cancel_after_start_refused(sparring_case, make_slot):
    case = sparring_case
    appointment = book(make_slot(case["outside"]), by=case["member"])
    move_to_past(appointment)
    with pytest.raises(InvalidTransition):
        cancel_appointment(appointment, by=case["member"])
    assert dt.timedelta(0) < timezone.now() - appointment.starts_at


def test_slot_after_the_case_ends_refused(sparring_case, make_slot):
    case = sparring_case
    case["voucher"].valid_until = timezone.localdate() + dt.timedelta(days=1)
    case["voucher"].save()
    with pytest.raises(InvalidTransition, match="gilt nur bis"):
        book(make_slot(case["outside"], hours=24 * 5), by=case["member"])
