"""Issue 20, defect 13: ``PORT=8080 make run`` serves on 8080 and links in emails follow the
port unless ``SITE_URL`` is set; apt-get goes through sudo when not root."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

SHOW = "import django; django.setup(); from django.conf import settings; print(settings.SITE_URL)"


def _site_url(**env_vars) -> str:
    env = {k: v for k, v in os.environ.items() if k not in ("SITE_URL", "PORT")}
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
    return result.stdout.strip()


def test_site_url_follows_the_port_unless_set():
    assert _site_url() == "http://127.0.0.1:8000"
    assert _site_url(PORT="8080") == "http://127.0.0.1:8080"
    assert _site_url(PORT="8080", SITE_URL="https://portal.example.org/") == (
        "https://portal.example.org"
    )


def _make_dry_run(target: str, **env_vars) -> str:
    env = {**os.environ, **env_vars}
    result = subprocess.run(
        ["make", "-n", target],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return result.stdout


def test_make_run_serves_on_the_given_port():
    commands = _make_dry_run("run", PORT="8080")
    assert "runserver 127.0.0.1:8080" in commands
    assert "PORT=8080" in commands
    assert "runserver 127.0.0.1:8000" in _make_dry_run("run")


def test_apt_get_uses_sudo_only_when_not_root():
    makefile = (ROOT / "Makefile").read_text()
    assert '$(shell [ "$$(id -u)" = "0" ] || echo sudo)' in makefile
    assert "$(SUDO) apt-get install" in makefile
