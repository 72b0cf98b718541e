"""Shared set-ups of the offer, lottery and allocation-log tests."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from tests.factories import ApplicationFactory, OrganisationFactory, ProgrammeFactory, UserFactory
from vouchers import services


def waiting(programme, *, minutes_ago: int, weak: bool = False, rural: bool = False, **kwargs):
    """An open Antrag submitted ``minutes_ago`` minutes ago."""
    organisation = OrganisationFactory(structurally_weak=weak, rural=rural)
    return ApplicationFactory(
        programme=programme,
        organisation=organisation,
        submitted_at=timezone.now() - dt.timedelta(minutes=minutes_ago),
        **kwargs,
    )


def full_programme(contingent: int = 2, **programme_fields):
    """A programme whose contingent is used up by vouchers issued through the service.
    Returns (programme, office user, vouchers)."""
    programme = ProgrammeFactory(contingent=contingent, **programme_fields)
    office = UserFactory(role="office", operators=[programme.operator])
    vouchers = [
        services.approve_application(
            waiting(programme, minutes_ago=5000 + i, rural=True), by=office, facilitators=[]
        )
        for i in range(contingent)
    ]
    return programme, office, vouchers


def member(application):
    return application.organisation.members.get()
