"""Security headers on rendered pages, a CSP without 'unsafe-inline' that the templates can
live with, and the production settings passing ``check --deploy``."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TEMPLATES = Path(settings.BASE_DIR) / "templates"
# Rendered by WeasyPrint into PDFs or sent as emails, never shown by a browser under the CSP.
NOT_BROWSER_TEMPLATES = ("emails/", "agreements/agreement_pdf.html", "reports/funder_report.html")
SCRIPT_WITHOUT_SRC = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.I)
EVENT_HANDLER = re.compile(r"\son[a-z]+\s*=|javascript:|\bhx-on", re.I)


def csp(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    directives = {}
    for part in header.split(";"):
        name, _, value = part.strip().partition(" ")
        directives[name] = value
    return directives


@pytest.mark.parametrize("role", [None, "office"])
def test_rendered_pages_carry_the_security_headers(client, role):
    if role:
        client.force_login(UserFactory(role=role))
    response = client.get(reverse("start"))
    assert response.status_code == 200
    policy = csp(response)
    assert policy["default-src"] == "'self'"
    assert policy["script-src"] == "'self'"
    assert policy["style-src"] == "'self'"
    assert policy["img-src"] == "'self' data:"
    assert policy["frame-ancestors"] == "'none'"
    assert policy["form-action"] == "'self'"
    assert policy["base-uri"] == "'self'"
    assert policy["object-src"] == "'none'"
    assert "unsafe-inline" not in response["Content-Security-Policy"]
    assert "unsafe-eval" not in response["Content-Security-Policy"]
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
    assert response["Cross-Origin-Opener-Policy"] == "same-origin"
    assert response["X-Frame-Options"] == "DENY"


def test_error_pages_carry_the_csp_too(client):
    response = client.get("/gibt-es-nicht/")
    assert response.status_code == 404
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_hsts_when_served_over_https(client, settings):
    settings.SECURE_HSTS_SECONDS = 31536000
    settings.SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    response = client.get(reverse("start"), secure=True)
    assert response["Strict-Transport-Security"].startswith("max-age=31536000")


def _browser_templates() -> list[Path]:
    found = []
    for path in sorted(TEMPLATES.rglob("*.html")):
        relative = path.relative_to(TEMPLATES).as_posix()
        if not relative.startswith(NOT_BROWSER_TEMPLATES):
            found.append(path)
    return found


def test_the_pdf_templates_named_in_the_exclusions_exist():
    for name in NOT_BROWSER_TEMPLATES:
        assert (TEMPLATES / name).exists(), name


@pytest.mark.parametrize(
    "pattern", [SCRIPT_WITHOUT_SRC, INLINE_STYLE, EVENT_HANDLER], ids=["script", "style", "on*"]
)
def test_no_template_has_inline_script_or_style(pattern):
    templates = _browser_templates()
    assert len(templates) > 50
    offenders = [
        f"{path.relative_to(TEMPLATES)}: {match.group(0)}"
        for path in templates
        for match in [pattern.search(path.read_text())]
        if match
    ]
    assert offenders == []


def test_no_template_loads_anything_from_another_host():
    remote = re.compile(
        r"""<(?:script|link|img|iframe)[^>]+(?:src|href)=["']?(?:https?:)?//""", re.I
    )
    offenders = [
        str(p.relative_to(TEMPLATES))
        for p in TEMPLATES.rglob("*.html")
        if remote.search(p.read_text())
    ]
    assert offenders == []


PRODUCTION_ENV = {
    "DEBUG": "false",
    "SECRET_KEY": "ci-only-" + "9f" * 32,
    "ALLOWED_HOSTS": "portal.example.org",
    "USE_HTTPS": "true",
    "DJANGO_SETTINGS_MODULE": "portal.settings",
}


def _production(*args) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(PRODUCTION_ENV)
    return subprocess.run(
        [sys.executable, *args],
        cwd=settings.BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_check_deploy_passes_on_production_settings():
    result = _production("manage.py", "check", "--deploy", "--fail-level", "WARNING")
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_harden_cookies_and_transport():
    code = (
        "import django, json; django.setup(); from django.conf import settings as s; "
        "print(json.dumps({k: getattr(s, k) for k in ('SECURE_HSTS_SECONDS', "
        "'SECURE_HSTS_INCLUDE_SUBDOMAINS', 'SECURE_SSL_REDIRECT', 'SESSION_COOKIE_SECURE', "
        "'CSRF_COOKIE_SECURE', 'SESSION_COOKIE_HTTPONLY', 'DEBUG', 'AXES_ENABLED')}))"
    )
    result = _production("-c", code)
    assert result.returncode == 0, result.stderr
    values = json.loads(result.stdout.strip().splitlines()[-1])
    assert values["SECURE_HSTS_SECONDS"] >= 31536000
    assert values["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert values["SECURE_SSL_REDIRECT"] is True
    assert values["SESSION_COOKIE_SECURE"] is True
    assert values["CSRF_COOKIE_SECURE"] is True
    assert values["SESSION_COOKIE_HTTPONLY"] is True
    assert values["DEBUG"] is False
    assert values["AXES_ENABLED"] is True
