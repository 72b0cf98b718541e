"""Test data for the browser tests, made with the factories and the real services."""

from __future__ import annotations

import datetime as dt

from django.core import mail
from django.utils import timezone

from portal.models import Operator, Organisation, Programme, Region, Topic, User
from tests.factories import (
    ApplicationFactory,
    FacilitatorFactory,
    OrganisationFactory,
    UserFactory,
    VoucherFactory,
)
from vouchers.models import Application, Voucher


def staff() -> dict[str, User]:
    return {
        # Works for every operator of the seeded programmes (as the migration attached the
        # office staff of an existing installation).
        "office": UserFactory(
            role=User.Role.OFFICE,
            email="buero@example.org",
            first_name="Paula",
            last_name="Programmbüro",
            operators=list(Operator.objects.all()),
        ),
        "admin": UserFactory(
            role=User.Role.ADMIN,
            email="admin@example.org",
            first_name="Anton",
            last_name="Admin",
            is_staff=True,
            is_superuser=True,
        ),
    }


def facilitator(programme: Programme, *, email: str = "begleitung@example.org", **names):
    """A facilitator whose profile matches a Baden-Württemberg Antrag on the first topics."""
    profile = FacilitatorFactory(
        user__email=email,
        user__first_name=names.get("first_name", "Friederike"),
        user__last_name=names.get("last_name", "Fähr"),
    )
    profile.topics.add(*Topic.objects.filter(programme=programme).order_by("order")[:3])
    profile.regions.add(Region.objects.get(code="BW"))
    profile.programmes.add(programme)
    return profile


def open_applications(programme: Programme) -> dict[str, Application]:
    """Three open Anträge of other organisations, one per tier 1, 2 and 4, submitted in
    the last days — so a new Antrag's place in the queue means something."""
    now = timezone.now()

    def application(name, *, weak, rural, confirmed, days_ago, had_voucher=False):
        org = OrganisationFactory(
            name=name,
            structurally_weak=weak,
            rural=rural,
            flags_confirmed=confirmed,
        )
        if had_voucher:
            VoucherFactory(organisation=org, programme=programme, status=Voucher.Status.CLOSED)
        app = ApplicationFactory(
            organisation=org,
            programme=programme,
            status=Application.Status.SUBMITTED,
            submitted_at=now - dt.timedelta(days=days_ago),
        )
        app.topics.add(Topic.objects.filter(programme=programme).order_by("order").first())
        return app

    return {
        "tier1": application(
            "Engagierte Stadt Albdorf", weak=False, rural=True, confirmed=True, days_ago=3
        ),
        "tier2": application(
            "Engagierte Stadt Bergheim", weak=False, rural=False, confirmed=True, days_ago=6
        ),
        "tier4": application(
            "Engagierte Stadt Calw-Nord",
            weak=False,
            rural=False,
            confirmed=True,
            days_ago=12,
            had_voucher=True,
        ),
    }


def active_case(programme: Programme, profile, *, minutes_logged: int = 0) -> Voucher:
    """An organisation with a submitted Antrag that became an active voucher, with
    ``profile`` assigned and some minutes already logged."""
    from sessions_log.services import log_session

    org = OrganisationFactory(name="Engagierte Stadt Dorfen", rural=True, flags_confirmed=True)
    application = ApplicationFactory(
        organisation=org, programme=programme, status=Application.Status.APPROVED
    )
    application.topics.add(*Topic.objects.filter(programme=programme).order_by("order")[:2])
    voucher = VoucherFactory(
        organisation=org,
        programme=programme,
        application=application,
        status=Voucher.Status.ACTIVE,
        facilitators=[profile],
    )
    today = timezone.localdate()
    while minutes_logged > 0:
        chunk = min(minutes_logged, 120)
        log_session(
            voucher,
            by=profile.user,
            date=today,
            minutes=chunk,
            activity="workshop",
            format="vor_ort",
            notes="Workshop mit der Steuerungsgruppe.",
        )
        minutes_logged -= chunk
    return voucher


def feedback_link_for_closed_case(voucher: Voucher, office: User) -> str:
    """Close ``voucher`` through the service; return the link of the feedback email."""
    from sessions_log.models import SessionEntry
    from sessions_log.services import confirm_entries
    from vouchers.services import close_voucher

    pending = SessionEntry.objects.filter(voucher=voucher, status="pending")
    if pending.exists():  # rule 10: the organisation confirms before the case can close
        confirm_entries(list(pending), by=voucher.organisation.members.first())
    mail.outbox.clear()
    close_voucher(voucher, by=office, report="Ziele erreicht.")
    return feedback_link_from_outbox()


def feedback_link_from_outbox() -> str:
    import re

    for message in mail.outbox:
        match = re.search(r"https?://\S+/feedback/[^/\s]+/", message.body)
        if match:
            return match.group(0)
    raise AssertionError(
        "no feedback email in the outbox: " + repr([m.subject for m in mail.outbox])
    )


def organisation_named(name: str) -> Organisation:
    return Organisation.objects.get(name=name)
