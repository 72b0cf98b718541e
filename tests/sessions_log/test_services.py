"""The session log services: DESIGN.md rules 4–5 with the exact numbers, guards, audit."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from portal.audit import audit_trail
from portal.errors import CapExceeded, InvalidTransition, RuleViolation
from sessions_log.models import Activity, SessionEntry
from sessions_log.services import confirm_entries, delete_session, log_session, update_session
from tests.factories import (
    OrganisationFactory,
    ProgrammeFactory,
    UserFactory,
    VoucherFactory,
)
from tests.sessions_log.conftest import log
from vouchers.services import close_voucher

pytestmark = pytest.mark.django_db


# --- Rule 4: the 16-hour cap of a Prozessbegleitung voucher ------------------------------


def test_900_plus_61_refused_with_60_remaining(pb_voucher, facilitator):
    log(pb_voucher, facilitator.user, 900)
    with pytest.raises(CapExceeded) as exc:
        log(pb_voucher, facilitator.user, 61)
    assert exc.value.remaining_minutes == 60
    assert "60 Minuten" in exc.value.message
    assert "1 Std." in exc.value.message
    assert SessionEntry.objects.filter(voucher=pb_voucher).count() == 1


def test_exactly_960_accepted(pb_voucher, facilitator):
    log(pb_voucher, facilitator.user, 900)
    log(pb_voucher, facilitator.user, 60)
    assert sum(SessionEntry.objects.values_list("minutes", flat=True)) == 960
    with pytest.raises(CapExceeded) as exc:
        log(pb_voucher, facilitator.user, 1)
    assert exc.value.remaining_minutes == 0


def test_one_entry_of_960_accepted_961_refused(programme, facilitator):
    voucher = VoucherFactory(programme=programme, facilitators=[facilitator])
    with pytest.raises(CapExceeded) as exc:
        log(voucher, facilitator.user, 961)
    assert exc.value.remaining_minutes == 960
    assert log(voucher, facilitator.user, 960).minutes == 960


def test_preparation_counts_as_working_time(pb_voucher, facilitator):
    log(pb_voucher, facilitator.user, 480, activity="vorbereitung", format="telefon")
    log(pb_voucher, facilitator.user, 420, activity="steuergruppe")
    with pytest.raises(CapExceeded) as exc:
        log(pb_voucher, facilitator.user, 90, activity="vorbereitung")
    assert exc.value.remaining_minutes == 60


def test_cap_falls_back_to_programme(programme, facilitator):
    voucher = VoucherFactory(programme=programme, facilitators=[facilitator], cap_minutes=None)
    log(voucher, facilitator.user, 950)
    with pytest.raises(CapExceeded) as exc:
        log(voucher, facilitator.user, 11)
    assert exc.value.remaining_minutes == 10


def test_voucher_cap_wins_over_programme(programme, facilitator):
    voucher = VoucherFactory(programme=programme, facilitators=[facilitator], cap_minutes=120)
    with pytest.raises(CapExceeded) as exc:
        log(voucher, facilitator.user, 121)
    assert exc.value.remaining_minutes == 120


def test_caps_are_per_voucher(programme, facilitator):
    first = VoucherFactory(programme=programme, facilitators=[facilitator])
    second = VoucherFactory(programme=programme, facilitators=[facilitator])
    log(first, facilitator.user, 960)
    assert log(second, facilitator.user, 960).minutes == 960


# --- Guards: who, which state, which values ----------------------------------------------


def test_unassigned_facilitator_cannot_log(pb_voucher, other_facilitator):
    with pytest.raises(InvalidTransition):
        log(pb_voucher, other_facilitator.user, 60)
    assert not SessionEntry.objects.exists()


@pytest.mark.parametrize(
    "status", ["issued", "closing_requested", "closed", "feedback_sent", "cancelled"]
)
def test_only_active_vouchers(programme, facilitator, status):
    voucher = VoucherFactory(programme=programme, facilitators=[facilitator], status=status)
    with pytest.raises(InvalidTransition):
        log(voucher, facilitator.user, 60)


def test_not_in_the_future(pb_voucher, facilitator):
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(RuleViolation) as exc:
        log(pb_voucher, facilitator.user, 60, date=tomorrow)
    assert not isinstance(exc.value, CapExceeded)
    assert log(pb_voucher, facilitator.user, 60, date=timezone.localdate()).pk


@pytest.mark.parametrize(
    ("field", "value"),
    [("activity", "kaffeetrinken"), ("format", "brieftaube"), ("activity", ""), ("format", None)],
)
def test_unknown_activity_or_format_refused(pb_voucher, facilitator, field, value):
    with pytest.raises(RuleViolation):
        log(pb_voucher, facilitator.user, 60, **{field: value})


@pytest.mark.parametrize("minutes", [0, -30, None, "sechzig"])
def test_minutes_must_be_positive(pb_voucher, facilitator, minutes):
    with pytest.raises(RuleViolation):
        log(pb_voucher, facilitator.user, minutes)


def test_contract_activity_keys_exist():
    for key in ("vorbereitung", "workshop", "steuergruppe", "sparring"):
        assert key in Activity.values


@pytest.mark.parametrize("as_user", [True, False])
def test_office_logs_on_behalf(pb_voucher, facilitator, office_user, as_user):
    entry = log(
        pb_voucher, office_user, 90, facilitator=facilitator.user if as_user else facilitator
    )
    assert entry.facilitator == facilitator
    assert entry.created_by == office_user


def test_office_without_facilitator_uses_the_only_one(pb_voucher, facilitator, admin_user):
    assert log(pb_voucher, admin_user, 30).facilitator == facilitator


def test_office_must_choose_when_two_facilitators(pb_voucher, other_facilitator, office_user):
    pb_voucher.facilitators.add(other_facilitator)
    with pytest.raises(RuleViolation):
        log(pb_voucher, office_user, 30)
    assert log(pb_voucher, office_user, 30, facilitator=other_facilitator).pk


def test_office_cannot_log_for_unassigned_facilitator(pb_voucher, other_facilitator, office_user):
    with pytest.raises(InvalidTransition):
        log(pb_voucher, office_user, 30, facilitator=other_facilitator)


def test_facilitator_cannot_log_for_someone_else(pb_voucher, facilitator, other_facilitator):
    pb_voucher.facilitators.add(other_facilitator)
    with pytest.raises(InvalidTransition):
        log(pb_voucher, facilitator.user, 30, facilitator=other_facilitator)


def test_applicant_cannot_log(pb_voucher, applicant, facilitator):
    with pytest.raises(InvalidTransition):
        log(pb_voucher, applicant, 30, facilitator=facilitator)


def test_logging_is_audited(pb_voucher, facilitator):
    entry = log(pb_voucher, facilitator.user, 90, participants=7, notes="Auftakt")
    row = audit_trail(pb_voucher).get(action="session.created")
    assert row.actor == facilitator.user
    assert row.data["entry"] == entry.pk
    assert row.data["new"]["minutes"] == 90
    assert row.data["new"]["participants"] == 7
    assert row.data["old"] is None


def test_inactive_voucher_names_its_status(programme, facilitator):
    voucher = VoucherFactory(programme=programme, facilitators=[facilitator], status="issued")
    with pytest.raises(InvalidTransition) as exc:
        log(voucher, facilitator.user, 60)
    assert "„ausgestellt“" in exc.value.message


def test_unassigned_is_refused_before_the_state(programme, other_facilitator):
    voucher = VoucherFactory(programme=programme, status="closed")
    with pytest.raises(InvalidTransition) as exc:
        log(voucher, other_facilitator.user, 60)
    assert exc.value.message == "Sie sind diesem Gutschein nicht zugeordnet."


# --- Cost of one call: one locking read, two inserts (bench: log_session_vs_bare_insert) ---
# Inside the test's transaction ``atomic()`` is a savepoint: SAVEPOINT, the locking read
# (PostgreSQL: the row lock(s) and the SUM as statements of their own in one round trip;
# SQLite: one statement), INSERT entry, INSERT audit row, RELEASE SAVEPOINT.


def test_log_session_query_count(pb_voucher, facilitator, django_assert_max_num_queries):
    log(pb_voucher, facilitator.user, 60)
    with django_assert_max_num_queries(5):
        entry = log(pb_voucher, facilitator.user, 60)
    assert entry.pk
    with django_assert_max_num_queries(5), pytest.raises(CapExceeded):
        log(pb_voucher, facilitator.user, 900)


def test_sparring_query_count(sparring, django_assert_max_num_queries):
    log(sparring["vb"], sparring["in_process"], 60)
    with django_assert_max_num_queries(5):
        entry = log(sparring["vb"], sparring["in_process"], 60)
    assert entry.with_facilitator_in_process is True
    with django_assert_max_num_queries(5):
        assert log(sparring["vb"], sparring["outside"], 60).units == 1


# --- Rule 5: 12 units per organisation, at most 5 with facilitators in process -----------


def test_45_minute_sparring_refused(sparring):
    with pytest.raises(RuleViolation) as exc:
        log(sparring["vb"], sparring["outside"], 45)
    assert not isinstance(exc.value, CapExceeded)
    assert not SessionEntry.objects.exists()


def test_units_are_stored_per_60_minutes(sparring):
    entry = log(sparring["vb"], sparring["outside"], 120)
    assert (entry.minutes, entry.units) == (120, 2)
    assert entry.with_facilitator_in_process is False


def test_sixth_unit_with_facilitator_in_process_refused(sparring):
    for _ in range(5):
        entry = log(sparring["vb"], sparring["in_process"], 60)
        assert entry.with_facilitator_in_process is True
    with pytest.raises(CapExceeded) as exc:
        log(sparring["vb"], sparring["in_process"], 60)
    assert exc.value.remaining_units == 0
    assert exc.value.remaining_minutes == 0
    assert "höchstens 5" in exc.value.message
    # Partners outside the process may still use the rest of the 12.
    assert log(sparring["vb"], sparring["outside"], 420).units == 7


def test_in_process_entry_larger_than_rest_names_rest(sparring):
    log(sparring["vb"], sparring["in_process"], 180)
    with pytest.raises(CapExceeded) as exc:
        log(sparring["vb"], sparring["in_process"], 180)
    assert exc.value.remaining_units == 2
    assert exc.value.remaining_minutes == 120


def test_thirteenth_unit_refused(sparring):
    for _ in range(12):
        log(sparring["vb"], sparring["outside"], 60)
    with pytest.raises(CapExceeded) as exc:
        log(sparring["vb"], sparring["outside"], 60)
    assert exc.value.remaining_units == 0
    assert exc.value.remaining_minutes == 0
    assert SessionEntry.objects.filter(voucher=sparring["vb"]).count() == 12


def test_thirteenth_unit_refused_when_mixed(sparring):
    log(sparring["vb"], sparring["in_process"], 300)
    log(sparring["vb"], sparring["outside"], 360)
    with pytest.raises(CapExceeded) as exc:
        log(sparring["vb"], sparring["outside"], 120)
    assert exc.value.remaining_units == 1
    assert "1 Einheit" in exc.value.message
    log(sparring["vb"], sparring["outside"], 60)


def test_units_cap_is_per_organisation_across_vouchers(sparring, organisation, other_facilitator):
    second = VoucherFactory(
        organisation=organisation,
        programme=ProgrammeFactory(kind="virtuell"),
        facilitators=[other_facilitator],
    )
    log(sparring["vb"], sparring["outside"], 600)
    with pytest.raises(CapExceeded) as exc:
        log(second, sparring["outside"], 180)
    assert exc.value.remaining_units == 2


def test_other_organisations_have_their_own_units(sparring, virtual_programme, other_facilitator):
    log(sparring["vb"], sparring["outside"], 720)
    elsewhere = VoucherFactory(programme=virtual_programme, facilitators=[other_facilitator])
    assert log(elsewhere, sparring["outside"], 720).units == 12


def test_in_process_is_decided_at_logging_time(sparring, office_user):
    first = log(sparring["vb"], sparring["in_process"], 60)
    close_voucher(sparring["pb"], by=office_user, report="Prozess abgeschlossen.")
    later = log(sparring["vb"], sparring["in_process"], 60)
    first.refresh_from_db()
    assert first.with_facilitator_in_process is True
    assert later.with_facilitator_in_process is False


def test_process_of_another_organisation_does_not_count(sparring, facilitator):
    """In process means: on an open PB voucher of the *same* organisation."""
    sparring["pb"].facilitators.clear()
    VoucherFactory(programme=sparring["pb"].programme, facilitators=[facilitator])
    assert log(sparring["vb"], facilitator.user, 60).with_facilitator_in_process is False


def test_closed_process_does_not_count(sparring, facilitator):
    sparring["pb"].status = "closed"
    sparring["pb"].save(update_fields=["status"])
    assert log(sparring["vb"], facilitator.user, 60).with_facilitator_in_process is False


def test_issued_pb_voucher_counts_as_in_process(organisation, virtual_programme, facilitator):
    VoucherFactory(organisation=organisation, status="issued", facilitators=[facilitator])
    vb = VoucherFactory(
        organisation=organisation, programme=virtual_programme, facilitators=[facilitator]
    )
    assert log(vb, facilitator.user, 60).with_facilitator_in_process is True


# --- update_session / delete_session ----------------------------------------------------


def test_update_rechecks_cap_without_itself(pb_voucher, facilitator):
    log(pb_voucher, facilitator.user, 900)
    entry = log(pb_voucher, facilitator.user, 60)
    with pytest.raises(CapExceeded) as exc:
        update_session(entry, by=facilitator.user, minutes=61)
    assert exc.value.remaining_minutes == 60
    update_session(entry, by=facilitator.user, minutes=60, notes="korrigiert")
    entry.refresh_from_db()
    assert (entry.minutes, entry.notes) == (60, "korrigiert")
    update_session(entry, by=facilitator.user, minutes=30)
    assert entry.minutes == 30


def test_update_is_audited_with_old_and_new(pb_voucher, facilitator, office_user):
    entry = log(pb_voucher, facilitator.user, 60, activity="workshop")
    update_session(entry, by=office_user, minutes=75, activity="vorbereitung")
    row = audit_trail(pb_voucher).get(action="session.updated")
    assert row.actor == office_user
    assert row.data["old"] == {"minutes": 60, "activity": "workshop"}
    assert row.data["new"] == {"minutes": 75, "activity": "vorbereitung"}


def test_update_without_change_writes_no_audit_row(pb_voucher, facilitator):
    entry = log(pb_voucher, facilitator.user, 60)
    update_session(entry, by=facilitator.user, minutes=60)
    assert not audit_trail(pb_voucher).filter(action="session.updated").exists()


def test_update_refuses_future_date_and_unknown_fields(pb_voucher, facilitator):
    entry = log(pb_voucher, facilitator.user, 60)
    with pytest.raises(RuleViolation):
        update_session(entry, by=facilitator.user, date=timezone.localdate() + dt.timedelta(days=3))
    with pytest.raises(TypeError):
        update_session(entry, by=facilitator.user, voucher=None)


def test_other_facilitator_cannot_update_or_delete(pb_voucher, facilitator, other_facilitator):
    pb_voucher.facilitators.add(other_facilitator)
    entry = log(pb_voucher, facilitator.user, 60)
    with pytest.raises(InvalidTransition):
        update_session(entry, by=other_facilitator.user, minutes=30)
    with pytest.raises(InvalidTransition):
        delete_session(entry, by=other_facilitator.user)
    with pytest.raises(InvalidTransition):
        update_session(entry, by=UserFactory(role="applicant"), minutes=30)


def test_changes_allowed_until_closed(pb_voucher, facilitator, office_user, applicant):
    entry = log(pb_voucher, facilitator.user, 60)
    pb_voucher.status = "closing_requested"
    pb_voucher.save(update_fields=["status"])
    update_session(entry, by=facilitator.user, minutes=90)
    confirm_entries([entry], by=applicant)  # rule 10: no case closes with pending entries
    close_voucher(pb_voucher, by=office_user)
    with pytest.raises(InvalidTransition):
        update_session(entry, by=office_user, minutes=30)
    with pytest.raises(InvalidTransition):
        delete_session(entry, by=office_user)
    assert SessionEntry.objects.get().minutes == 90


def test_delete_is_audited(pb_voucher, facilitator):
    entry = log(pb_voucher, facilitator.user, 45, notes="Telefonat")
    entry_pk = entry.pk
    delete_session(entry, by=facilitator.user)
    assert not SessionEntry.objects.exists()
    row = audit_trail(pb_voucher).get(action="session.deleted")
    assert row.data["entry"] == entry_pk
    assert row.data["old"]["minutes"] == 45
    assert row.data["new"] is None


def test_delete_frees_the_cap(pb_voucher, facilitator):
    entry = log(pb_voucher, facilitator.user, 960)
    delete_session(entry, by=facilitator.user)
    assert log(pb_voucher, facilitator.user, 960).pk


def test_update_rechecks_in_process_subcap(sparring):
    log(sparring["vb"], sparring["in_process"], 240)
    entry = log(sparring["vb"], sparring["in_process"], 60)
    with pytest.raises(CapExceeded) as exc:
        update_session(entry, by=sparring["in_process"], minutes=120)
    assert exc.value.remaining_units == 1
    with pytest.raises(RuleViolation):
        update_session(entry, by=sparring["in_process"], minutes=90)


def test_office_reassigning_facilitator_recomputes_in_process(sparring, office_user):
    log(sparring["vb"], sparring["in_process"], 300)
    entry = log(sparring["vb"], sparring["outside"], 60)
    with pytest.raises(CapExceeded):
        update_session(entry, by=office_user, facilitator=sparring["in_process"])
    log(sparring["vb"], sparring["outside"], 60)
    entry.refresh_from_db()
    assert entry.with_facilitator_in_process is False


def test_update_units_cap(sparring):
    log(sparring["vb"], sparring["outside"], 600)
    entry = log(sparring["vb"], sparring["outside"], 60)
    with pytest.raises(CapExceeded) as exc:
        update_session(entry, by=sparring["outside"], minutes=180)
    assert exc.value.remaining_units == 2
    update_session(entry, by=sparring["outside"], minutes=120)
    assert entry.units == 2


def test_log_on_organisation_without_open_process(virtual_programme, facilitator):
    organisation = OrganisationFactory()
    vb = VoucherFactory(
        organisation=organisation, programme=virtual_programme, facilitators=[facilitator]
    )
    for _ in range(12):
        assert (
            log_session(
                vb,
                by=facilitator.user,
                date=timezone.localdate(),
                minutes=60,
                activity="sparring",
                format="telefon",
            ).with_facilitator_in_process
            is False
        )


@pytest.mark.parametrize("participants", [2147483648, 10_001, 0, -1])
def test_participants_out_of_bounds_are_refused_not_a_500(pb_voucher, facilitator, participants):
    """Issue 21, F1: a number beyond the column's range is a German message, never an
    integer-out-of-range error of the database."""
    with pytest.raises(RuleViolation) as exc:
        log(pb_voucher, facilitator.user, 60, participants=participants)
    assert "Teilnehmenden" in exc.value.message
    assert not SessionEntry.objects.filter(voucher=pb_voucher).exists()
