"""Issue 21, findings F4, F5, F8 and the HTTPS default: rate limits that hold across
processes, registration throttled per address and per email domain, failed logins limited
per client address across accounts (without locking the account's owner out)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

from tests.factories import TEST_PASSWORD, UserFactory
from tests.portal.test_accounts import _registration

pytestmark = pytest.mark.django_db
ROOT = Path(__file__).resolve().parents[2]


def _register(client, n: int, *, ip: str, domain: str = "gemeinde.example"):
    return client.post(
        reverse("register"),
        _registration(email=f"person{n}@{domain}", org_name=f"Gemeinde Nummer {n}"),
        REMOTE_ADDR=ip,
    )


def test_registrations_from_one_address_are_throttled_and_keep_the_input(client, settings):
    settings.REGISTRATION_LIMIT_PER_IP = 3
    for n in range(3):
        assert _register(client, n, ip="10.1.0.1", domain=f"ort{n}.example").status_code == 302
        client.logout()
    refused = _register(client, 3, ip="10.1.0.1", domain="ort3.example")
    assert refused.status_code == 429
    text = refused.content.decode()
    assert "zu viele Konten registriert" in text
    assert "Gemeinde Nummer 3" in text  # what was typed is still there
    assert not get_user_model().objects.filter(email="person3@ort3.example").exists()
    # Another address may still register.
    assert _register(client, 4, ip="10.1.0.2", domain="ort4.example").status_code == 302


def test_registrations_of_one_email_domain_are_throttled_across_addresses(client, settings):
    settings.REGISTRATION_LIMIT_PER_DOMAIN = 2
    for n in range(2):
        assert _register(client, n, ip=f"10.2.0.{n + 1}").status_code == 302
        client.logout()
    assert _register(client, 2, ip="10.2.0.9").status_code == 429


def _login(client, email, password, ip):
    return client.post(reverse("login"), {"username": email, "password": password}, REMOTE_ADDR=ip)


def test_one_address_trying_many_accounts_is_stopped(client, settings):
    settings.LOGIN_FAILURE_LIMIT_PER_IP = 20
    accounts = [UserFactory(role="applicant") for _ in range(27)]
    statuses = []
    for account in accounts:
        for attempt in range(3):
            statuses.append(
                _login(client, account.email, f"falsch-{attempt}", "10.3.0.1").status_code
            )
    assert statuses[:20] == [400] * 20  # refused passwords
    assert set(statuses[20:]) == {429}  # then the address is throttled
    # Even the right password is refused from that address now …
    assert _login(client, accounts[-1].email, TEST_PASSWORD, "10.3.0.1").status_code == 429
    # … but the account's owner logs in from elsewhere.
    assert _login(client, accounts[-1].email, TEST_PASSWORD, "10.3.0.2").status_code == 302


COUNT_HITS = """
import django
django.setup()
from portal.security import throttle
allowed = sum(throttle.hit("security:rate:shared-test", limit=10, window=60) for _ in range(10))
print(allowed)
"""


@pytest.mark.redis
def test_rate_limits_are_shared_between_processes(redis_url):
    """Two web processes with ``REDIS_URL`` share one counter: 10 allowed in total, not 20."""
    import redis

    db = 13
    client = redis.Redis.from_url(redis_url)
    base = redis_url.rsplit("/", 1)[0]
    redis.Redis.from_url(f"{base}/{db}").flushdb()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "REDIS_URL": redis_url,
        "CACHE_REDIS_DB": str(db),
        "PYTHONPATH": str(ROOT),
    }
    env.pop("CACHE_URL", None)
    processes = [
        subprocess.Popen(
            [sys.executable, "-c", COUNT_HITS],
            cwd=ROOT,
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for _ in range(2)
    ]
    allowed = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        allowed.append(int(out.strip().splitlines()[-1]))
    assert sum(allowed) == 10
    assert client.ping()
    redis.Redis.from_url(f"{base}/{db}").flushdb()


SHOW = """
import django
django.setup()
from django.conf import settings
print(settings.CACHES["default"]["BACKEND"], settings.USE_HTTPS, settings.SECURE_SSL_REDIRECT)
"""


def _settings_with(**env_vars) -> list[str]:
    env = {k: v for k, v in os.environ.items() if k not in ("REDIS_URL", "CACHE_URL", "DEBUG")}
    env.update(DJANGO_SETTINGS_MODULE="portal.settings", PYTHONPATH=str(ROOT), **env_vars)
    result = subprocess.run(
        [sys.executable, "-c", SHOW],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout.split()


def test_redis_url_gives_a_shared_cache_and_https_site_turns_https_on():
    backend, https, _ = _settings_with(SITE_URL="http://127.0.0.1:8000")
    assert backend.endswith("LocMemCache")
    assert https == "False"
    backend, https, redirect = _settings_with(
        REDIS_URL="redis://127.0.0.1:6379/0", SITE_URL="https://portal.example.org"
    )
    assert backend == "django.core.cache.backends.redis.RedisCache"
    assert (https, redirect) == ("True", "True")
    _, https, _ = _settings_with(SITE_URL="https://portal.example.org", DEBUG="true")
    assert https == "False"
