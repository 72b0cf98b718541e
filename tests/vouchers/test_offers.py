"""Rule 11: freed places are offered to the first in rank, reserved while open, and passed
on when declined or expired — never back to the same Antrag."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core import mail
from django.utils import timezone

from portal.audit import audit_trail
from portal.errors import ContingentExhausted, InvalidTransition, RuleViolation
from tests.factories import OperatorFactory, UserFactory
from tests.vouchers.offer_helpers import full_programme, member, waiting
from vouchers import services
from vouchers.models import AllocationEvent, Application, Offer, Voucher
from vouchers.services.queue import contingent_status

pytestmark = pytest.mark.django_db


def _cancel(voucher, office, capture=None):
    return services.cancel_voucher(voucher, by=office, reason="Die Stadt verzichtet.")


def test_cancel_before_signing_offers_to_first_in_rank_not_earliest(
    django_capture_on_commit_callbacks,
):
    programme, office, vouchers = full_programme()
    earliest = waiting(programme, minutes_ago=900)  # tier 2 (first-time only), earliest
    first_in_rank = waiting(programme, minutes_ago=10, rural=True)  # tier 1, later
    with django_capture_on_commit_callbacks(execute=True):
        cancelled = _cancel(vouchers[0], office)
    assert cancelled.status == Voucher.Status.CANCELLED
    assert cancelled.cancellation_reason == "Die Stadt verzichtet."
    offer = Offer.objects.get()
    assert offer.application == first_in_rank
    assert offer.status == "open"
    assert offer.tier == 1
    assert offer.rule.startswith("Rang 1, Eingang ")
    deadline = timezone.now() + dt.timedelta(days=programme.offer_days)
    assert abs((offer.expires_at - deadline).total_seconds()) < 60
    assert not Offer.objects.filter(application=earliest).exists()
    assert audit_trail(cancelled).filter(action="voucher.cancelled").exists()
    assert audit_trail(offer).get().action == "offer.made"
    subjects = [m.subject for m in mail.outbox]
    assert any("Ein Platz ist frei geworden" in s for s in subjects)
    assert any("storniert" in s for s in subjects)
    made = next(m for m in mail.outbox if "frei geworden" in m.subject)
    assert first_in_rank.contact_email in made.to
    assert offer.get_absolute_url() in made.body


def test_open_offer_reserves_its_place():
    programme, office, vouchers = full_programme()
    waiting(programme, minutes_ago=10, rural=True)
    other = waiting(programme, minutes_ago=20)
    _cancel(vouchers[0], office)
    with pytest.raises(ContingentExhausted) as refused:
        services.approve_application(other, by=office, facilitators=[])
    assert "angeboten" in refused.value.message
    status = contingent_status(programme)
    assert (status.used, status.offered, status.left) == (1, 1, 0)


def test_only_the_offered_organisation_may_accept():
    programme, office, vouchers = full_programme()
    offered = waiting(programme, minutes_ago=10, rural=True)
    stranger = waiting(programme, minutes_ago=20)
    _cancel(vouchers[0], office)
    offer = Offer.objects.get()
    for user in (member(stranger), office, UserFactory(role="admin")):
        with pytest.raises(InvalidTransition):
            services.accept_offer(offer, by=user)
    voucher = services.accept_offer(offer, by=member(offered))
    offer.refresh_from_db()
    offered.refresh_from_db()
    assert offer.status == "accepted"
    assert offered.status == "approved"
    assert voucher.application == offered
    assert voucher.status == "issued"
    assert voucher.period == offer.period
    # Accepted once: a second answer is refused.
    with pytest.raises(InvalidTransition):
        services.decline_offer(offer, by=member(offered))


def test_accept_emails_applicant_and_office(django_capture_on_commit_callbacks):
    programme, office, vouchers = full_programme()
    offered = waiting(programme, minutes_ago=10, rural=True)
    _cancel(vouchers[0], office)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        voucher = services.accept_offer(Offer.objects.get(), by=member(offered))
    subjects = " | ".join(m.subject for m in mail.outbox)
    assert voucher.code in subjects
    assert "Platzangebot angenommen" in subjects
    office_mail = next(m for m in mail.outbox if "Platzangebot angenommen" in m.subject)
    assert office_mail.to == [programme.operator.notification_address]
    assert AllocationEvent.objects.filter(kind="accepted", voucher=voucher).exists()


def test_accept_after_deadline_refused():
    programme, office, vouchers = full_programme()
    offered = waiting(programme, minutes_ago=10, rural=True)
    _cancel(vouchers[0], office)
    Offer.objects.update(expires_at=timezone.now() - dt.timedelta(minutes=1))
    with pytest.raises(InvalidTransition, match="Frist"):
        services.accept_offer(Offer.objects.get(), by=member(offered))


def test_decline_passes_to_next_and_keeps_antrag_waiting(django_capture_on_commit_callbacks):
    programme, office, vouchers = full_programme()
    first = waiting(programme, minutes_ago=10, rural=True)
    second = waiting(programme, minutes_ago=20)
    _cancel(vouchers[0], office)
    offer = Offer.objects.get(application=first)
    with django_capture_on_commit_callbacks(execute=True):
        declined = services.decline_offer(offer, by=member(first))
    assert declined.status == "declined"
    first.refresh_from_db()
    assert first.status == Application.Status.WAITLISTED
    assert Offer.objects.get(status="open").application == second
    assert any("abgelehnt" in m.subject and first.contact_email in m.to for m in mail.outbox)


def test_expired_offer_passes_to_next_and_never_returns():
    programme, office, vouchers = full_programme()
    first = waiting(programme, minutes_ago=10, rural=True)
    second = waiting(programme, minutes_ago=20)
    _cancel(vouchers[0], office)
    later = timezone.now() + dt.timedelta(days=programme.offer_days, minutes=1)
    assert services.expire_offers(now=later) == 1
    assert Offer.objects.get(application=first).status == "expired"
    to_second = Offer.objects.get(application=second)
    assert to_second.status == "open"
    # The second one expires too: nobody else waits, and the place never returns to `first`.
    Offer.objects.filter(pk=to_second.pk).update(expires_at=timezone.now())
    assert services.expire_offers(now=later) == 1
    assert Offer.objects.filter(application=first).count() == 1
    assert not Offer.objects.filter(status="open").exists()
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.status == second.status == Application.Status.WAITLISTED
    assert contingent_status(programme).left == 1  # the place is free, not lost


def test_expire_offers_twice_changes_nothing_more():
    programme, office, vouchers = full_programme()
    waiting(programme, minutes_ago=10, rural=True)
    waiting(programme, minutes_ago=20)
    waiting(programme, minutes_ago=30)
    _cancel(vouchers[0], office)
    later = timezone.now() + dt.timedelta(days=programme.offer_days, minutes=1)
    assert services.expire_offers(now=later) == 1
    offers = list(Offer.objects.values_list("pk", "status", "application_id"))
    events = AllocationEvent.objects.count()
    assert services.expire_offers(now=later) == 0
    assert list(Offer.objects.values_list("pk", "status", "application_id")) == offers
    assert AllocationEvent.objects.count() == events


def test_offer_of_withdrawn_antrag_passes_on():
    programme, office, vouchers = full_programme()
    first = waiting(programme, minutes_ago=10, rural=True)
    second = waiting(programme, minutes_ago=20)
    _cancel(vouchers[0], office)
    services.withdraw_application(first, by=member(first))
    assert services.expire_offers() == 1
    assert Offer.objects.get(status="open").application == second


def test_cancel_after_signing_keeps_the_place_used(django_capture_on_commit_callbacks, facilitator):
    programme, office, vouchers = full_programme()
    waiting(programme, minutes_ago=10, rural=True)
    signed = vouchers[0]
    signed.facilitators.add(facilitator)
    services.activate_voucher(signed, by=office)
    with django_capture_on_commit_callbacks(execute=True):
        _cancel(signed, office)
    assert not Offer.objects.exists()
    assert contingent_status(programme).used == 2
    assert any(m.to == [facilitator.user.email] and "beendet" in m.subject for m in mail.outbox)
    assert not facilitator.vouchers.filter(status__in=Voucher.OPEN_STATUSES).exists()
    assert AllocationEvent.objects.filter(kind="cancelled_signed").exists()


def test_cancel_guards():
    _programme, office, vouchers = full_programme()
    with pytest.raises(RuleViolation):
        services.cancel_voucher(vouchers[0], by=office, reason="  ")
    foreign = UserFactory(role="office", operators=[OperatorFactory()])
    with pytest.raises(InvalidTransition):
        services.cancel_voucher(vouchers[0], by=foreign, reason="x")
    with pytest.raises(InvalidTransition):
        services.cancel_voucher(vouchers[0], by=member(vouchers[0].application), reason="x")
    _cancel(vouchers[0], office)
    with pytest.raises(InvalidTransition):
        _cancel(vouchers[0], office)


def test_auto_offer_off_office_offers_with_one_click():
    programme, office, vouchers = full_programme(auto_offer=False)
    first = waiting(programme, minutes_ago=10, rural=True)
    _cancel(vouchers[0], office)
    assert not Offer.objects.exists()
    assert contingent_status(programme).left == 1
    foreign = UserFactory(role="office", operators=[OperatorFactory()])
    with pytest.raises(InvalidTransition):
        services.offer_free_place(programme, by=foreign)
    offer = services.offer_free_place(programme, by=office)
    assert offer.application == first
    with pytest.raises(ContingentExhausted):
        services.offer_free_place(programme, by=office)


def test_applicant_returns_unsigned_voucher_directly():
    programme, office, vouchers = full_programme()
    first = waiting(programme, minutes_ago=10, rural=True)
    holder = member(vouchers[0].application)
    with pytest.raises(InvalidTransition):
        services.return_voucher(vouchers[0], by=member(first), reason="x")
    services.return_voucher(vouchers[0], by=holder, reason="Kein Bedarf mehr")
    assert Offer.objects.get().application == first
    services.activate_voucher(vouchers[1], by=office)
    with pytest.raises(InvalidTransition, match="Unterschrift"):
        services.return_voucher(vouchers[1], by=member(vouchers[1].application), reason="x")


def test_raised_contingent_is_offered():
    programme, office, _vouchers = full_programme()
    first = waiting(programme, minutes_ago=10, rural=True)
    second = waiting(programme, minutes_ago=20)
    period = programme.current_period()
    with pytest.raises(RuleViolation):
        services.change_contingent(period, by=office, contingent=1)
    services.change_contingent(period, by=office, contingent=4)
    assert set(Offer.objects.values_list("application", flat=True)) == {first.pk, second.pk}
    assert contingent_status(programme).left == 0


def test_approving_the_offered_antrag_uses_its_own_offer():
    programme, office, vouchers = full_programme()
    offered = waiting(programme, minutes_ago=10, rural=True)
    _cancel(vouchers[0], office)
    voucher = services.approve_application(offered, by=office, facilitators=[])
    assert voucher.application == offered
    assert Offer.objects.get().status == "accepted"
    assert contingent_status(programme).used == 2
