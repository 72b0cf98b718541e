"""Issue 17: the audit folder of a case with 300 session entries — seconds to write it, and
the peak of Python memory while it streams (tracemalloc; goal < 50 MB). Runs in a fresh
interpreter and database like the agreement benchmark.

    .venv/bin/python bench/audit_folder_bench.py [--json]
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ENTRIES = 300
GOAL_MB = 50


def _run() -> dict:
    from django.utils import timezone

    from agreements.audit_folder import write_audit_folder
    from bench.agreement_bench import _populate
    from sessions_log.models import SessionEntry

    voucher, office = _populate()
    profile = voucher.facilitators.first()
    start = timezone.localdate() - dt.timedelta(days=ENTRIES)
    SessionEntry.objects.bulk_create(
        SessionEntry(
            voucher=voucher,
            facilitator=profile,
            date=start + dt.timedelta(days=i),
            minutes=3,
            units=0,
            activity="workshop",
            format="video",
            notes=f"Sitzung {i}: Zwischenstand mit der Kerngruppe, Aufgaben verteilt. " * 3,
            status="confirmed",
        )
        for i in range(ENTRIES)
    )
    with tempfile.TemporaryFile() as target:
        tracemalloc.start()
        began = time.perf_counter()
        write_audit_folder(voucher, by=office, fileobj=target)
        seconds = time.perf_counter() - began
        _current, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        size = target.tell()
    return {
        "audit_folder_seconds": round(seconds, 3),
        "audit_folder_peak_mb": round(peak / 1024 / 1024, 1),
        "zip_bytes": size,
        "entries": ENTRIES,
    }


def measure() -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env["DJANGO_SETTINGS_MODULE"] = "portal.settings.test"
    result = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    from bench.agreement_bench import _setup_django

    with tempfile.TemporaryDirectory(prefix="audit-folder-bench-") as workdir:
        _setup_django(workdir)
        result = _run()
    if args.json:
        print(json.dumps(result))
        return
    print(
        f"audit_folder_seconds: {result['audit_folder_seconds']} s for {ENTRIES} entries; "
        f"peak Python memory {result['audit_folder_peak_mb']} MB (goal < {GOAL_MB} MB)"
    )


if __name__ == "__main__":
    main()
