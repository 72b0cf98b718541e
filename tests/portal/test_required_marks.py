"""Issue 20, defect 7: required fields are marked on the Antrag and the registration, and the
page says once what the mark means."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from tests.factories import ProgrammeFactory, UserFactory

pytestmark = pytest.mark.django_db


def _marked(text: str) -> set[str]:
    return {
        match.group(1)
        for match in re.finditer(
            r'<label[^>]*for="id_([a-z_0-9]+)"[^>]*>(?:(?!</label>).)*asteriskField', text, re.S
        )
    }


def test_registration_marks_every_field_it_may_require(client):
    text = client.get(reverse("register")).content.decode()
    assert {"first_name", "last_name", "email", "password1", "password2"} <= _marked(text)
    assert {"org_name", "org_kind", "org_street", "org_postcode", "org_city"} <= _marked(text)
    assert "phone" not in _marked(text)
    assert text.count("sind Pflichtfelder") == 1


def test_refused_registration_names_the_field_without_the_mark(client):
    response = client.post(reverse("register"), {"organisation_choice": "new"})
    text = response.content.decode()
    assert "Bitte geben Sie „Name der Organisation“ an." in text
    assert "Name der Organisation*" not in text


def test_antrag_marks_what_submission_needs(client):
    programme = ProgrammeFactory()
    applicant = UserFactory(role="applicant")
    from tests.factories import OrganisationFactory

    organisation = OrganisationFactory(contact=False)
    applicant.organisation = organisation
    applicant.save(update_fields=["organisation"])
    client.force_login(applicant)
    response = client.get(reverse("vouchers:application_create", args=[programme.slug]))
    assert response.status_code == 200
    text = response.content.decode()
    assert {"challenge", "goals", "contact_name", "contact_email"} <= _marked(text)
    assert "müssen zum Absenden ausgefüllt sein" in text
