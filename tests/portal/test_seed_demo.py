"""``seed_demo``: idempotent, covers every state, and its logins reach their dashboards."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from demo.management.commands._demo_data import DEMO_PASSWORD, ROLE_LOGINS
from portal.models import AuditEntry, FacilitatorProfile, Organisation, User
from portal.views.public import HOME_BY_ROLE
from sessions_log.models import SessionEntry
from vouchers.models import Application, Voucher

pytestmark = pytest.mark.django_db

MODELS = (User, Organisation, FacilitatorProfile, Application, Voucher, SessionEntry, AuditEntry)


def _seed() -> str:
    out = StringIO()
    call_command("seed_demo", stdout=out)
    return out.getvalue()


def _counts():
    return {m.__name__: m.objects.count() for m in MODELS}


@pytest.fixture
def seeded(db):
    return _seed()


def test_running_twice_adds_nothing(seeded):
    first = _counts()
    _seed()
    assert _counts() == first


def test_volume_and_variety(seeded):
    orgs = Organisation.objects.filter(approved=True)
    assert orgs.count() >= 28
    assert orgs.values("bundesland").distinct().count() >= 12
    assert orgs.filter(kind="engagierte_stadt").exists()
    assert orgs.filter(kind__in=["kommune", "landkreis"], cohorts__isnull=False).exists()
    assert orgs.filter(rural=True).exists()
    assert orgs.filter(structurally_weak=True).exists()
    assert orgs.filter(flags_confirmed=True).exists()
    assert orgs.filter(flags_confirmed=False, rural=True).exists()
    assert Organisation.objects.filter(approved=False).exists()  # waits for the office
    profiles = FacilitatorProfile.objects.all()
    assert profiles.count() == 8
    for profile in profiles:
        assert profile.bio
        assert profile.topics.exists()
        assert profile.methods.exists()
        assert profile.regions.exists()
        assert profile.languages.exists()


def test_every_application_and_voucher_state_is_present(seeded):
    app_states = set(Application.objects.values_list("status", flat=True))
    assert app_states >= {s.value for s in Application.Status}
    voucher_states = set(Voucher.objects.values_list("status", flat=True))
    assert voucher_states >= {"issued", "active", "closing_requested", "closed"}
    for voucher in Voucher.objects.all():
        assert voucher.code.startswith(f"{voucher.programme.code_prefix}-")
        assert voucher.period == voucher.programme.current_period()
        assert voucher.application.status == "approved"
    submitted = Application.objects.exclude(status__in=["draft"])
    assert not submitted.filter(submitted_at__isnull=True).exists()


def test_demo_data_respects_the_caps_and_one_open_voucher_rule(seeded):
    for voucher in Voucher.objects.all():
        minutes = sum(voucher.sessions.values_list("minutes", flat=True))
        if voucher.cap_minutes:
            assert minutes <= voucher.cap_minutes
        if voucher.cap_units:
            assert sum(voucher.sessions.values_list("units", flat=True)) <= voucher.cap_units
        for entry in voucher.sessions.all():
            assert entry.facilitator in voucher.facilitators.all()
    for org in Organisation.objects.all():
        for programme_id in {v.programme_id for v in org.vouchers.all()}:
            open_ = org.vouchers.filter(programme_id=programme_id, status__in=Voucher.OPEN_STATUSES)
            assert open_.count() <= 1


def test_queue_shows_all_four_tiers(seeded):
    from portal.models import Programme
    from vouchers.services import ranked_queue

    tiers = {a.tier for a in ranked_queue(Programme.objects.get(slug="prozessbegleitung"))}
    assert tiers == {1, 2, 3, 4}


def test_demo_logins_own_what_the_demo_needs(seeded):
    applicant = User.objects.get(email="antrag@demo.example")
    statuses = set(applicant.organisation.applications.values_list("status", flat=True))
    assert {"draft", "submitted"} <= statuses
    assert applicant.organisation.vouchers.filter(status="active").exists()
    facilitator = User.objects.get(email="begleitung@demo.example")
    assert facilitator.facilitator_profile.vouchers.filter(status="active").count() >= 2
    admin = User.objects.get(email="admin@demo.example")
    assert admin.is_superuser
    assert admin.is_staff


def test_prints_the_logins_and_the_password(seeded):
    for email, *_ in ROLE_LOGINS:
        assert email in seeded
    assert DEMO_PASSWORD in seeded


@pytest.mark.parametrize(("email", "role"), [(e, r) for e, r, *_ in ROLE_LOGINS])
def test_each_demo_login_reaches_its_dashboard(client, seeded, email, role):
    response = client.post(reverse("login"), {"username": email, "password": DEMO_PASSWORD})
    assert response.status_code == 302
    if role == "admin":
        # Admins owe the second factor: the code page first, with the code that
        # demo_totp_code prints.
        page = client.get(response["Location"])
        assert page.status_code == 302
        assert page["Location"].startswith(reverse("two_factor_verify"))
        out = StringIO()
        call_command("demo_totp_code", email, stdout=out)
        code = out.getvalue().strip()
        assert len(code) == 6
        assert code.isdigit()
        response = client.post(reverse("two_factor_verify"), {"code": code})
        assert response.status_code == 302
    home = client.get(response["Location"])
    assert home.status_code == 302
    assert home["Location"] == reverse(HOME_BY_ROLE[role])
    assert client.get(home["Location"]).status_code == 200


def test_refuses_to_run_in_production_without_force(settings, monkeypatch):
    from portal.settings import base

    settings.DEBUG = False
    monkeypatch.setattr(base, "_SECRET_MISSING", False)
    with pytest.raises(CommandError):
        call_command("seed_demo", stdout=StringIO())
    assert not User.objects.filter(email="antrag@demo.example").exists()
