"""Issue 23: passwords are hashed with Argon2id; an existing PBKDF2 hash still logs in and is
rewritten as Argon2id (the production hashers, not the test settings' fast MD5)."""

from __future__ import annotations

import pytest
from django.contrib.auth.hashers import make_password
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

PRODUCTION_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]


def test_the_production_settings_hash_with_argon2id_first():
    from portal.settings import base

    assert base.PASSWORD_HASHERS[0] == "django.contrib.auth.hashers.Argon2PasswordHasher"
    assert "django.contrib.auth.hashers.PBKDF2PasswordHasher" in base.PASSWORD_HASHERS


def test_a_pbkdf2_hash_logs_in_and_is_rewritten_as_argon2id(client, settings):
    settings.PASSWORD_HASHERS = PRODUCTION_HASHERS
    user = UserFactory(role="applicant")
    user.password = make_password("Altes-Passwort-2025", hasher="pbkdf2_sha256")
    user.save(update_fields=["password"])
    assert user.password.startswith("pbkdf2_sha256$")
    response = client.post(
        reverse("login"),
        {"username": user.email, "password": "Altes-Passwort-2025"},
        REMOTE_ADDR="10.7.0.1",
    )
    assert response.status_code == 302
    user.refresh_from_db()
    assert user.password.startswith("argon2$argon2id$")
    assert user.check_password("Altes-Passwort-2025")
