"""Logs without personal data: authentication events and refused authorisations are logged
with an event name and a user id only; Celery tasks receive ids only."""

from __future__ import annotations

import inspect
import logging

import pytest
from celery.signals import before_task_publish
from django.http import QueryDict
from django.urls import reverse

from agreements.services import start_regeneration
from portal.celery import app as celery_app
from reports.jobs import start_export_job
from tests.celery_worker import publishing_to
from tests.factories import TEST_PASSWORD, ProgrammeFactory, UserFactory, VoucherFactory
from vouchers.services import close_voucher

pytestmark = pytest.mark.django_db

IP = "10.20.30.40"
OUR_APPS = (
    "portal",
    "vouchers",
    "sessions_log",
    "agreements",
    "appointments",
    "programme_work",
    "reports",
)


@pytest.fixture
def person():
    return UserFactory(
        role="office",
        email="hildegard.vogelsang@example.org",
        first_name="Hildegard",
        last_name="Vogelsang",
    )


def personal_data_in(records, person) -> list[str]:
    found = []
    for record in records:
        text = record.getMessage()
        if record.exc_text:
            text += record.exc_text
        for value in (person.email, person.email.split("@")[0], person.last_name, IP):
            if value.lower() in text.lower():
                found.append(f"{record.name}: {text}")
    return found


def security_events(caplog) -> list[str]:
    return [r.getMessage() for r in caplog.records if r.name == "portal.security"]


def test_login_logout_and_failures_are_logged_by_user_id_only(client, caplog, person):
    caplog.set_level(logging.INFO)
    url = reverse("login")
    client.post(url, {"username": person.email, "password": "falsch-falsch-1"}, REMOTE_ADDR=IP)
    client.post(url, {"username": "unbekannt@example.org", "password": "x"}, REMOTE_ADDR=IP)
    client.post(url, {"username": person.email, "password": TEST_PASSWORD}, REMOTE_ADDR=IP)
    client.post(reverse("logout"), REMOTE_ADDR=IP)
    events = security_events(caplog)
    assert f"event=login_failed user_id={person.pk} locked_out=false" in events
    assert "event=login_failed user_id=- locked_out=false" in events
    assert f"event=login_success user_id={person.pk}" in events
    assert f"event=logout user_id={person.pk}" in events
    assert personal_data_in(caplog.records, person) == []


def test_a_lockout_is_logged_without_email_or_address(client, caplog, person):
    caplog.set_level(logging.INFO)
    for _ in range(6):
        client.post(
            reverse("login"),
            {"username": person.email, "password": "falsch-falsch-1"},
            REMOTE_ADDR=IP,
        )
    assert f"event=lockout user_id={person.pk}" in security_events(caplog)
    # django-axes' own lines name the client by a keyed pseudonym only.
    axes_lines = [r.getMessage() for r in caplog.records if r.name.startswith("axes")]
    assert any("client=" in line for line in axes_lines)
    assert personal_data_in(caplog.records, person) == []


def test_refused_authorisations_are_logged_with_the_view_name(client, caplog):
    applicant = UserFactory(role="applicant")
    voucher = VoucherFactory()
    client.force_login(applicant)
    caplog.set_level(logging.INFO)
    assert client.get(reverse("vouchers:queue")).status_code == 403
    assert client.get(reverse("vouchers:case_detail", args=[voucher.pk])).status_code == 404
    events = security_events(caplog)
    assert f"event=access_denied user_id={applicant.pk} view=vouchers:queue method=GET" in events
    assert f"event=not_found user_id={applicant.pk} view=vouchers:case_detail method=GET" in events
    assert personal_data_in(caplog.records, applicant) == []


def test_session_timeouts_are_logged(client, caplog, person):
    client.force_login(person)
    session = client.session
    session["security_seen_at"] -= 3600
    session.save()
    caplog.set_level(logging.INFO)
    client.get(reverse("vouchers:queue"))
    assert f"event=session_expired user_id={person.pk} reason=idle_timeout" in security_events(
        caplog
    )


# --- Celery: ids only -------------------------------------------------------------------


def our_tasks():
    celery_app.loader.import_default_modules()
    return {
        name: task for name, task in celery_app.tasks.items() if name.split(".", 1)[0] in OUR_APPS
    }


def test_every_task_takes_ids_only():
    tasks = our_tasks()
    assert {
        "vouchers.tasks.send_feedback_request",
        "agreements.tasks.regenerate_agreements",
        "reports.tasks.run_export",
    } <= set(tasks)
    for name, task in tasks.items():
        for parameter in inspect.signature(task.run).parameters.values():
            assert parameter.name.endswith(("_id", "_ids")), (name, parameter.name)
            assert parameter.annotation in (int, "int", list[int], "list[int]"), (
                name,
                parameter.annotation,
            )


def test_published_task_messages_carry_ids_only(django_capture_on_commit_callbacks):
    office = UserFactory(role="office")
    programme = ProgrammeFactory()
    voucher = VoucherFactory(programme=programme, status="active")
    published = []

    def record(sender=None, body=None, **kwargs):
        args, task_kwargs, _ = body
        published.append((sender, list(args), dict(task_kwargs)))

    before_task_publish.connect(record)
    try:
        with publishing_to("memory://", "h10-ids-only", tasks="vouchers.tasks.*"):
            with django_capture_on_commit_callbacks(execute=True):
                close_voucher(voucher, by=office, report="Abgeschlossen.")
            with django_capture_on_commit_callbacks(execute=True):
                start_regeneration(programme, by=office)
            with django_capture_on_commit_callbacks(execute=True):
                start_export_job(
                    by=office,
                    report_key="gutscheine",
                    file_format="csv",
                    params=QueryDict(),
                    total=1,
                )
    finally:
        before_task_publish.disconnect(record)
    names = {sender for sender, _, _ in published}
    assert {
        "vouchers.tasks.send_feedback_request",
        "agreements.tasks.regenerate_agreements",
        "reports.tasks.run_export",
    } <= names
    for sender, args, task_kwargs in published:
        values = [*args, *task_kwargs.values()]
        assert values, sender
        assert all(type(value) is int for value in values), (sender, args, task_kwargs)
