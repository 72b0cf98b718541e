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
        if voucher.programme.kind == "werkstatt":
            assert voucher.application is None  # admitted through the call, no Antrag
        else:
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
    assert "draft" in statuses
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


# --- the programme platform (issue 14) ----------------------------------------------------

SLUGS = [
    "prozessbegleitung",
    "integration-durch-be",
    "virtuelle-begleitung",
    "entwicklungswerkstatt",
]


@pytest.mark.parametrize("slug", SLUGS)
def test_cases_in_every_state_in_all_four_programmes(seeded, slug):
    from portal.models import Programme

    programme = Programme.objects.get(slug=slug)
    voucher_states = set(programme.vouchers.values_list("status", flat=True))
    assert voucher_states >= {"issued", "active", "closing_requested", "closed"}
    app_states = set(programme.applications.values_list("status", flat=True))
    if programme.kind == "werkstatt":
        assert app_states == set()  # entry by call: admitted sites only
    elif programme.kind == "virtuell":
        assert app_states >= {"draft", "submitted", "in_review", "approved", "rejected"}
    else:
        assert app_states >= {s.value for s in Application.Status}


def test_every_antrag_obeys_its_programmes_eligibility(seeded):
    from vouchers.services.eligibility import _eligibility_reason

    for application in Application.objects.select_related("organisation", "programme"):
        organisation, programme = application.organisation, application.programme
        cohorts = set(organisation.cohorts.values_list("pk", flat=True))
        assert not programme.entry_by_call, application
        assert _eligibility_reason(organisation, programme, cohorts) == "", (
            organisation.name,
            programme.slug,
        )
    for voucher in Voucher.objects.select_related("organisation", "programme"):
        kinds = voucher.programme.eligible_kinds
        assert not kinds or voucher.organisation.kind in kinds, voucher.code


def test_an_organisation_with_a_fueak_process_and_a_virtuelle_begleitung(seeded):
    from demo.management.commands._demo_programmes import IN_PROCESS_ORGANISATION

    org = Organisation.objects.get(name=IN_PROCESS_ORGANISATION)
    process = org.vouchers.get(programme__kind="begleitprozess", status="active")
    sparring = org.vouchers.get(programme__kind="virtuell", status="active")
    assert process.programme.operator == sparring.programme.operator
    assert process.facilitators.count() == 2  # the moderation team
    shared = set(process.facilitators.all()) & set(sparring.facilitators.all())
    assert shared
    entries = sparring.sessions.all()
    assert any(e.with_facilitator_in_process for e in entries)
    for entry in entries:
        assert entry.with_facilitator_in_process == (entry.facilitator in shared)
    in_process_units = sum(e.units for e in entries if e.with_facilitator_in_process)
    assert in_process_units <= sparring.cap_units_in_process


OFFICE_VIEWS = {
    "office@demo.example": {"dsee"},
    "fueak@demo.example": {"fueak-bw"},
    "nrw@demo.example": {"ews-nrw"},
    "zwei@demo.example": {"dsee", "fueak-bw"},
}


@pytest.mark.parametrize(("email", "slugs"), OFFICE_VIEWS.items())
def test_one_office_login_per_operator_sees_only_its_programmes(client, seeded, email, slugs):
    from portal.scoping import programmes_for

    user = User.objects.get(email=email)
    assert {o.slug for o in user.operators.all()} == slugs
    assert {p.operator.slug for p in programmes_for(user)} == slugs
    assert email in seeded
    client.force_login(user)
    html = client.get(reverse("vouchers:queue")).content.decode()
    for voucher in Voucher.objects.select_related("programme__operator"):
        link = reverse("vouchers:case_detail", args=[voucher.pk])
        expected = 200 if voucher.programme.operator.slug in slugs else 404
        assert client.get(link).status_code == expected, (email, voucher.code)
    assert ("Programmträger wählen" in html) == (len(slugs) > 1)


def test_logins_are_printed_per_operator(seeded):
    assert "Programmbüros je Programmträger" in seeded
    assert "zwei@demo.example" in seeded
    assert "DSEE – Engagierte Stadt + Führungsakademie Baden-Württemberg" in seeded
