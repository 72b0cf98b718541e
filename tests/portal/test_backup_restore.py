"""Issue 21: the backup and restore drill. A backup of a portal with data and stored documents
is restored into a fresh database and a fresh media directory (subprocesses with their own
settings); row counts and file digests match; a damaged backup is refused."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from pathlib import Path

import pytest
from django.db import connection

from agreements.services import generate_agreement
from tests.factories import ApplicationFactory, FacilitatorFactory, UserFactory
from vouchers import services

ROOT = Path(__file__).resolve().parents[2]
COUNT = (
    "import django, json, hashlib; django.setup(); from django.apps import apps; "
    "from django.core.files.storage import default_storage as s; "
    "from agreements.models import AgreementVersion as V; "
    "print('JSON' + json.dumps({'rows': {m._meta.label: m.objects.count() for m in "
    "apps.get_models() if m._meta.app_label in ('portal','vouchers','sessions_log','agreements')}, "
    "'files': {v.pdf.name: hashlib.sha256(s.open(v.pdf.name).read()).hexdigest() for v in V.objects.all()}}))"
)


def _manage(env: dict, *args: str, script: str | None = None) -> str:
    command = (
        [sys.executable, "manage.py", *args] if script is None else [sys.executable, "-c", script]
    )
    result = subprocess.run(
        command, cwd=ROOT, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert result.returncode == 0, result.stdout + result.stderr
    return result.stdout


def _json(output: str) -> dict:
    [line] = [line for line in output.splitlines() if line.startswith("JSON")]
    return json.loads(line[4:])


@pytest.mark.postgres
def test_backup_restores_into_a_fresh_database_and_storage(
    transactional_db, require_postgres, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path / "media-before"
    office = UserFactory(role="office")
    for _ in range(2):
        voucher = services.approve_application(
            ApplicationFactory(), by=office, facilitators=[FacilitatorFactory()]
        )
        generate_agreement(voucher, by=office)
    db = connection.settings_dict
    base = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}"
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("REDIS_URL",)},
        "DJANGO_SETTINGS_MODULE": "portal.settings",
        "DATABASE_URL": f"{base}/{db['NAME']}",
        "MEDIA_ROOT": str(settings.MEDIA_ROOT),
    }
    before = _json(_manage(env, script=COUNT))
    assert before["rows"]["vouchers.Voucher"] == 2
    assert len(before["files"]) == 2
    _manage(env, "backup", str(tmp_path / "backup"))

    fresh = f"restore_{uuid.uuid4().hex[:8]}"
    subprocess.run(
        [
            "psql",
            "-h",
            db["HOST"] or "127.0.0.1",
            "-U",
            db["USER"],
            "-c",
            f'CREATE DATABASE "{fresh}"',
        ],
        check=True,
        capture_output=True,
    )
    try:
        env.update(DATABASE_URL=f"{base}/{fresh}", MEDIA_ROOT=str(tmp_path / "media-after"))
        _manage(env, "restore", str(tmp_path / "backup"))
        after = _json(_manage(env, script=COUNT))
    finally:
        subprocess.run(
            [
                "psql",
                "-h",
                db["HOST"] or "127.0.0.1",
                "-U",
                db["USER"],
                "-c",
                f'DROP DATABASE IF EXISTS "{fresh}"',
            ],
            check=False,
            capture_output=True,
        )
    assert after == before


def test_a_damaged_or_incomplete_backup_is_refused(tmp_path):
    from portal.backup import MANIFEST, BackupError, _sha256, verify

    (tmp_path / "media").mkdir()
    akte = tmp_path / "media" / "akte.pdf"
    akte.write_bytes(b"%PDF-1.4 Inhalt")
    (tmp_path / MANIFEST).write_text(f"{_sha256(akte)}  media/akte.pdf\n")
    assert verify(tmp_path) == {"media/akte.pdf": _sha256(akte)}
    akte.write_bytes(b"%PDF-1.4 veraendert")
    with pytest.raises(BackupError, match="digest mismatch"):
        verify(tmp_path)
    akte.unlink()
    with pytest.raises(BackupError, match="differ from the manifest"):
        verify(tmp_path)


pytestmark = pytest.mark.django_db
