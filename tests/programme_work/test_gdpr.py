"""Project-group members and administration contacts in the GDPR export and erasure."""

from __future__ import annotations

import pytest

from programme_work.services import admission, groups
from reports.gdpr import anonymise_person, export_person_data
from tests.factories import ApplicationFactory, UserFactory

pytestmark = pytest.mark.django_db


def test_export_and_anonymise_cover_groups_and_contacts(case, process_programme, admin_user):
    person = UserFactory(email="aylin.demir@example.org", first_name="Aylin", last_name="Demir")
    member = case.organisation.members.first()
    groups.add_member(
        case,
        by=member,
        group="steuerungsgruppe",
        name="Aylin Demir",
        sector="migration",
        email="aylin.demir@example.org",
    )
    application = ApplicationFactory(programme=process_programme, status="submitted")
    admission.save_administration_contact(
        application,
        by=application.organisation.members.first(),
        name="Aylin Demir",
        email="aylin.demir@example.org",
    )
    data = export_person_data(person)
    assert data["project_groups"][0]["case"] == case.code
    assert data["administration_contacts"][0]["name"] == "Aylin Demir"

    anonymise_person(person, by=admin_user)
    stored = case.group_members.get()
    assert (stored.name, stored.email) == ("", "")
    application.administration_contact.refresh_from_db()
    assert application.administration_contact.name == ""
    assert "aylin" not in application.administration_contact.email
