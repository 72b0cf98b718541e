"""A database made by the previous main migrates forward without data loss (issues 14 and 22).

The previous main's code (``PREVIOUS_MAIN``, taken from git) migrates and seeds its demo
database; the current code then migrates a copy of that file. Rows of every kind keep their
number, every programme gets its operator, the stored agreement PDFs keep their bytes (and
still match their recorded SHA-256), and the export jobs moved to the reports app are still
there. Runs once, in the SQLite pass (marker ``upgrade``)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import subprocess
import sys
import tarfile
from io import BytesIO
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
PREVIOUS_MAIN = "4905c95"  # main before operators and the reports/demo apps

pytestmark = pytest.mark.upgrade

COUNTS = """
import json
from django.apps import apps
out = {}
for label in ("portal.Organisation", "portal.Programme", "portal.User",
              "vouchers.Application", "vouchers.Voucher", "sessions_log.SessionEntry",
              "agreements.AgreementVersion", "agreements.SignedAgreement",
              "portal.AuditEntry"):
    out[label] = apps.get_model(label).objects.count()
from django.db import connection
with connection.cursor() as cursor:
    cursor.execute("SELECT COUNT(*) FROM portal_exportjob")
    out["exportjobs"] = cursor.fetchone()[0]
Version = apps.get_model("agreements.AgreementVersion")
out["versions"] = {str(v.pk): [v.pdf.name, v.sha256] for v in Version.objects.all()}
print("JSON" + json.dumps(out))
"""

# The previous demo has no agreement versions: make two with the previous code.
GENERATE = """
from agreements.services import generate_agreement
from portal.models import User
from vouchers.models import Voucher
office = User.objects.filter(role="office").first()
for voucher in Voucher.objects.filter(status__in=["issued", "active"]).order_by("pk")[:2]:
    generate_agreement(voucher, by=office)
"""

AFTER = """
import json
from portal.models import Programme, User
from reports.models import ExportJob
print("JSON" + json.dumps({
    "without_operator": Programme.objects.filter(operator__isnull=True).count(),
    "operators": {p.slug: p.operator.slug for p in Programme.objects.select_related("operator")},
    "office_without_operator": User.objects.filter(role="office", operators__isnull=True).count(),
    "exportjobs_orm": ExportJob.objects.count(),
}))
"""


def _run(tree: Path, env: dict, *args: str, script: str | None = None) -> str:
    command = [sys.executable, "manage.py", *args]
    if script is not None:
        command = [sys.executable, "manage.py", "shell", "-c", script]
    result = subprocess.run(
        command, cwd=tree, env=env, capture_output=True, text=True, timeout=600, check=False
    )
    assert result.returncode == 0, f"{command} failed:\n{result.stdout}\n{result.stderr}"
    return result.stdout


def _json(output: str) -> dict:
    [line] = [line for line in output.splitlines() if line.startswith("JSON")]
    return json.loads(line[4:])


def _previous_tree(target: Path) -> Path:
    archive = subprocess.run(
        ["git", "archive", "--format=tar", PREVIOUS_MAIN],
        cwd=ROOT,
        capture_output=True,
        timeout=120,
        check=False,
    )
    if archive.returncode != 0:
        pytest.fail(f"git archive {PREVIOUS_MAIN} failed: {archive.stderr.decode()[:300]}")
    with tarfile.open(fileobj=BytesIO(archive.stdout)) as tar:
        tar.extractall(target, filter="data")
    return target


def _digests(media: Path, versions: dict) -> dict[str, str]:
    return {
        pk: hashlib.sha256((media / name).read_bytes()).hexdigest()
        for pk, (name, _sha) in versions.items()
    }


def test_previous_demo_database_migrates_forward_without_loss(tmp_path):
    old_tree = _previous_tree(tmp_path / "previous")
    var = tmp_path / "var"
    env = {
        **{k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")},
        "PORTAL_VAR_DIR": str(var),
        "DATABASE_URL": f"sqlite:///{tmp_path / 'demo.sqlite3'}",
        "DEBUG": "true",
        "DJANGO_SETTINGS_MODULE": "portal.settings",
    }
    _run(old_tree, env, "migrate", "--noinput", "-v", "0")
    _run(old_tree, env, "seed_demo")
    _run(old_tree, env, script=GENERATE)
    before = _json(_run(old_tree, env, script=COUNTS))
    assert before["vouchers.Voucher"] > 0
    assert before["agreements.AgreementVersion"] > 0
    digests_before = _digests(var / "media", before["versions"])

    copy = tmp_path / "copy.sqlite3"
    shutil.copy(tmp_path / "demo.sqlite3", copy)
    env["DATABASE_URL"] = f"sqlite:///{copy}"
    _run(ROOT, env, "migrate", "--noinput", "-v", "0")
    after = _json(_run(ROOT, env, script=COUNTS))
    checks = _json(_run(ROOT, env, script=AFTER))

    for label, count in before.items():
        if label == "portal.Programme":
            # Two programmes are new (the FüAk accompanied process and the NRW Werkstatt).
            assert after[label] == count + 2
        elif label == "portal.AuditEntry":
            assert after[label] >= count
        else:
            assert after[label] == count, label
    assert checks["without_operator"] == 0
    assert checks["operators"]["prozessbegleitung"] == "dsee"
    assert checks["operators"]["virtuelle-begleitung"] == "fueak-bw"
    assert checks["office_without_operator"] == 0
    assert checks["exportjobs_orm"] == before["exportjobs"]
    # The stored agreement versions keep their bytes and still match their SHA-256.
    assert _digests(var / "media", after["versions"]) == digests_before
    for pk, (_name, sha) in after["versions"].items():
        assert digests_before[pk] == sha
