"""GDPR tools: export a person's data, anonymise a person (totals unchanged, nothing of the
person left in any text column), retention of closed cases, and the management commands."""

import datetime as dt
import json

import pytest
from django.conf import settings
from django.core.management import call_command
from django.db import connection
from django.urls import reverse
from django.utils import timezone

from portal.audit import log_action
from portal.models import AuditEntry, User
from reports import gdpr
from reports.exports import csv_rows
from reports.figures import programme_dashboard
from reports.registry import VOUCHERS, filtered_queryset
from sessions_log.models import SessionEntry
from tests.factories import ApplicationFactory, UserFactory, VoucherFactory
from tests.reports import scenario
from vouchers.models import Application, FeedbackRequest

pytestmark = pytest.mark.django_db

FIRST, LAST = "Hildegard", "Zwirbelmeier-Öztürk"
EMAIL, PHONE = "h.zwirbelmeier@example.org", "+49 7071 998877"


@pytest.fixture
def s():
    return scenario.build()


@pytest.fixture
def person(s):
    user = UserFactory(
        role="applicant",
        organisation=s.org_a,
        first_name=FIRST,
        last_name=LAST,
        email=EMAIL,
        phone=PHONE,
        position="Kämmerei",
    )
    full = f"{FIRST} {LAST}"
    Application.objects.filter(pk=s.app_a.pk).update(
        contact_name=full, contact_email=EMAIL.upper(), contact_phone=PHONE, created_by=user
    )
    scenario.feedback(s.vA, email=EMAIL, name=full)
    FeedbackRequest.objects.filter(recipient_email=EMAIL).update(recipient=user)
    SessionEntry.objects.create(
        voucher=s.vA,
        facilitator=s.facilitator,
        date=dt.date(2025, 3, 4),
        minutes=30,
        activity="vorbereitung",
        format="telefon",
        notes=f"Telefonat mit {full} ({PHONE}), Rückfragen an {EMAIL}.",
    )
    log_action(
        user,
        "application.submitted",
        s.app_a,
        reason=f"eingereicht von {full}",
        data={"email": EMAIL, "name": full, "nested": [{"by": f"{LAST}, {FIRST}"}]},
    )
    return user


def person_traces():
    """Every (table, column value) in the whole database that still contains the person."""
    # Not the first name alone: a random factory user might share it.
    needles = [EMAIL.lower(), PHONE, LAST.lower(), f"{FIRST} {LAST}".lower()]
    escaped = [json.dumps(n)[1:-1].lower() for n in needles]
    hits = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from introspection
            for row in cursor.fetchall():
                for value in row:
                    if value is None:
                        continue
                    text = (value if isinstance(value, str) else str(value)).lower()
                    if any(n.lower() in text for n in needles + escaped):
                        hits.append((table, text[:80]))
    return hits


def voucher_export(user):
    _, qs = filtered_queryset(VOUCHERS, user, None)
    return sorted(csv_rows(VOUCHERS, qs.order_by("code")))


def test_anonymise_keeps_totals_and_leaves_no_trace(s, person, admin_user):
    before = programme_dashboard(s.programme, s.period, today=scenario.TODAY)
    export_before = voucher_export(admin_user)
    assert person_traces()  # the check sees the person before

    result = gdpr.anonymise_person(person, by=admin_user)

    assert person_traces() == []
    after = programme_dashboard(s.programme, s.period, today=scenario.TODAY)
    assert after == before  # contingent, tiers, hours, feedback, medians, monthly …
    assert voucher_export(admin_user) == export_before
    person.refresh_from_db()
    assert person.email == f"geloescht-{person.pk}@invalid"
    assert (person.first_name, person.last_name, person.phone, person.position) == ("", "", "", "")
    assert not person.is_active
    assert not person.has_usable_password()
    assert person.organisation == s.org_a  # still counts for its organisation
    assert result.applications == 1
    assert result.feedback_requests == 1
    app = Application.objects.get(pk=s.app_a.pk)
    assert (app.contact_name, app.contact_email, app.contact_phone) == ("", person.email, "")
    assert AuditEntry.objects.filter(action="person.anonymised", target_id=person.pk).exists()
    assert SessionEntry.objects.filter(voucher=s.vA).count() == 3


def test_anonymise_facilitator_clears_profile_keeps_hours(s, admin_user):
    f = s.facilitator
    f.bio = "Ich heiße Fritzi Fadenschein."
    f.save()
    f.user.first_name, f.user.last_name = "Fritzi", "Fadenschein"
    f.user.save()
    before = programme_dashboard(s.programme, s.period, today=scenario.TODAY)
    gdpr.anonymise_person(f.user, by=admin_user)
    f.refresh_from_db()
    assert f.bio == ""
    assert not f.active
    assert (
        programme_dashboard(s.programme, s.period, today=scenario.TODAY).minutes_used
        == before.minutes_used
    )


def test_export_person_data_view(client, admin_user, office_user, person):
    url = reverse("reports:gdpr_export", args=[person.pk])
    client.force_login(office_user)
    assert client.get(url).status_code == 403  # admins only
    client.force_login(admin_user)
    response = client.get(url)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    data = json.loads(response.content)
    assert data["person"]["email"] == EMAIL
    assert data["person"]["last_name"] == LAST
    assert data["applications"][0]["contact_phone"] == PHONE
    assert data["feedback"][0]["recipient_email"] == EMAIL
    assert any(e["action"] == "application.submitted" for e in data["audit_entries"])
    assert AuditEntry.objects.filter(action="person.data_exported", target_id=person.pk).exists()


def test_gdpr_search_and_anonymise_views(client, admin_user, person):
    client.force_login(admin_user)
    page = client.get(reverse("reports:gdpr"), {"q": "zwirbel"})
    assert EMAIL in page.content.decode()
    assert client.get(reverse("reports:gdpr"), {"q": "a"}).status_code == 400  # too short
    url = reverse("reports:gdpr_anonymise", args=[person.pk])
    assert client.get(url).status_code == 200
    refused = client.post(url, {})
    assert refused.status_code == 400
    assert "error-summary" in refused.content.decode()
    person.refresh_from_db()
    assert person.email == EMAIL
    response = client.post(url, {"confirm": "yes"})
    assert response.status_code == 302
    person.refresh_from_db()
    assert gdpr.is_anonymised(person)
    assert (
        client.post(
            reverse("reports:gdpr_anonymise", args=[admin_user.pk]), {"confirm": "yes"}
        ).status_code
        == 302
    )
    admin_user.refresh_from_db()
    assert not gdpr.is_anonymised(admin_user)  # nobody erases themselves by accident


def test_commands_export_and_anonymise(person, tmp_path, capsys):
    out = tmp_path / "person.json"
    call_command("export_person", EMAIL.upper(), output=str(out))
    assert json.loads(out.read_text(encoding="utf-8"))["person"]["phone"] == PHONE
    call_command("anonymise_person", str(person.pk), yes=True)
    assert "anonymisiert" in capsys.readouterr().out
    person.refresh_from_db()
    assert gdpr.is_anonymised(person)
    assert person_traces() == []


# --- Retention ---------------------------------------------------------------------------


@pytest.fixture
def closed_cases(db):
    old_closed = timezone.now() - dt.timedelta(days=settings.RETENTION_DAYS_AFTER_CLOSE + 5)
    recent_closed = timezone.now() - dt.timedelta(days=10)
    cases = {}
    for name, status, closed in (
        ("old", "feedback_received", old_closed),
        ("recent", "closed", recent_closed),
        ("open", "active", None),
    ):
        app = ApplicationFactory(
            status="approved", contact_name=f"Kontakt {name}", contact_phone="0711 123456"
        )
        v = VoucherFactory(
            organisation=app.organisation,
            programme=app.programme,
            application=app,
            status=status,
            closed_at=closed,
        )
        scenario.feedback(
            v, email=f"{name}@example.org", name=f"Kontakt {name}", answer=(4, 4, 4, True)
        )
        cases[name] = v
    return cases


def test_retention_anonymises_only_long_closed_cases(closed_cases):
    dry = gdpr.apply_retention(dry_run=True)
    assert (dry.vouchers, dry.applications, dry.feedback_requests) == (1, 1, 1)
    assert Application.objects.get(voucher=closed_cases["old"]).contact_name == "Kontakt old"

    result = gdpr.apply_retention()
    assert (result.vouchers, result.applications, result.feedback_requests) == (1, 1, 1)
    old = Application.objects.get(voucher=closed_cases["old"])
    assert (old.contact_name, old.contact_email, old.contact_phone) == ("", "", "")
    request = FeedbackRequest.objects.get(voucher=closed_cases["old"])
    assert request.recipient_email == f"geloescht-anfrage-{request.pk}@invalid"
    assert request.recipient_name == ""
    assert request.recipient is None
    assert hasattr(request, "response")  # the answers (statistical core) stay
    for name in ("recent", "open"):
        assert Application.objects.get(voucher=closed_cases[name]).contact_name == f"Kontakt {name}"
        assert (
            FeedbackRequest.objects.get(voucher=closed_cases[name]).recipient_email
            == f"{name}@example.org"
        )
    assert (
        AuditEntry.objects.filter(
            action="case.retention_anonymised", target_id=closed_cases["old"].pk
        ).count()
        == 1
    )
    again = gdpr.apply_retention()
    assert again.vouchers == 0  # idempotent


def test_retention_command_task_and_beat_entry(closed_cases, capsys):
    call_command("apply_retention", "--dry-run")
    assert "Würde anonymisieren: 1 Begleitungen" in capsys.readouterr().out
    from reports.tasks import apply_retention

    assert apply_retention.delay().get() == 1
    call_command("apply_retention", "--days", "5")
    assert "Anonymisiert: 1 Begleitungen" in capsys.readouterr().out  # the recent one now
    schedule = settings.CELERY_BEAT_SCHEDULE["reports-apply-retention"]
    assert schedule["task"] == "reports.tasks.apply_retention"
    assert "reports.tasks" in settings.CELERY_IMPORTS


def test_retention_keeps_report_totals(s):
    Application.objects.filter(pk=s.app_c.pk).update(contact_name="Erika Beispiel")
    before = programme_dashboard(s.programme, s.period, today=scenario.TODAY)
    result = gdpr.apply_retention(now=dt.datetime(2030, 1, 1, tzinfo=dt.UTC))
    assert result.vouchers >= 1
    assert programme_dashboard(s.programme, s.period, today=scenario.TODAY) == before
    assert User.objects.filter(is_active=True).exists()


def test_sweep_leaves_look_alike_data_of_other_people(s, person, admin_user):
    bystander = UserFactory(
        email="ah.zwirbelmeier@example.org", first_name=FIRST, last_name=f"{LAST}ová"
    )
    note = SessionEntry.objects.create(
        voucher=s.vA,
        facilitator=s.facilitator,
        date=dt.date(2025, 3, 5),
        minutes=30,
        activity="vorbereitung",
        format="telefon",
        notes=f"Mail an ah.zwirbelmeier@example.org und an {EMAIL}. Danach {FIRST} {LAST}ová angerufen.",
    )
    gdpr.anonymise_person(person, by=admin_user)
    bystander.refresh_from_db()
    assert bystander.email == "ah.zwirbelmeier@example.org"
    assert bystander.last_name == f"{LAST}ová"
    note.refresh_from_db()
    assert note.notes == (
        f"Mail an ah.zwirbelmeier@example.org und an geloescht-{person.pk}@invalid. "
        f"Danach {FIRST} {LAST}ová angerufen."
    )
