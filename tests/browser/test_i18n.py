"""German by default, English by the switch in the header (``<html lang>`` follows), and an
English catalogue that translates every user-facing string of the source."""

from __future__ import annotations

import gettext
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.urls import reverse

from tests.browser import scenario
from tests.browser.conftest import ROOT
from tests.browser.pofile import parse_po

pytestmark = [pytest.mark.browser]

CATALOGUE = ROOT / "locale" / "en" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOGUE.with_suffix(".mo")


@pytest.fixture(scope="module", autouse=True)
def compiled_catalogue():
    """``*.mo`` files are build output (``make messages``); compile a missing or stale one,
    so that ``pytest -m browser`` also works on its own."""
    if not COMPILED.exists() or COMPILED.stat().st_mtime < CATALOGUE.stat().st_mtime:
        from django.core.management import call_command
        from django.utils.translation import trans_real

        call_command("compilemessages", locale=["en"], ignore_patterns=[".venv"], verbosity=0)
        trans_real._translations = {}  # forget catalogues already loaded in this process
        trans_real._default = None


def switch_language(browser, to: str) -> None:
    button = browser.find(f"header form button[name=language][value={to}]")
    old = browser.find("html")
    button.click()
    browser.wait_for_new_page(old)


@pytest.mark.django_db(transaction=True)
def test_german_by_default_english_by_the_switch(browser, reference_data):
    browser.get(reverse("start"))
    assert browser.find("html").get_attribute("lang") == "de"
    assert browser.find("h1").text == "Gutscheine für Prozessbegleitung"
    assert "In einfacher Sprache" in browser.text()  # the plain-language summary

    switch_language(browser, "en")
    assert browser.path == reverse("start"), "the switch keeps the page"
    assert browser.find("html").get_attribute("lang") == "en"
    assert browser.find("h1").text == "Vouchers for process facilitation"
    assert "In plain language" in browser.text()
    assert browser.find(".skip-link").get_attribute("textContent").strip() == "Skip to content"
    footer = browser.text("footer")
    assert "Accessibility statement" in footer

    # The choice lasts across pages and after logging in.
    programme = reference_data["prozessbegleitung"]
    profile = scenario.facilitator(programme)
    voucher = scenario.active_case(programme, profile, minutes_logged=120)
    browser.get(reverse("login"))
    assert browser.find("html").get_attribute("lang") == "en"
    assert browser.find("label[for=id_username]").text.startswith("Email address")
    browser.fill("#id_username", profile.user.email)
    browser.fill("#id_password", "Sicheres-Testpasswort-2026")
    browser.submit("main form [type=submit]")
    browser.get(reverse("sessions_log:session_add", args=[voucher.pk]))
    assert browser.find("h1").text == "Log a session"
    assert browser.find("label[for=id_minutes]").text.startswith("Duration in minutes")
    browser.assert_accessible("log form in English")

    switch_language(browser, "de")
    assert browser.find("html").get_attribute("lang") == "de"
    assert browser.find("h1").text == "Sitzung eintragen"


def untranslated(entries) -> list[str]:
    return [
        entry.msgid
        for entry in entries
        if entry.msgid and ("fuzzy" in entry.flags or not all(entry.msgstr.values()))
    ]


def test_english_catalogue_has_no_empty_or_fuzzy_entries():
    entries = parse_po(CATALOGUE)
    assert len(entries) > 500
    missing = untranslated(entries)
    assert not missing, f"{len(missing)} untranslated or fuzzy msgids, e.g.: {missing[:20]}"


def test_compiled_catalogue_matches_the_po_file():
    """The committed ``django.mo`` is what Django reads: it must carry every translation."""
    with COMPILED.open("rb") as handle:
        compiled = gettext.GNUTranslations(handle)
    stale = []
    for entry in parse_po(CATALOGUE):
        if not entry.msgid:
            continue
        key = f"{entry.msgctxt}\x04{entry.msgid}" if entry.msgctxt else entry.msgid
        got = compiled._catalog.get((key, 0) if entry.msgid_plural else key)
        if got != entry.msgstr.get(0):
            stale.append(entry.msgid)
    assert not stale, (
        f"django.mo is out of date for {len(stale)} msgids (run `make messages`): {stale[:10]}"
    )


@pytest.mark.skipif(
    shutil.which("xgettext") is None, reason="needs gettext (apt-get install gettext)"
)
def test_catalogue_covers_every_string_of_the_source(tmp_path):
    """``makemessages`` on a copy of the project finds no msgid the catalogue lacks."""
    copy = tmp_path / "project"
    shutil.copytree(
        ROOT,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv",
            "var",
            ".git",
            "artifacts",
            "docs",
            "node_modules",
            "*.pyc",
            "__pycache__",
            ".ruff_cache",
            ".pytest_cache",
            "*.egg-info",
            "vendor",
            "static",
        ),
    )
    result = subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "en",
            "--ignore=.venv",
            "--ignore=var",
            "--no-location",
        ],
        cwd=copy,
        capture_output=True,
        text=True,
        timeout=300,
        env={"PATH": "/usr/bin:/bin", "PORTAL_VAR_DIR": str(tmp_path / "var")},
        check=False,
    )
    assert result.returncode == 0, result.stderr
    fresh = parse_po(Path(copy) / "locale" / "en" / "LC_MESSAGES" / "django.po")
    missing = untranslated(fresh)
    assert not missing, (
        f"{len(missing)} msgids of the source are not translated in locale/en (run "
        f"`manage.py makemessages -l en --ignore=.venv --ignore=var` and translate): {missing[:20]}"
    )
