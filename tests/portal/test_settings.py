"""Settings come from environment variables only (portal/settings/base.py)."""

import json
import os
import subprocess
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parents[2]

PRINT_SETTINGS = """
import json
import django
django.setup()
from django.conf import settings
db = settings.DATABASES["default"]
print(json.dumps({
    "engine": db["ENGINE"],
    "name": str(db["NAME"]),
    "host": db.get("HOST", ""),
    "options": db.get("OPTIONS", {}),
    "eager": settings.CELERY_TASK_ALWAYS_EAGER,
    "broker": settings.CELERY_BROKER_URL,
    "email_backend": settings.EMAIL_BACKEND,
    "debug": settings.DEBUG,
    "language": settings.LANGUAGE_CODE,
    "languages": [code for code, _ in settings.LANGUAGES],
    "hosts": settings.ALLOWED_HOSTS,
    "site_name": settings.SITE_NAME,
    "site_email": settings.PROGRAMME_OFFICE["email"],
    "contacts": settings.PROGRAMME_OFFICE["contacts"],
    "ssl_redirect": getattr(settings, "SECURE_SSL_REDIRECT", False),
}))
"""

SETTINGS_VARS = (
    "DATABASE_URL",
    "REDIS_URL",
    "SECRET_KEY",
    "DEBUG",
    "ALLOWED_HOSTS",
    "EMAIL_URL",
    "EMAIL_BACKEND",
    "USE_HTTPS",
    "SITE_NAME",
    "SITE_CONTACT_EMAIL",
    "OFFICE_NAME",
    "OFFICE_CONTACTS",
)


def _env(**overrides) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in SETTINGS_VARS}
    env["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    env.update(overrides)
    return env


def _settings(tmp_path, **overrides) -> dict:
    env = _env(PORTAL_VAR_DIR=str(tmp_path), **overrides)
    out = subprocess.run(
        [sys.executable, "-c", PRINT_SETTINGS],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def test_default_is_embedded_sqlite_in_immediate_mode(tmp_path):
    s = _settings(tmp_path)
    assert s["engine"] == "django.db.backends.sqlite3"
    assert s["name"] == str(tmp_path / "portal.sqlite3")
    assert s["options"]["transaction_mode"] == "IMMEDIATE"
    assert s["options"]["timeout"] == 20
    assert "journal_mode=WAL" in s["options"]["init_command"]
    assert s["eager"] is True
    assert s["broker"] == "memory://"
    assert s["email_backend"] == "django.core.mail.backends.filebased.EmailBackend"
    assert s["debug"] is False
    assert s["language"] == "de"
    assert s["languages"] == ["de", "en"]


def test_postgres_url_gives_postgresql_engine_and_redis_gives_a_worker(tmp_path):
    s = _settings(
        tmp_path,
        DATABASE_URL="postgres://portal:geheim@db.internal:5432/portal",
        REDIS_URL="redis://cache.internal:6379/0",
    )
    assert s["engine"] == "django.db.backends.postgresql"
    assert s["name"] == "portal"
    assert s["host"] == "db.internal"
    assert "transaction_mode" not in s["options"]
    assert s["eager"] is False
    assert s["broker"] == "redis://cache.internal:6379/0"


def test_production_variables_are_read(tmp_path):
    s = _settings(
        tmp_path,
        DEBUG="false",
        ALLOWED_HOSTS="portal.example.org,www.portal.example.org",
        EMAIL_URL="smtp://mail.example.org:587",
        USE_HTTPS="true",
        SITE_NAME="Portal Engagement",
        SITE_CONTACT_EMAIL="kontakt@portal.example.org",
        # Operator data is no setting any more: these are ignored.
        OFFICE_NAME="Programmbüro Engagierte Stadt",
        OFFICE_CONTACTS='[{"name": "Anna Beispiel", "role": "Referentin", "phone": "030 1", '
        '"email": "anna@example.org"}]',
    )
    assert s["hosts"] == ["portal.example.org", "www.portal.example.org"]
    assert s["email_backend"] == "django.core.mail.backends.smtp.EmailBackend"
    assert s["ssl_redirect"] is True
    assert s["site_name"] == "Portal Engagement"
    assert s["site_email"] == "kontakt@portal.example.org"
    # Contact persons are the operators' (portal.Operator), never the settings'.
    assert s["contacts"] == []


def _deploy_check(tmp_path, **overrides):
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=BASE_DIR,
        env=_env(PORTAL_VAR_DIR=str(tmp_path), **overrides),
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_check_deploy_is_clean_with_production_env(tmp_path):
    result = _deploy_check(
        tmp_path,
        DEBUG="false",
        SECRET_KEY="prod-like-" + "k3y" * 20,
        ALLOWED_HOSTS="portal.example.org",
        USE_HTTPS="true",
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_check_deploy_refuses_a_missing_secret_key(tmp_path):
    result = _deploy_check(
        tmp_path, DEBUG="false", ALLOWED_HOSTS="portal.example.org", USE_HTTPS="true"
    )
    assert result.returncode != 0
    assert "portal.E001" in result.stdout + result.stderr
