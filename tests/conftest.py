"""Shared fixtures. PostgreSQL/Redis tests skip outside CI when the service is missing, and
fail in CI (``CI=true``) instead of skipping."""

from __future__ import annotations

import os

import pytest
from django.db import connection

from tests.factories import (
    FacilitatorFactory,
    OrganisationFactory,
    ProgrammeFactory,
    TOTPDeviceFactory,
    UserFactory,
)

IN_CI = os.environ.get("CI", "").lower() in ("1", "true", "yes")


def _need(condition: bool, reason: str) -> None:
    if condition:
        return
    if IN_CI:
        pytest.fail(f"{reason} — in CI this test must run, not skip.")
    pytest.skip(f"{reason} (skipped outside CI only)")


@pytest.fixture(autouse=True)
def _fresh_rate_limits():
    """Rate-limit counters (password reset, contact form) live in the cache; every test
    starts without any, whatever ran before it in this process."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def _force_login_includes_second_factor(monkeypatch):
    """``Client.force_login`` stands for a completed login: password and, for office staff
    with a device and for admins (for whom it is required), the second factor. The
    two-factor flow itself is tested through the real pages in
    ``tests/security/test_two_factor.py`` (which log in with the form)."""
    from django.test import Client

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        from portal.security import two_factor

        device = two_factor.confirmed_device(user) if two_factor.available_for(user) else None
        if device is None and two_factor.required_for(user):
            device = TOTPDeviceFactory(user=user)
        if device is not None:
            session = self.session
            two_factor.record_verified(session, device)
            session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture
def require_postgres():
    """For tests of row locking: they need PostgreSQL (DATABASE_URL=postgres://…)."""
    _need(connection.vendor == "postgresql", "needs PostgreSQL: set DATABASE_URL")


@pytest.fixture
def redis_url():
    """The real Redis the Celery tests talk to (REDIS_URL)."""
    url = os.environ.get("REDIS_URL", "")
    if url:
        import redis

        try:
            redis.Redis.from_url(url, socket_connect_timeout=2).ping()
        except redis.exceptions.ConnectionError:
            url = ""
    _need(bool(url), "needs a running Redis: set REDIS_URL")
    return url


@pytest.fixture
def office_user(db):
    return UserFactory(role="office")


@pytest.fixture
def admin_user(db):
    return UserFactory(role="admin", is_staff=True, is_superuser=True)


@pytest.fixture
def organisation(db):
    return OrganisationFactory()


@pytest.fixture
def applicant(organisation):
    return organisation.members.get()


@pytest.fixture
def programme(db):
    return ProgrammeFactory(kind="prozessbegleitung")


@pytest.fixture
def virtual_programme(db):
    return ProgrammeFactory(kind="virtuell")


@pytest.fixture
def facilitator(db):
    return FacilitatorFactory()


def pytest_collection_modifyitems(config, items):
    """Tests that use ``require_postgres`` carry the ``postgres`` marker, so the SQLite CI run
    can deselect them (``-m "not postgres"``) while the PostgreSQL run must execute them."""
    for item in items:
        if "require_postgres" in getattr(item, "fixturenames", ()):
            item.add_marker(pytest.mark.postgres)
