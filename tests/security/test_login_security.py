"""Login and account security: django-axes lockout (account + IP, German 429, cool-off,
reverse-proxy aware), password reset throttling without enumeration, session key rotation,
inactivity and absolute session timeouts, deactivated accounts, password strength."""

from __future__ import annotations

import datetime as dt
import time

import pytest
from axes.models import AccessAttempt
from django.contrib.auth import SESSION_KEY
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core import mail
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from portal.security.events import LOGIN_AT, SEEN_AT
from tests.factories import TEST_PASSWORD, UserFactory

pytestmark = pytest.mark.django_db

WRONG = "Ganz-falsches-Passwort-1"


def login(client, email, password, ip="10.0.0.1", **extra):
    return client.post(
        reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=ip, **extra
    )


# --- django-axes ------------------------------------------------------------------------


def test_sixth_wrong_password_from_one_ip_is_locked_out_with_a_german_429(client):
    user = UserFactory(email="kaemmerin@example.org")
    for attempt in range(1, 6):
        response = login(client, user.email, WRONG)
        assert response.status_code == 400, attempt  # the normal "wrong password" form
    response = login(client, user.email, WRONG)
    assert response.status_code == 429
    html = response.content.decode()
    assert '<html lang="de">' in html
    assert "Anmeldung vorübergehend gesperrt" in html
    assert "30 Minuten" in html
    assert response["Retry-After"] == str(30 * 60)
    # Locked: even the right password does not get in from this address.
    response = login(client, user.email, TEST_PASSWORD)
    assert response.status_code == 429
    assert SESSION_KEY not in client.session


def test_the_locked_account_can_still_log_in_from_another_ip(client):
    user = UserFactory()
    for _ in range(6):
        login(client, user.email, WRONG, ip="10.0.0.1")
    assert login(client, user.email, TEST_PASSWORD, ip="10.0.0.1").status_code == 429
    response = login(client, user.email, TEST_PASSWORD, ip="10.0.0.2")
    assert response.status_code == 302
    assert int(client.session[SESSION_KEY]) == user.pk


def test_lockout_counts_the_account_case_insensitively_and_spares_other_accounts(client):
    user, colleague = UserFactory(), UserFactory()
    for variant in (user.email, user.email.upper(), user.email.title(), user.email, user.email):
        login(client, variant, WRONG)
    assert login(client, user.email.upper(), WRONG).status_code == 429
    # Another account from the same address is not affected (combination lockout).
    assert login(client, colleague.email, TEST_PASSWORD).status_code == 302


def test_lockout_ends_after_the_cool_off_time(client):
    user = UserFactory()
    for _ in range(6):
        login(client, user.email, WRONG)
    assert login(client, user.email, TEST_PASSWORD).status_code == 429
    # Time travel: the failures happened 31 minutes ago.
    AccessAttempt.objects.update(attempt_time=timezone.now() - dt.timedelta(minutes=31))
    assert login(client, user.email, TEST_PASSWORD).status_code == 302


def test_a_successful_login_resets_the_failure_count(client):
    user = UserFactory()
    for _ in range(5):
        login(client, user.email, WRONG)
    assert login(client, user.email, TEST_PASSWORD).status_code == 302
    client.post(reverse("logout"))
    for _ in range(5):
        assert login(client, user.email, WRONG).status_code == 400


def test_x_forwarded_for_is_ignored_without_a_trusted_proxy(client):
    """An attacker cannot rotate a header to escape the lockout."""
    user = UserFactory()
    for n in range(6):
        login(client, user.email, WRONG, HTTP_X_FORWARDED_FOR=f"192.0.2.{n}")
    response = login(client, user.email, TEST_PASSWORD, HTTP_X_FORWARDED_FOR="198.51.100.7")
    assert response.status_code == 429


def test_behind_a_trusted_proxy_the_forwarded_client_address_counts(client, settings):
    settings.TRUSTED_PROXY_COUNT = 1
    user = UserFactory()
    proxy = "172.16.0.10"  # every request arrives from the reverse proxy
    for n in range(6):
        # The client prepends junk; the proxy appends the real address (last entry).
        login(client, user.email, WRONG, ip=proxy, HTTP_X_FORWARDED_FOR=f"1.1.1.{n}, 203.0.113.5")
    locked = login(
        client, user.email, TEST_PASSWORD, ip=proxy, HTTP_X_FORWARDED_FOR="9.9.9.9, 203.0.113.5"
    )
    assert locked.status_code == 429
    other = login(client, user.email, TEST_PASSWORD, ip=proxy, HTTP_X_FORWARDED_FOR="203.0.113.6")
    assert other.status_code == 302


def test_the_admin_login_is_protected_by_the_same_lockout(client):
    admin = UserFactory(role="admin", is_staff=True, is_superuser=True)
    url = reverse("admin:login")
    for _ in range(6):
        client.post(url, {"username": admin.email, "password": WRONG}, REMOTE_ADDR="10.0.0.9")
    response = client.post(
        url, {"username": admin.email, "password": TEST_PASSWORD}, REMOTE_ADDR="10.0.0.9"
    )
    assert response.status_code == 429


# --- session key, timeouts, deactivation ------------------------------------------------


def test_login_rotates_the_session_key(client):
    user = UserFactory()
    client.get(reverse("login"))
    session = client.session
    session["vorher"] = "ja"
    session.save()
    before = session.session_key
    assert login(client, user.email, TEST_PASSWORD).status_code == 302
    assert client.session.session_key != before
    assert not Session.objects.filter(session_key=before).exists()


def _logged_in(client, role="office"):
    user = UserFactory(role=role)
    assert login(client, user.email, TEST_PASSWORD).status_code == 302
    return user


def _shift(client, **seconds_ago):
    session = client.session
    now = time.time()
    for key, ago in seconds_ago.items():
        session[{"login": LOGIN_AT, "seen": SEEN_AT}[key]] = now - ago
    session.save()


def test_session_survives_activity_within_the_idle_timeout(client):
    _logged_in(client)
    _shift(client, seen=29 * 60)
    assert client.get(reverse("vouchers:queue")).status_code == 200
    assert time.time() - client.session[SEEN_AT] < 5  # activity refreshed the timestamp


def test_thirty_minutes_without_activity_log_the_user_out(client):
    _logged_in(client)
    old_key = client.session.session_key
    _shift(client, seen=31 * 60)
    response = client.get(reverse("vouchers:queue"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert SESSION_KEY not in client.session
    page = client.get(response["Location"]).content.decode()
    assert "nach 30 Minuten ohne Aktivität abgemeldet" in page
    assert not Session.objects.filter(session_key=old_key).exists()


def test_ten_hours_after_login_the_session_ends_despite_activity(client):
    _logged_in(client)
    _shift(client, login=10 * 3600 + 60, seen=10)
    response = client.get(reverse("vouchers:queue"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    assert SESSION_KEY not in client.session
    assert "erneut an" in client.get(response["Location"]).content.decode()


def test_timeouts_follow_the_settings(client, settings):
    settings.SESSION_IDLE_TIMEOUT = 5 * 60
    _logged_in(client)
    _shift(client, seen=6 * 60)
    assert client.get(reverse("vouchers:queue")).status_code == 302


def test_a_deactivated_user_loses_the_session_at_the_next_request(client):
    user = _logged_in(client, role="office")
    assert client.get(reverse("vouchers:queue")).status_code == 200
    session_key = client.session.session_key
    user.is_active = False
    user.save(update_fields=["is_active"])
    response = client.get(reverse("vouchers:queue"))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
    # The old session is gone from the store; reactivating the account does not revive it.
    assert not Session.objects.filter(session_key=session_key).exists()
    user.is_active = True
    user.save(update_fields=["is_active"])
    assert client.get(reverse("vouchers:queue")).status_code == 302


def test_a_deactivated_user_cannot_log_in(client):
    user = UserFactory(is_active=False)
    response = login(client, user.email, TEST_PASSWORD)
    assert response.status_code == 400
    assert SESSION_KEY not in client.session


# --- password reset throttling ----------------------------------------------------------


def reset(client, email, ip="10.0.0.1"):
    return client.post(reverse("password_reset"), {"email": email}, REMOTE_ADDR=ip)


@pytest.mark.parametrize("exists", [True, False])
def test_password_reset_is_limited_to_five_per_hour_per_address(client, exists):
    """The answers are the same whether or not an account exists (no enumeration)."""
    email = "kontakt@example.org"
    if exists:
        UserFactory(email=email)
    statuses = [reset(client, email).status_code for _ in range(5)]
    assert statuses == [302] * 5
    response = reset(client, email)
    assert response.status_code == 429
    html = response.content.decode()
    assert "Zu viele Anfragen" in html
    assert "60 Minuten" in html
    assert email not in html
    assert len(mail.outbox) == (5 if exists else 0)
    # Another address from the same place is still served.
    assert reset(client, "jemand-anderes@example.org").status_code == 302


def test_password_reset_is_limited_per_client_address(client, settings):
    settings.PASSWORD_RESET_LIMIT_PER_IP = 3
    for n in range(3):
        assert reset(client, f"person{n}@example.org", ip="10.1.1.1").status_code == 302
    assert reset(client, "person9@example.org", ip="10.1.1.1").status_code == 429
    assert reset(client, "person9@example.org", ip="10.1.1.2").status_code == 302


# --- passwords --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "password",
    ["kurz-7", "1234567890123", "password123", "qwertyuiop"],
)
def test_weak_passwords_are_refused(password):
    with pytest.raises(ValidationError):
        validate_password(password)


def test_a_strong_password_is_accepted():
    validate_password("Leitbild-Werkstatt-2027")


def test_registration_refuses_a_short_password_with_400(client):
    response = client.post(
        reverse("register"),
        {
            "first_name": "Erika",
            "last_name": "Muster",
            "email": "erika.neu@example.org",
            "password1": "kurz-7",
            "password2": "kurz-7",
            "organisation_choice": "new",
        },
    )
    assert response.status_code == 400
    assert "password1" in response.context["form"].errors
