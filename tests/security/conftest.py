"""Fixtures of the security tests, and the hypothesis profiles of the fuzz tests: 200
examples per form in CI (``CI=true``), 25 locally to keep runs short."""

from __future__ import annotations

import hashlib

import pytest
from django.apps import apps
from hypothesis import HealthCheck, settings

from tests.conftest import IN_CI
from tests.security.world import build_world

settings.register_profile(
    "security-ci",
    max_examples=200,
    deadline=None,
    database=None,  # no .hypothesis/ directory in the checkout
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
settings.register_profile(
    "security-dev",
    max_examples=25,
    deadline=None,
    database=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
FUZZ_PROFILE = "security-ci" if IN_CI else "security-dev"

# The portal's own data and the second-factor devices (the session and django-axes tables
# are deliberately left out).
DATA_APPS = ("portal", "vouchers", "sessions_log", "agreements", "otp_totp", "otp_static")


def fingerprint() -> dict[str, str]:
    """A hash of every row of every table of the portal's apps (incl. M2M tables)."""
    result = {}
    for label in DATA_APPS:
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            rows = list(model._default_manager.order_by("pk").values_list())
            result[model._meta.db_table] = hashlib.sha256(repr(rows).encode()).hexdigest()
    return result


def changed_tables(before: dict, after: dict) -> list[str]:
    return sorted(table for table in before if before[table] != after.get(table))


@pytest.fixture
def media_root(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


@pytest.fixture
def world(db, media_root):
    return build_world()
