"""Issue 20, the office's daily tools: a new Antrag, a withdrawal, a closing reported and a
declined offer each send one email to the operator's office address and appear in the
"Eingang" of that operator's office — new since the last visit marked — and nowhere else."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from tests.factories import ApplicationFactory, OperatorFactory, ProgrammeFactory, UserFactory
from vouchers import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def operator():
    return OperatorFactory(office_notification_email="eingang@traeger.example")


def test_a_new_antrag_is_one_office_email_and_one_inbox_line(
    client, operator, django_capture_on_commit_callbacks
):
    programme = ProgrammeFactory(operator=operator)
    draft = ApplicationFactory(programme=programme, status="draft")
    member = draft.organisation.members.first()
    with django_capture_on_commit_callbacks(execute=True):
        services.submit_application(draft, by=member)
    office_mails = [m for m in mail.outbox if m.to == ["eingang@traeger.example"]]
    assert len(office_mails) == 1
    assert "Neuer Antrag eingereicht" in office_mails[0].subject
    assert f"/antraege/{draft.pk}/" in office_mails[0].body

    office = UserFactory(role="office", operators=[operator])
    client.force_login(office)
    first = client.get(reverse("inbox"))
    assert first.status_code == 200
    assert "Neuer Antrag eingereicht" in first.text
    assert ">neu<" in first.text
    second = client.get(reverse("inbox"))
    assert ">neu<" not in second.text  # seen now

    stranger = UserFactory(role="office", operators=[OperatorFactory()])
    client.force_login(stranger)
    assert "Neuer Antrag eingereicht" not in client.get(reverse("inbox")).text


def test_without_an_office_address_no_email_but_the_inbox_line(
    client, django_capture_on_commit_callbacks
):
    operator = OperatorFactory(office_notification_email="")
    application = ApplicationFactory(programme=ProgrammeFactory(operator=operator))
    member = application.organisation.members.first()
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        services.withdraw_application(application, by=member, reason="Bedarf entfallen")
    assert mail.outbox == []
    client.force_login(UserFactory(role="office", operators=[operator]))
    text = client.get(reverse("inbox")).text
    assert "Antrag zurückgezogen" in text
    assert "Bedarf entfallen" in text


def test_the_inbox_reads_a_constant_number_of_queries(
    client, operator, django_capture_on_commit_callbacks
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    programme = ProgrammeFactory(operator=operator)
    office = UserFactory(role="office", operators=[operator])
    client.force_login(office)

    def submit(n):
        for _ in range(n):
            draft = ApplicationFactory(programme=programme, status="draft")
            services.submit_application(draft, by=draft.organisation.members.first())

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get(reverse("inbox")).status_code == 200
        return len(ctx.captured_queries)

    submit(2)
    few = queries()
    submit(12)
    assert queries() == few
