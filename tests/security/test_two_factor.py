"""Two-factor login (TOTP) through the real pages: required for admins, optional for office
staff, not offered to other roles. These tests log in with the login form (not
``force_login``, which stands for a completed login including the second factor)."""

from __future__ import annotations

import re
import time
from base64 import b32decode

import pytest
from django.urls import reverse
from django_otp.oath import TOTP
from django_otp.plugins.otp_static.models import StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.models import AuditEntry
from portal.security import two_factor
from tests.factories import TEST_PASSWORD, TOTPDeviceFactory, UserFactory
from tests.security.matrix import GET_MATRIX, url_for, url_names

SECRET = re.compile(r'<code class="fs-5" id="totp-secret">([A-Z2-7 ]+)</code>')


def code_for_key(key: bytes, at: float | None = None) -> str:
    totp = TOTP(key)
    if at is not None:
        totp.time = at
    return f"{totp.token():06d}"


def code_for(device: TOTPDevice, at: float | None = None) -> str:
    return code_for_key(device.bin_key, at)


def password_login(client, user):
    response = client.post(reverse("login"), {"username": user.email, "password": TEST_PASSWORD})
    assert response.status_code == 302, response.content.decode()[:500]
    return response


@pytest.fixture
def admin(db):
    return UserFactory(role="admin", is_staff=True, is_superuser=True)


# --- admins must set it up ------------------------------------------------------------------


def test_admin_without_device_is_sent_to_setup_and_completes_it(
    client, admin, mailoutbox, django_capture_on_commit_callbacks
):
    password_login(client, admin)
    response = client.get(reverse("reports:dashboard"))
    assert response.status_code == 302
    assert response["Location"] == reverse("two_factor_setup") + "?next=%2Fberichte%2F"

    page = client.get(response["Location"])
    text = page.content.decode()
    assert page.status_code == 200
    assert "Für Administrationskonten ist die Zwei-Faktor-Anmeldung vorgeschrieben" in text
    assert 'src="data:image/svg+xml' in text  # the QR code, made here, nothing from outside
    secret = SECRET.search(text).group(1)
    key = b32decode(secret.replace(" ", "") + "=" * (-len(secret.replace(" ", "")) % 8))
    # Reloading shows the same key (the set-up can be finished after a reload).
    assert SECRET.search(client.get(response["Location"]).content.decode()).group(1) == secret

    wrong = client.post(reverse("two_factor_setup"), {"code": "000000"})
    if code_for_key(key) != "000000":
        assert wrong.status_code == 400
        assert "Der Code passt nicht" in wrong.content.decode()
        assert not TOTPDevice.objects.filter(user=admin, confirmed=True).exists()
        time.sleep(1.1)  # django-otp refuses any code for 1 s after a wrong one

    with django_capture_on_commit_callbacks(execute=True):
        done = client.post(reverse("two_factor_setup"), {"code": code_for_key(key)})
    assert done.status_code == 200
    assert "no-store" in done["Cache-Control"]
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", done.content.decode())
    assert len(codes) == two_factor.BACKUP_CODE_COUNT == len(set(codes))
    device = TOTPDevice.objects.get(user=admin)
    assert device.confirmed
    assert device.bin_key == key
    assert StaticToken.objects.filter(device__user=admin).count() == 10
    assert AuditEntry.objects.filter(action="two_factor.enabled", target_id=admin.pk).exists()
    assert [m.subject for m in mailoutbox] == ["Zwei-Faktor-Anmeldung eingerichtet"]
    assert client.get(reverse("reports:dashboard")).status_code == 200


def test_every_page_but_the_code_pages_waits_for_an_unverified_admin(client, world):
    """Logged in with the password only, the admin reaches no page of the matrix: each one
    sends to the set-up page (or answers as for anyone, e.g. 405 for POST-only URLs)."""
    admin = world.user("admin")
    TOTPDevice.objects.filter(user=admin).delete()
    password_login(client, admin)
    open_pages = {"two_factor_setup", "two_factor_verify"}
    setup = reverse("two_factor_setup")
    problems = []
    for name in url_names():
        if name in open_pages:
            continue
        response = client.get(url_for(name, GET_MATRIX[name], world))
        if response.status_code == 405:
            continue
        if response.status_code != 302 or not response["Location"].startswith(setup):
            problems.append(f"{name}: {response.status_code} {response.get('Location', '')}")
    assert problems == []


def test_htmx_requests_are_redirected_with_hx_redirect(client, admin):
    password_login(client, admin)
    response = client.get(reverse("reports:dashboard"), headers={"HX-Request": "true"})
    assert response.status_code == 302
    assert response["HX-Redirect"] == reverse("two_factor_setup")


def test_admin_may_not_switch_it_off(client, admin):
    device = TOTPDeviceFactory(user=admin)
    client.force_login(admin)
    assert client.get(reverse("two_factor_disable")).status_code == 403
    response = client.post(reverse("two_factor_disable"), {"code": code_for(device)})
    assert response.status_code == 403
    assert TOTPDevice.objects.filter(user=admin, confirmed=True).exists()


# --- the code after the password ------------------------------------------------------------


def test_code_after_password_then_next_page(client, admin):
    device = TOTPDeviceFactory(user=admin)
    password_login(client, admin)
    response = client.get(reverse("admin:index"))
    assert response["Location"] == reverse("two_factor_verify") + "?next=%2Fadmin%2F"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert 'autocomplete="one-time-code"' in page.content.decode()

    wrong = client.post(reverse("two_factor_verify"), {"code": "12345", "next": "/admin/"})
    assert wrong.status_code == 400
    assert "Der Code ist ungültig oder abgelaufen" in wrong.content.decode()
    assert 'value="12345"' in wrong.content.decode()  # what was typed stays
    time.sleep(1.1)  # django-otp refuses any code for 1 s after a wrong one

    session_before = client.session.session_key
    ok = client.post(reverse("two_factor_verify"), {"code": code_for(device), "next": "/admin/"})
    assert ok.status_code == 302
    assert ok["Location"] == "/admin/"
    assert client.session.session_key != session_before  # a new session key after the code
    assert client.get("/admin/").status_code == 200


def test_a_code_cannot_be_used_twice(client, admin):
    device = TOTPDeviceFactory(user=admin)
    code = code_for(device)
    password_login(client, admin)
    assert client.post(reverse("two_factor_verify"), {"code": code}).status_code == 302
    client.logout()
    password_login(client, admin)
    replay = client.post(reverse("two_factor_verify"), {"code": code})
    assert replay.status_code == 400


def test_next_must_stay_on_the_site(client, admin):
    device = TOTPDeviceFactory(user=admin)
    password_login(client, admin)
    response = client.post(
        reverse("two_factor_verify"), {"code": code_for(device), "next": "https://evil.example/"}
    )
    assert response["Location"] == reverse("home")


def test_backup_code_works_once(client, admin):
    TOTPDeviceFactory(user=admin)
    client.force_login(admin)
    page = client.post(reverse("two_factor_backup_codes"))
    codes = re.findall(r"<li><code>([a-z2-7]{8})</code></li>", page.content.decode())
    assert len(codes) == 10
    client.logout()

    password_login(client, admin)
    typed = f" {codes[0][:4].upper()} {codes[0][4:].upper()} "  # spaces and capitals are fine
    response = client.post(reverse("two_factor_verify"), {"code": typed}, follow=True)
    assert response.status_code == 200
    assert "noch 9 Ersatzcodes übrig" in response.content.decode()
    client.logout()

    password_login(client, admin)
    assert client.post(reverse("two_factor_verify"), {"code": codes[0]}).status_code == 400


def test_wrong_codes_are_throttled(client, admin):
    """django-otp doubles the wait after every wrong code: even the right code is refused
    during the wait, with a German message saying until when."""
    device = TOTPDeviceFactory(user=admin)
    right = code_for(device)
    wrong = f"{(int(right) + 1) % 1_000_000:06d}"
    password_login(client, admin)
    first = client.post(reverse("two_factor_verify"), {"code": wrong})
    assert "Der Code ist ungültig" in first.content.decode()
    response = client.post(reverse("two_factor_verify"), {"code": right})
    assert response.status_code == 400
    assert "Zu viele ungültige Codes. Bitte warten Sie bis" in response.content.decode()
    device.refresh_from_db()
    assert device.throttling_failure_count == 1
    assert not client.session.get("otp_device_id")
    time.sleep(1.1)
    assert client.post(reverse("two_factor_verify"), {"code": right}).status_code == 302


# --- office: optional ------------------------------------------------------------------------


def test_office_chooses_it_and_can_switch_it_off(
    client, db, mailoutbox, django_capture_on_commit_callbacks
):
    office = UserFactory(role="office")
    password_login(client, office)
    assert client.get(reverse("vouchers:queue")).status_code == 200  # not required
    overview = client.get(reverse("two_factor")).content.decode()
    assert "ausgeschaltet" in overview

    client.get(reverse("two_factor_setup"))
    device = TOTPDevice.objects.get(user=office, confirmed=False)
    assert client.post(reverse("two_factor_setup"), {"code": code_for(device)}).status_code == 200
    client.logout()

    password_login(client, office)
    assert client.get(reverse("vouchers:queue"))["Location"].startswith(
        reverse("two_factor_verify")
    )
    device.refresh_from_db()
    later = code_for(device, at=time.time() + 30)  # the next time step
    assert client.post(reverse("two_factor_verify"), {"code": later}).status_code == 302

    confirm = client.get(reverse("two_factor_disable"))
    assert confirm.status_code == 200
    assert "Abschalten" in confirm.content.decode()
    refused = client.post(reverse("two_factor_disable"), {"code": "999999x"})
    assert refused.status_code == 400
    assert TOTPDevice.objects.filter(user=office).exists()
    device.refresh_from_db()
    code = code_for(device, at=time.time() + 60)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("two_factor_disable"), {"code": code})
    assert response.status_code == 302
    assert not TOTPDevice.objects.filter(user=office).exists()
    assert AuditEntry.objects.filter(action="two_factor.disabled").count() == 1
    assert mailoutbox[-1].subject == "Zwei-Faktor-Anmeldung abgeschaltet"
    client.logout()
    password_login(client, office)
    assert client.get(reverse("vouchers:queue")).status_code == 200


@pytest.mark.parametrize("role", ["applicant", "facilitator"])
def test_other_roles_are_not_offered_it(client, db, role):
    user = UserFactory(role=role)
    client.force_login(user)
    assert client.get(reverse("two_factor")).status_code == 403
    assert client.post(reverse("two_factor_setup"), {"code": "123456"}).status_code == 403
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_verified_sessions_cost_no_extra_query(client, admin, django_assert_max_num_queries):
    """The middleware reads only the session: a verified admin's page costs what it costs
    without the second factor (session + user)."""
    client.force_login(admin)
    with django_assert_max_num_queries(2):
        client.get(reverse("two_factor_verify"))  # redirects on, after session and user
