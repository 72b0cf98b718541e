"""The feedback service contract, eagerly: nothing before commit, one email per contact with
a working link, repeated runs send nothing, retries and the outbox relay lose nothing."""

from __future__ import annotations

import datetime as dt
import threading

import pytest
from django.core import mail
from django.db import connection
from django.utils import timezone

from portal.errors import InvalidTransition
from portal.models import AuditEntry
from portal.outbox import RetryableSendError
from tests.factories import OrganisationFactory, UserFactory, VoucherFactory
from tests.feedback.backends import FlakyBackend
from tests.feedback.helpers import (
    answer_all,
    closed_voucher,
    link_path,
    organisation_with_contacts,
)
from vouchers.models import FeedbackRequest, Voucher
from vouchers.services import close_voucher
from vouchers.services.feedback import (
    FeedbackLinkUsed,
    requeue_pending_feedback,
    send_feedback_reminders,
    send_feedback_requests,
    submit_feedback,
)
from vouchers.tasks import send_feedback_reminders as send_feedback_reminders_task
from vouchers.tasks import send_feedback_request

pytestmark = pytest.mark.django_db


def _actions(voucher):
    return list(
        AuditEntry.objects.filter(target_id=voucher.pk, action__startswith="voucher.")
        .order_by("created_at", "pk")
        .values_list("action", flat=True)
    )


def test_nothing_is_sent_before_commit_then_one_email_per_contact(
    django_capture_on_commit_callbacks, office_user, client
):
    org = organisation_with_contacts(2)
    UserFactory(role="applicant", organisation=org, is_active=False)  # not a contact
    voucher = VoucherFactory(organisation=org, status="closing_requested")

    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        close_voucher(voucher, by=office_user, report="Leitbild steht.")
        assert mail.outbox == []
    voucher.refresh_from_db()
    assert (voucher.status, voucher.feedback_status) == ("closed", "pending")
    assert not FeedbackRequest.objects.exists()
    assert mail.outbox == []

    for callback in callbacks:
        callback()

    contacts = sorted(org.contacts().values_list("email", flat=True))
    assert len(contacts) == 2
    assert sorted(m.to[0] for m in mail.outbox) == contacts
    assert all(len(m.to) == 1 for m in mail.outbox)
    assert all(voucher.code in m.subject for m in mail.outbox)
    voucher.refresh_from_db()
    assert (voucher.status, voucher.feedback_status) == ("feedback_sent", "sent")
    assert _actions(voucher)[-2:] == ["voucher.closed", "voucher.feedback_sent"]

    paths = [link_path(m) for m in mail.outbox]
    assert len(set(paths)) == 2  # personal links
    for path in paths:
        response = client.get(path)
        assert response.status_code == 200
        assert voucher.code in response.text
        assert org.name in response.text


def test_second_and_third_run_send_nothing():
    voucher = closed_voucher(contacts=3, send=False)
    assert send_feedback_request(voucher.pk) == 3
    assert send_feedback_request(voucher.pk) == 0
    assert send_feedback_request.delay(voucher.pk).get() == 0
    assert len(mail.outbox) == 3
    assert FeedbackRequest.objects.filter(voucher=voucher).count() == 3
    voucher.refresh_from_db()
    assert voucher.status == "feedback_sent"
    assert _actions(voucher).count("voucher.feedback_sent") == 1


def test_closing_twice_raises_invalid_transition(office_user):
    voucher = VoucherFactory(status="active")
    close_voucher(voucher, by=office_user)
    with pytest.raises(InvalidTransition):
        close_voucher(voucher, by=office_user)
    with pytest.raises(InvalidTransition):
        close_voucher(Voucher.objects.get(pk=voucher.pk), by=office_user)


def test_only_office_closes(applicant, facilitator):
    voucher = VoucherFactory(status="active", organisation=applicant.organisation)
    for user in (applicant, facilitator.user):
        with pytest.raises(InvalidTransition):
            close_voucher(voucher, by=user)
    assert not FeedbackRequest.objects.exists()


def test_task_sends_nothing_for_open_or_missing_vouchers():
    open_voucher = VoucherFactory(status="active")
    assert send_feedback_request(open_voucher.pk) == 0
    assert send_feedback_request(999_999) == 0
    assert mail.outbox == []


def test_organisation_without_contacts_clears_the_outbox():
    voucher = closed_voucher(organisation=OrganisationFactory(contact=False))
    assert mail.outbox == []
    assert (voucher.status, voucher.feedback_status) == ("closed", "")
    assert requeue_pending_feedback() == 0


def test_retries_after_smtp_errors_never_send_twice(
    settings, django_capture_on_commit_callbacks, office_user
):
    settings.EMAIL_BACKEND = "tests.feedback.backends.FlakyBackend"
    org = organisation_with_contacts(2)
    first, second = org.contacts().order_by("pk").values_list("email", flat=True)
    FlakyBackend.refuse, FlakyBackend.attempts = {second}, []
    voucher = VoucherFactory(organisation=org, status="active")

    # The task fails on the second contact; closing still succeeds.
    with django_capture_on_commit_callbacks(execute=True):
        close_voucher(voucher, by=office_user)
    voucher.refresh_from_db()
    assert (voucher.status, voucher.feedback_status) == ("closed", "pending")
    # Retried while the server still refuses: the first contact still has one email.
    assert requeue_pending_feedback() == 0
    with pytest.raises(RetryableSendError):  # nothing handed over: the task retries
        send_feedback_request(voucher.pk)
    assert FlakyBackend.attempts.count(second) == 3
    assert [m.to for m in mail.outbox] == [[first]]

    # The mail server recovers; the periodic relay finds the pending voucher.
    FlakyBackend.refuse = set()
    assert requeue_pending_feedback() == 1
    assert sorted(m.to[0] for m in mail.outbox) == sorted([first, second])
    voucher.refresh_from_db()
    assert (voucher.status, voucher.feedback_status) == ("feedback_sent", "sent")
    assert requeue_pending_feedback() == 0
    assert len(mail.outbox) == 2


def test_requeue_picks_up_lost_and_stale_enqueues_only(
    django_capture_on_commit_callbacks, office_user
):
    lost = VoucherFactory(status="active")
    with django_capture_on_commit_callbacks(execute=False):  # the enqueue never happened
        close_voucher(lost, by=office_user)
    recent = closed_voucher(send=False)
    Voucher.objects.filter(pk=recent.pk).update(feedback_enqueued_at=timezone.now())
    stale = closed_voucher(send=False)
    Voucher.objects.filter(pk=stale.pk).update(
        feedback_enqueued_at=timezone.now() - dt.timedelta(minutes=30)
    )

    assert requeue_pending_feedback() == 2
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        [lost.organisation.contacts().get().email, stale.organisation.contacts().get().email]
    )
    assert Voucher.objects.get(pk=recent.pk).feedback_status == "pending"
    assert requeue_pending_feedback() == 0


def test_one_reminder_after_the_programme_days_to_those_who_did_not_answer():
    quiet = closed_voucher(contacts=2)
    half = closed_voucher(contacts=2)
    submit_feedback(FeedbackRequest.objects.filter(voucher=half).first(), **_answers())
    mail.outbox.clear()
    sent_at = FeedbackRequest.objects.filter(voucher=quiet).first().sent_at

    assert send_feedback_reminders(now=sent_at + dt.timedelta(days=13)) == 0
    assert send_feedback_reminders(now=sent_at + dt.timedelta(days=14, minutes=1)) == 3
    assert all("Erinnerung" in m.subject for m in mail.outbox)
    assert sorted(m.to[0] for m in mail.outbox) == sorted(
        FeedbackRequest.objects.filter(answered_at__isnull=True).values_list(
            "recipient_email", flat=True
        )
    )
    quiet.refresh_from_db()
    half.refresh_from_db()
    assert quiet.feedback_status == "reminded"
    assert half.feedback_status == "answered"
    # Never a second reminder.
    assert send_feedback_reminders(now=sent_at + dt.timedelta(days=60)) == 0
    assert send_feedback_reminders_task.delay().get() == 0
    assert len(mail.outbox) == 3
    assert _actions(quiet).count("voucher.feedback_reminded") == 1


def test_reminder_days_are_a_programme_setting(client):
    voucher = closed_voucher()
    voucher.programme.feedback_reminder_days = 3
    voucher.programme.save()
    FeedbackRequest.objects.filter(voucher=voucher).update(
        sent_at=timezone.now() - dt.timedelta(days=3, hours=1)
    )
    mail.outbox.clear()
    assert send_feedback_reminders_task() == 1
    # The reminder's link opens the form.
    assert client.get(link_path(mail.outbox[0])).status_code == 200


def test_first_answer_moves_the_voucher_and_a_link_is_single_use():
    voucher = closed_voucher(contacts=2)
    first, second = FeedbackRequest.objects.filter(voucher=voucher)
    submit_feedback(first, **_answers())
    voucher.refresh_from_db()
    assert (voucher.status, voucher.feedback_status) == ("feedback_received", "answered")
    with pytest.raises(FeedbackLinkUsed):
        submit_feedback(first, **_answers())
    submit_feedback(second, **_answers(would_recommend=False))
    voucher.refresh_from_db()
    assert voucher.status == "feedback_received"
    actions = _actions(voucher)
    assert actions.count("voucher.feedback_received") == 1
    assert actions.count("voucher.feedback_answered") == 1


def test_duplicated_tasks_in_parallel_send_each_email_once(transactional_db):
    """Four workers run the same task at once: the row locks let exactly one send each."""
    voucher = closed_voucher(contacts=3, send=False)
    barrier = threading.Barrier(4)
    results, errors = [], []

    def run():
        try:
            barrier.wait(timeout=10)
            results.append(send_feedback_requests(voucher.pk))
        except Exception as exc:  # pragma: no cover - reported below
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=run) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)
    assert errors == []
    assert sum(results) == 3  # however the work was shared out
    assert len(mail.outbox) == 3
    assert len({m.to[0] for m in mail.outbox}) == 3
    voucher.refresh_from_db()
    assert voucher.status == "feedback_sent"
    assert _actions(voucher).count("voucher.feedback_sent") == 1


def test_answer_while_an_invitation_is_still_retried_keeps_the_states_consistent(settings):
    settings.EMAIL_BACKEND = "tests.feedback.backends.FlakyBackend"
    org = organisation_with_contacts(2)
    first, second = org.contacts().order_by("pk").values_list("email", flat=True)
    FlakyBackend.refuse, FlakyBackend.attempts = {second}, []
    voucher = closed_voucher(organisation=org, send=False)
    with pytest.raises(RetryableSendError):
        send_feedback_requests(voucher.pk)
    submit_feedback(FeedbackRequest.objects.get(recipient_email=first), **_answers())
    voucher.refresh_from_db()
    assert (voucher.status, voucher.feedback_status) == ("closed", "answered")

    FlakyBackend.refuse = set()
    assert send_feedback_requests(voucher.pk) == 1
    voucher.refresh_from_db()
    assert (voucher.status, voucher.feedback_status) == ("feedback_received", "answered")


def _answers(**overrides):
    from tests.feedback.helpers import ANSWERS

    return {**ANSWERS, **overrides}


def test_answer_all_helper_marks_every_request():
    voucher = closed_voucher(contacts=2)
    answer_all(voucher)
    assert not FeedbackRequest.objects.filter(voucher=voucher, answered_at__isnull=True).exists()
