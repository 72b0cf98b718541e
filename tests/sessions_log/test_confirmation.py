"""Rule 10 (two-sided hours) and rule 9 (session dates): confirm, dispute, resolve, deemed
confirmation, the close check and the digest."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from portal.errors import CapExceeded, InvalidTransition, RuleViolation
from portal.models import AuditEntry
from sessions_log.models import ConfirmationDigest, SessionEntry
from sessions_log.services import (
    auto_confirm_entries,
    confirm_entries,
    dispute_entry,
    resolve_dispute,
    send_confirmation_digests,
    update_session,
)
from tests.factories import OperatorFactory, OrganisationFactory, UserFactory, VoucherFactory
from tests.sessions_log.conftest import log
from vouchers.services import close_voucher

pytestmark = pytest.mark.django_db
S = SessionEntry.Status


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """``with committed():`` runs the on-commit callbacks (the emails) of the block."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


@pytest.fixture
def entry(pb_voucher, facilitator):
    return log(pb_voucher, facilitator.user, 120)


def test_new_entries_start_pending(entry):
    assert entry.status == S.PENDING
    assert not entry.counts_as_delivered


def test_member_confirms_several_at_once(pb_voucher, facilitator, applicant):
    first = log(pb_voucher, facilitator.user, 60)
    second = log(pb_voucher, facilitator.user, 90)
    assert confirm_entries([first, second.pk], by=applicant) == 2
    first.refresh_from_db()
    assert first.status == S.CONFIRMED
    assert first.confirmed_by == applicant
    assert not first.deemed_confirmed
    # A second call changes nothing.
    assert confirm_entries([first, second], by=applicant) == 0
    assert AuditEntry.objects.filter(action="entry.confirmed").count() == 2


@pytest.mark.parametrize("role", ["applicant", "facilitator", "office"])
def test_stranger_cannot_confirm(entry, role):
    stranger = UserFactory(
        role=role, organisation=OrganisationFactory() if role == "applicant" else None
    )
    with pytest.raises(RuleViolation):
        confirm_entries([entry], by=stranger)
    entry.refresh_from_db()
    assert entry.status == S.PENDING


def test_one_foreign_entry_refuses_the_whole_call(entry, applicant, facilitator):
    foreign = log(VoucherFactory(facilitators=[facilitator]), facilitator.user, 60)
    with pytest.raises(InvalidTransition):
        confirm_entries([entry, foreign], by=applicant)
    entry.refresh_from_db()
    assert entry.status == S.PENDING


def test_dispute_needs_a_reason_and_tells_office_and_facilitator(
    entry, applicant, facilitator, committed
):
    with pytest.raises(RuleViolation):
        dispute_entry(entry, by=applicant, reason="  ")
    mail.outbox.clear()
    with pytest.raises(InvalidTransition):
        dispute_entry(
            entry, by=UserFactory(role="applicant", organisation=OrganisationFactory()), reason="x"
        )
    with committed():
        dispute_entry(entry, by=applicant, reason="Wir haben nur eine Stunde getagt.")
    entry.refresh_from_db()
    assert entry.status == S.DISPUTED
    assert entry.dispute_reason == "Wir haben nur eine Stunde getagt."
    assert len(mail.outbox) == 1
    assert facilitator.user.email in mail.outbox[0].to


def test_confirmed_entry_cannot_be_disputed(entry, applicant):
    confirm_entries([entry], by=applicant)
    with pytest.raises(InvalidTransition):
        dispute_entry(entry, by=applicant, reason="zu spät")


def test_resolved_dispute_changes_minutes_and_both_sides_get_one_email(
    entry, applicant, facilitator, office_user, committed
):
    dispute_entry(entry, by=applicant, reason="Nur eine Stunde.")
    mail.outbox.clear()
    with committed():
        resolve_dispute(entry, by=office_user, minutes=60, note="Mit beiden Seiten telefoniert.")
    entry.refresh_from_db()
    assert entry.minutes == 60
    assert entry.status == S.RESOLVED
    assert entry.counts_as_delivered
    assert len(mail.outbox) == 2
    to_facilitator = [m for m in mail.outbox if facilitator.user.email in m.to]
    to_organisation = [m for m in mail.outbox if applicant.email in m.to]
    assert len(to_facilitator) == 1
    assert len(to_organisation) == 1
    row = AuditEntry.objects.get(action="entry.resolved")
    assert row.data["old_minutes"] == 120
    assert row.data["new_minutes"] == 60
    assert row.data["outcome"] == "change"


def test_resolve_keep_and_remove(pb_voucher, facilitator, applicant, office_user):
    kept = log(pb_voucher, facilitator.user, 90)
    removed = log(pb_voucher, facilitator.user, 30)
    for item in (kept, removed):
        dispute_entry(item, by=applicant, reason="strittig")
    resolve_dispute(kept, by=office_user)
    kept.refresh_from_db()
    assert kept.minutes == 90
    assert kept.status == S.RESOLVED
    resolve_dispute(removed, by=office_user, remove=True, note="doppelt eingetragen")
    assert not SessionEntry.objects.filter(pk=removed.pk).exists()
    assert AuditEntry.objects.filter(action="entry.resolved", data__outcome="remove").exists()


def test_resolving_is_for_the_operators_office_only(entry, applicant, facilitator):
    dispute_entry(entry, by=applicant, reason="strittig")
    other_office = UserFactory(role="office", operators=[OperatorFactory()])
    for who in (other_office, facilitator.user, applicant):
        with pytest.raises(RuleViolation):
            resolve_dispute(entry, by=who, minutes=60)
    entry.refresh_from_db()
    assert entry.status == S.DISPUTED
    assert entry.minutes == 120


def test_resolving_a_pending_entry_is_refused(entry, office_user):
    with pytest.raises(InvalidTransition):
        resolve_dispute(entry, by=office_user, minutes=60)


def test_resolution_cannot_pass_the_cap(pb_voucher, facilitator, applicant, office_user):
    first = log(pb_voucher, facilitator.user, 900)
    dispute_entry(first, by=applicant, reason="strittig")
    with pytest.raises(CapExceeded):
        resolve_dispute(first, by=office_user, minutes=961)


def test_deemed_confirmation_happens_exactly_once(pb_voucher, facilitator, programme):
    entry = log(pb_voucher, facilitator.user, 60)
    fresh = log(pb_voucher, facilitator.user, 30)
    old = timezone.now() - dt.timedelta(days=programme.confirmation_days, minutes=1)
    SessionEntry.objects.filter(pk=entry.pk).update(created_at=old)
    assert auto_confirm_entries() == 1
    assert auto_confirm_entries() == 0
    entry.refresh_from_db()
    fresh.refresh_from_db()
    assert entry.status == S.CONFIRMED
    assert entry.deemed_confirmed
    assert fresh.status == S.PENDING
    rows = AuditEntry.objects.filter(action="entry.deemed_confirmed")
    assert rows.count() == 1
    assert rows.get().reason == "gilt als bestätigt"


def test_deemed_confirmation_follows_the_programme_setting(pb_voucher, facilitator, programme):
    programme.confirmation_days = 3
    programme.save(update_fields=["confirmation_days"])
    entry = log(pb_voucher, facilitator.user, 60)
    assert auto_confirm_entries(now=timezone.now() + dt.timedelta(days=2)) == 0
    assert auto_confirm_entries(now=timezone.now() + dt.timedelta(days=3, minutes=1)) == 1
    entry.refresh_from_db()
    assert entry.status == S.CONFIRMED


def test_disputed_entries_are_never_deemed_confirmed(entry, applicant):
    dispute_entry(entry, by=applicant, reason="strittig")
    assert auto_confirm_entries(now=timezone.now() + dt.timedelta(days=100)) == 0


def test_closing_is_refused_while_an_entry_is_pending_or_disputed(
    pb_voucher, facilitator, applicant, office_user
):
    first = log(pb_voucher, facilitator.user, 60)
    second = log(pb_voucher, facilitator.user, 60)
    with pytest.raises(RuleViolation) as refused:
        close_voucher(pb_voucher, by=office_user)
    assert "2 Einträge warten" in refused.value.message
    assert refused.value.details["url"].endswith(f"/{pb_voucher.pk}/")
    dispute_entry(second, by=applicant, reason="strittig")
    confirm_entries([first], by=applicant)
    with pytest.raises(RuleViolation) as refused:
        close_voucher(pb_voucher, by=office_user)
    assert "1 Eintrag ist strittig" in refused.value.message
    pb_voucher.refresh_from_db()
    assert pb_voucher.status == "active"
    resolve_dispute(second, by=office_user)
    close_voucher(pb_voucher, by=office_user)
    pb_voucher.refresh_from_db()
    assert pb_voucher.status == "closed"


def test_caps_count_pending_entries(pb_voucher, facilitator):
    log(pb_voucher, facilitator.user, 900)
    with pytest.raises(CapExceeded):
        log(pb_voucher, facilitator.user, 61)


def test_facilitator_change_sends_a_confirmed_entry_back(entry, applicant, facilitator):
    confirm_entries([entry], by=applicant)
    update_session(entry, by=facilitator.user, minutes=150)
    entry.refresh_from_db()
    assert entry.status == S.PENDING
    assert entry.confirmed_at is None


# --- Rule 9: session dates ----------------------------------------------------------------


def test_entry_before_the_case_was_issued_is_refused(pb_voucher, facilitator):
    pb_voucher.issued_at = timezone.now() - dt.timedelta(days=5)
    pb_voucher.save(update_fields=["issued_at"])
    with pytest.raises(RuleViolation) as refused:
        log(pb_voucher, facilitator.user, 60, date=timezone.localdate() - dt.timedelta(days=6))
    assert refused.value.details["field"] == "date"
    first = timezone.localdate() - dt.timedelta(days=5)
    assert first.strftime("%d.%m.%Y") in refused.value.message
    assert log(pb_voucher, facilitator.user, 60, date=first).date == first


def test_entry_after_valid_until_or_in_the_future_is_refused(pb_voucher, facilitator):
    pb_voucher.issued_at = timezone.now() - dt.timedelta(days=30)
    pb_voucher.valid_until = timezone.localdate() - dt.timedelta(days=2)
    pb_voucher.save(update_fields=["issued_at", "valid_until"])
    with pytest.raises(RuleViolation):
        log(pb_voucher, facilitator.user, 60, date=timezone.localdate() - dt.timedelta(days=1))
    with pytest.raises(RuleViolation):
        log(pb_voucher, facilitator.user, 60, date=timezone.localdate() + dt.timedelta(days=1))
    assert log(pb_voucher, facilitator.user, 60, date=pb_voucher.valid_until)


# --- Digest -------------------------------------------------------------------------------


def test_digest_at_most_once_a_day_per_organisation(pb_voucher, facilitator, applicant, committed):
    for _ in range(3):
        log(pb_voucher, facilitator.user, 30)
    mail.outbox.clear()
    with committed():
        assert send_confirmation_digests() == 1
    with committed():
        assert send_confirmation_digests() == 0
    assert len(mail.outbox) == 1
    assert applicant.email in mail.outbox[0].to
    assert "3 Einträge warten" in mail.outbox[0].subject
    assert "/stunden-bestaetigen/" in mail.outbox[0].body
    assert ConfirmationDigest.objects.get().pending == 3
    tomorrow = timezone.now() + dt.timedelta(days=1)
    assert send_confirmation_digests(now=tomorrow) == 1


def test_no_digest_without_pending_entries(entry, applicant):
    confirm_entries([entry], by=applicant)
    assert send_confirmation_digests() == 0
