"""Public pages: German, accessible skeleton, no third-party host, English switchable."""

import re

import pytest
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

URL_ATTR = re.compile(r"""(?:src|href|action|srcset|data-[a-z-]+)\s*=\s*["']([^"']+)["']""", re.I)
CSS_URL = re.compile(r"""url\(\s*["']?([^"')]+)""", re.I)


def _external_references(html: str) -> list[str]:
    found = URL_ATTR.findall(html) + CSS_URL.findall(html)
    external = []
    for url in found:
        url = url.strip()
        absolute = url.startswith("//") or re.match(r"^[a-z][a-z0-9+.-]*://", url, re.I)
        if absolute and not url.startswith(("http://testserver/", "https://testserver/")):
            external.append(url)
    return external


@pytest.mark.parametrize(
    "name", ["start", "login", "register", "password_reset", "accessibility", "privacy", "imprint"]
)
def test_public_pages_reference_no_third_party_host(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert _external_references(html) == []
    # Not a bare "cdn" substring: a random CSRF token may contain those letters.
    assert not re.search(r"[/.]cdn[.\w-]*\.[a-z]{2,}", html, re.I)
    assert "fonts.googleapis" not in html


@pytest.mark.parametrize("role", ["applicant", "office", "facilitator", "admin"])
def test_logged_in_base_page_references_no_third_party_host(client, role):
    client.force_login(UserFactory(role=role))
    html = client.get(reverse("start")).content.decode()
    assert _external_references(html) == []


def test_the_check_itself_finds_an_external_host():
    assert _external_references('<script src="https://cdn.example.com/x.js"></script>') == [
        "https://cdn.example.com/x.js"
    ]
    assert _external_references('<link href="//fonts.example/x.css">') == ["//fonts.example/x.css"]


def test_start_page_skeleton_is_accessible(client):
    html = client.get(reverse("start")).content.decode()
    assert '<html lang="de">' in html
    assert 'class="skip-link" href="#main"' in html
    assert '<main id="main"' in html
    assert "<header" in html
    assert "<footer" in html
    assert reverse("accessibility") in html
    assert "Erklärung zur Barrierefreiheit" in html
    # The site-wide name comes from settings (SITE_NAME), not from the template.
    assert "Portal Prozessbegleitung" in html
    assert "Antrag stellen" in html


def test_branding_is_configurable(client, settings):
    settings.PROGRAMME_OFFICE = {**settings.PROGRAMME_OFFICE, "name": "Programmbüro Testland"}
    assert "Programmbüro Testland" in client.get(reverse("start")).content.decode()


def test_start_page_lists_the_seeded_programmes(client):
    html = client.get(reverse("start")).content.decode()
    assert "Prozessbegleitung" in html
    assert "Virtuelle Begleitung" in html


def test_english_can_be_chosen(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": reverse("login")})
    assert response.status_code == 302
    html = client.get(reverse("login")).content.decode()
    assert '<html lang="en">' in html
    assert "Deutsch" in html  # the switch back


@pytest.fixture
def english_catalogue():
    """``make`` compiles the catalogue; compile it here too when pytest runs on its own."""
    from pathlib import Path

    from django.core.management import call_command
    from django.utils.translation import trans_real

    base = Path(__file__).resolve().parents[2] / "locale" / "en" / "LC_MESSAGES"
    po, mo = base / "django.po", base / "django.mo"
    if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
        call_command("compilemessages", locale=["en"], ignore_patterns=[".venv"], verbosity=0)
        trans_real._translations = {}
        trans_real._default = None


def test_english_catalogue_translates_the_login_page(client, english_catalogue):
    client.cookies["django_language"] = "en"
    html = client.get(reverse("login")).content.decode()
    assert "Log in" in html
    assert "Forgot your password?" in html


def test_browser_language_does_not_switch_the_ui(client):
    html = client.get(reverse("login"), HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert '<html lang="de">' in html
    assert "Anmelden" in html
