"""Issue 21, F1 (found again by the fuzzing's integer bounds): an id beyond the 64-bit range
in a choice field is an invalid choice, not a database error (SQLite raised OverflowError)."""

import pytest
from django.urls import reverse

from tests.factories import ApplicationFactory, ProgrammeFactory, UserFactory

pytestmark = pytest.mark.django_db

TOO_BIG = "9223372036854775808"


def test_antrag_with_an_impossible_topic_id_is_a_form_error(client):
    programme = ProgrammeFactory()
    draft = ApplicationFactory(programme=programme, status="draft")
    client.force_login(draft.organisation.members.first())
    url = reverse("vouchers:application_edit", args=[draft.pk])
    response = client.post(url, {"topics": [TOO_BIG], "preferred_language": TOO_BIG})
    assert response.status_code == 400
    assert "Auswahl" in response.content.decode() or "gültig" in response.content.decode()


def test_report_filter_with_an_impossible_id_lists_nothing(client):
    client.force_login(UserFactory(role="office"))
    response = client.get(
        reverse("reports:report_list", args=["gutscheine"]), {"programme": TOO_BIG}
    )
    assert response.status_code in (200, 400)


def test_directory_filter_with_an_impossible_id(client):
    client.force_login(UserFactory(role="applicant"))
    response = client.get(
        reverse("facilitator_directory"), {"region": TOO_BIG, "language": TOO_BIG}
    )
    assert response.status_code in (200, 400)
