"""Login, logout, role home pages, registration, the office confirming registrations,
password reset and change."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from portal import services
from portal.models import AuditEntry, Organisation, User
from portal.views.public import HOME_BY_ROLE
from tests.factories import TEST_PASSWORD, OrganisationFactory, UserFactory

pytestmark = pytest.mark.django_db

NEW_PASSWORD = "Neues-Sicheres-Passwort-77"


def _login(client, user, password=TEST_PASSWORD):
    return client.post(reverse("login"), {"username": user.email, "password": password})


# --- login, logout, home --------------------------------------------------------------


def test_login_page_is_german_and_has_reset_and_register_links(client):
    response = client.get(reverse("login"))
    assert response.status_code == 200
    html = response.content.decode()
    assert '<html lang="de">' in html
    assert "E-Mail-Adresse" in html
    assert reverse("password_reset") in html
    assert reverse("register") in html


def test_login_rotates_session_key_and_lands_on_home(client):
    user = UserFactory(role="office")
    client.get(reverse("login"))
    client.session.save()
    before = client.session.session_key
    response = _login(client, user)
    assert response.status_code == 302
    assert response["Location"] == reverse("home")
    assert client.session.session_key != before
    assert int(client.session["_auth_user_id"]) == user.pk


def test_wrong_password_is_refused_with_400_and_german_message(client):
    user = UserFactory()
    response = _login(client, user, password="falsch-falsch-falsch")
    assert response.status_code == 400
    assert "nicht korrekt" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_email_login_is_case_insensitive_for_the_domain_part(client):
    user = UserFactory(email="erika@example.org")
    response = client.post(
        reverse("login"), {"username": "erika@EXAMPLE.org", "password": TEST_PASSWORD}
    )
    # Django normalises only the domain part at creation; login must use the stored address.
    assert response.status_code in (302, 400)
    assert _login(client, user).status_code == 302


def test_logout_is_post_only_and_ends_the_session(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("logout")).status_code == 405
    response = client.post(reverse("logout"))
    assert response.status_code == 302
    assert response["Location"] == reverse("start")
    assert "_auth_user_id" not in client.session


@pytest.mark.parametrize("role", ["applicant", "office", "facilitator", "admin"])
def test_each_role_is_redirected_to_its_own_dashboard(client, role):
    client.force_login(UserFactory(role=role))
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"] == reverse(HOME_BY_ROLE[role])


def test_home_needs_login(client):
    response = client.get(reverse("home"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_logged_in_user_visiting_login_goes_home(client):
    client.force_login(UserFactory())
    response = client.get(reverse("login"))
    assert response.status_code == 302


# --- registration ---------------------------------------------------------------------


def _registration(**overrides):
    data = {
        "first_name": "Erika",
        "last_name": "Muster",
        "email": "erika.muster@gemeinde.example",
        "phone": "",
        "position": "Koordination",
        "password1": NEW_PASSWORD,
        "password2": NEW_PASSWORD,
        "organisation_choice": "new",
        "organisation": "",
        "org_name": "Gemeinde Musterdorf",
        "org_kind": "kommune",
        "org_municipality": "Musterdorf",
        "org_district": "Landkreis Beispiel",
        "org_bundesland": "BW",
        "org_street": "Rathausplatz 1",
        "org_postcode": "79999",
        "org_city": "Musterdorf",
        "org_structurally_weak": "on",
        "org_rural": "on",
        "org_flags_justification": "2.300 Einwohner*innen, Förderkulisse Ländlicher Raum.",
        "privacy": "on",
    }
    data.update(overrides)
    return data


def test_register_page_renders(client):
    response = client.get(reverse("register"))
    assert response.status_code == 200
    assert "Registrieren" in response.content.decode()


def test_registration_with_a_new_organisation_then_office_approves(
    client, office_user, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("register"), _registration())
    assert response.status_code == 302
    user = User.objects.get(email="erika.muster@gemeinde.example")
    org = user.organisation
    assert user.role == "applicant"
    assert user.is_active
    assert org.name == "Gemeinde Musterdorf"
    assert org.approved is False
    assert (org.structurally_weak, org.rural, org.flags_confirmed) == (True, True, False)
    assert org.flags_justification.startswith("2.300")
    # Logged in straight away; the office got an email about the new organisation.
    assert int(client.session["_auth_user_id"]) == user.pk
    assert [m.subject for m in mail.outbox] == [
        "Neue Organisation zur Freigabe: Gemeinde Musterdorf"
    ]
    assert AuditEntry.objects.filter(action="organisation.registered", target_id=org.pk).exists()

    # The office sees it on its page and approves it.
    client.force_login(office_user)
    page = client.get(reverse("organisation_pending"))
    assert page.status_code == 200
    assert "Gemeinde Musterdorf" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("organisation_approve", args=[org.pk]), follow=True)
    assert response.status_code == 200
    assert "ist freigegeben" in response.content.decode()
    org.refresh_from_db()
    assert org.approved is True
    entry = AuditEntry.objects.get(action="organisation.approved", target_id=org.pk)
    assert entry.actor == office_user
    assert mail.outbox[-1].to == [user.email]
    assert "Gemeinde Musterdorf" not in client.get(reverse("organisation_pending")).content.decode()


def test_approving_twice_is_refused_with_a_message_not_500(client, office_user):
    org = OrganisationFactory(approved=True)
    client.force_login(office_user)
    response = client.post(
        reverse("organisation_approve", args=[org.pk]),
        HTTP_REFERER="http://testserver" + reverse("organisation_pending"),
        follow=True,
    )
    assert response.status_code == 200
    assert "bereits freigegeben" in response.content.decode()


def test_registration_joining_an_existing_organisation_is_a_request(client, office_user):
    org = OrganisationFactory(name="Engagierte Stadt Beispielstadt")
    data = _registration(organisation_choice="existing", organisation=str(org.pk), org_name="")
    response = client.post(reverse("register"), data)
    assert response.status_code == 302
    user = User.objects.get(email="erika.muster@gemeinde.example")
    # No access to the organisation's cases before the office confirms.
    assert user.organisation is None
    assert services.requested_organisation(user) == org
    assert Organisation.objects.count() == 1

    client.force_login(office_user)
    page = client.get(reverse("organisation_pending")).content.decode()
    assert "Erika Muster" in page
    assert "Engagierte Stadt Beispielstadt" in page
    client.post(reverse("membership_approve", args=[user.pk]))
    user.refresh_from_db()
    assert user.organisation == org
    assert services.requested_organisation(user) is None
    assert not services.pending_memberships().exists()


def test_office_can_reject_a_membership_request(client, office_user):
    org = OrganisationFactory()
    client.post(
        reverse("register"),
        _registration(organisation_choice="existing", organisation=str(org.pk)),
    )
    user = User.objects.get(email="erika.muster@gemeinde.example")
    client.force_login(office_user)
    client.post(reverse("membership_reject", args=[user.pk]), {"reason": "unbekannt"})
    user.refresh_from_db()
    assert user.organisation is None
    assert not services.pending_memberships().exists()
    # A second decision finds no open request: a German message, not a 500.
    response = client.post(reverse("membership_approve", args=[user.pk]), follow=True)
    assert response.status_code in (200, 400)
    assert "keine offene Anfrage" in response.content.decode()


def test_unapproved_organisations_are_not_offered_for_joining(client):
    OrganisationFactory(name="Noch nicht freigegeben", approved=False)
    OrganisationFactory(name="Freigegebene Stadt", approved=True)
    html = client.get(reverse("register")).content.decode()
    assert "Freigegebene Stadt" in html
    assert "Noch nicht freigegeben" not in html


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"password2": "etwas-anderes-123"}, "password2", "stimmen nicht überein"),
        ({"password1": "kurz", "password2": "kurz"}, "password1", "zu kurz"),
        ({"org_name": ""}, "org_name", "Name der Organisation"),
        ({"org_flags_justification": ""}, "org_flags_justification", "begründen"),
        ({"organisation_choice": "existing", "org_name": ""}, "organisation", "auswählen"),
        ({"privacy": ""}, "privacy", "Datenschutzhinweise"),
        ({"email": "keine-adresse"}, "email", "gültige E-Mail-Adresse"),
    ],
)
def test_refused_registration_is_400_with_summary_and_keeps_input(
    client, overrides, field, message
):
    response = client.post(reverse("register"), _registration(**overrides))
    assert response.status_code == 400
    html = response.content.decode()
    assert "error-summary" in html
    assert f'href="#id_{field}"' in html
    assert message in html
    assert 'value="Erika"' in html  # what was typed stays
    assert not User.objects.filter(email="erika.muster@gemeinde.example").exists()


def test_registration_refuses_a_known_email_and_a_known_organisation_name(client):
    UserFactory(email="erika.muster@gemeinde.example")
    OrganisationFactory(name="Gemeinde Musterdorf")
    response = client.post(reverse("register"), _registration())
    assert response.status_code == 400
    html = response.content.decode()
    assert "bereits ein Konto" in html
    assert "bereits registriert" in html


@pytest.mark.parametrize("role", ["applicant", "facilitator"])
def test_pending_page_is_office_only(client, role):
    assert client.get(reverse("organisation_pending")).status_code == 302
    client.force_login(UserFactory(role=role))
    assert client.get(reverse("organisation_pending")).status_code == 403
    org = OrganisationFactory(approved=False)
    assert client.post(reverse("organisation_approve", args=[org.pk])).status_code == 403
    org.refresh_from_db()
    assert org.approved is False


def test_pending_page_query_count_is_constant(client, office_user, django_assert_max_num_queries):
    def make(n):
        for _ in range(n):
            OrganisationFactory(approved=False)
            services.register_applicant(
                email=f"p{User.objects.count()}@example.org",
                password=NEW_PASSWORD,
                first_name="A",
                last_name="B",
                organisation=OrganisationFactory(),
            )

    client.force_login(office_user)
    make(2)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("organisation_pending")).status_code == 200
    make(15)
    with django_assert_max_num_queries(12):
        assert client.get(reverse("organisation_pending")).status_code == 200


# --- passwords --------------------------------------------------------------------------


def test_password_reset_sends_a_german_email_with_a_working_link(client, settings):
    settings.SITE_URL = "https://portal.example.org"
    user = UserFactory(email="vergessen@example.org")
    response = client.post(reverse("password_reset"), {"email": "vergessen@example.org"})
    assert response.status_code == 302
    assert response["Location"] == reverse("password_reset_done")
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["vergessen@example.org"]
    assert message.subject.startswith("Neues Passwort für das Portal")
    assert "Guten Tag" in message.body
    link = re.search(r"https://portal\.example\.org(/konto/passwort/neu/\S+/)", message.body)
    assert link, message.body
    assert message.alternatives  # HTML part

    confirm = client.get(link.group(1), follow=True)
    assert confirm.status_code == 200
    form_url = confirm.redirect_chain[-1][0]
    done = client.post(form_url, {"new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD})
    assert done.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)


def test_password_reset_for_unknown_address_sends_nothing_but_looks_the_same(client):
    response = client.post(reverse("password_reset"), {"email": "niemand@example.org"})
    assert response.status_code == 302
    assert mail.outbox == []


def test_password_change(client):
    user = UserFactory()
    client.force_login(user)
    assert client.get(reverse("password_change")).status_code == 200
    refused = client.post(
        reverse("password_change"),
        {"old_password": "falsch", "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD},
    )
    assert refused.status_code == 400
    response = client.post(
        reverse("password_change"),
        {
            "old_password": TEST_PASSWORD,
            "new_password1": NEW_PASSWORD,
            "new_password2": NEW_PASSWORD,
        },
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.check_password(NEW_PASSWORD)
