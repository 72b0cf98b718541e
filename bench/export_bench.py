"""Export benchmark: the streamed CSV export of 200,000 session rows against a plain
cursor → csv.writer baseline over the same rows, in the same run, on a throwaway SQLite DB.

    .venv/bin/python bench/export_bench.py [--rows 200000]

prints ``export_csv_vs_cursor: <ratio> (goal ≤ 2.0)`` and ``export_peak_mb: <mb> (goal ≤ 100)``.
``measure(rows=...) -> dict`` runs the same in a subprocess (own settings, own database), so a
later ``bench/run.py`` can call it without touching its own Django setup.
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
BASELINE_SQL = """
SELECT s.date, v.code, p.name, o.name, o.bundesland,
       u.first_name || ' ' || u.last_name, s.activity, s.format, s.minutes, s.minutes,
       s.units, s.with_facilitator_in_process, s.participants, s.notes
FROM sessions_log_sessionentry s
JOIN vouchers_voucher v ON v.id = s.voucher_id
JOIN portal_programme p ON p.id = v.programme_id
JOIN portal_organisation o ON o.id = v.organisation_id
JOIN portal_facilitatorprofile f ON f.id = s.facilitator_id
JOIN portal_user u ON u.id = f.user_id
ORDER BY s.date DESC, s.id DESC
"""


def _setup_django(db_path: str) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db_path}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "portal.settings"
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)


def _populate(rows: int) -> None:
    from django.utils import timezone

    from portal.models import FacilitatorProfile, Organisation, Programme, User
    from sessions_log.models import SessionEntry
    from vouchers.models import Voucher

    programme = Programme.objects.filter(kind="prozessbegleitung").first()
    period = programme.current_period() or programme.periods.create(
        name="Bench", start=dt.date(2026, 1, 1), end=dt.date(2026, 12, 31), contingent=1000
    )
    user = User.objects.create_user(
        "bench-facilitator@example.org", first_name="Bea", last_name="Bench", role="facilitator"
    )
    facilitator = FacilitatorProfile.objects.create(user=user)
    vouchers = []
    for i in range(200):
        org = Organisation.objects.create(name=f"Engagierte Stadt Bench {i}", bundesland="BW")
        vouchers.append(
            Voucher.objects.create(
                code=f"PB-BENCH-{i:04d}",
                organisation=org,
                programme=programme,
                period=period,
                status="active",
                cap_minutes=960,
                valid_until=dt.date(2026, 12, 31),
                issued_at=timezone.now(),
            )
        )
    notes = [
        "Workshop mit der Steuergruppe; Ergebnisse im Protokoll.",
        "=SUMME(A1:A9)",
        "",
        "-5 Punkte offen",
    ]
    batch = []
    day0 = dt.date(2026, 1, 1)
    for n in range(rows):
        batch.append(
            SessionEntry(
                voucher=vouchers[n % len(vouchers)],
                facilitator=facilitator,
                date=day0 + dt.timedelta(days=n % 300),
                minutes=30 + n % 90,
                units=0,
                activity="workshop",
                format="vor_ort",
                notes=notes[n % len(notes)],
            )
        )
        if len(batch) == 5000:
            SessionEntry.objects.bulk_create(batch)
            batch.clear()
    if batch:
        SessionEntry.objects.bulk_create(batch)


def _baseline() -> int:
    """Plain DB-API cursor → csv.writer, same rows and columns, no formatting."""
    import csv

    from django.db import connection

    from reports.exports import CHUNK_SIZE, _Chunks

    sink = _Chunks()
    writer = csv.writer(sink, delimiter=";", lineterminator="\r\n")
    size = 0
    with connection.cursor() as cursor:
        cursor.execute(BASELINE_SQL)
        while True:
            rows = cursor.fetchmany(CHUNK_SIZE)
            if not rows:
                break
            writer.writerows(rows)
            size += len(sink.take().encode("utf-8"))
    return size


def _export() -> int:
    """Our export, end to end: filters, queryset, StreamingHttpResponse, consumed."""
    from django.http import QueryDict

    from portal.models import User
    from reports.exports import csv_response
    from reports.registry import SESSIONS, filtered_queryset

    office = User(role="admin", email="bench-admin@example.org")  # the admin sees every row
    _, qs = filtered_queryset(SESSIONS, office, QueryDict())
    response = csv_response(SESSIONS, qs)
    assert response.streaming
    return sum(len(chunk) for chunk in response.streaming_content)


def _timed(fn) -> tuple[float, int]:
    start = time.perf_counter()
    size = fn()
    return time.perf_counter() - start, size


def _peak_mb(fn) -> float:
    tracemalloc.start()
    tracemalloc.reset_peak()
    base = tracemalloc.get_traced_memory()[0]
    fn()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return (peak - base) / 1024 / 1024


def run(rows: int) -> dict:
    with tempfile.TemporaryDirectory(prefix="export-bench-") as tmp:
        _setup_django(str(Path(tmp) / "bench.sqlite3"))
        _populate(rows)
        _baseline()  # warm the page cache for both
        baseline_s = min(_timed(_baseline)[0] for _ in range(2))
        export_runs = [_timed(_export) for _ in range(2)]
        export_s = min(t for t, _ in export_runs)
        result = {
            "rows": rows,
            "baseline_s": round(baseline_s, 3),
            "export_s": round(export_s, 3),
            "export_bytes": export_runs[0][1],
            "export_csv_vs_cursor": round(export_s / baseline_s, 2),
            "baseline_peak_mb": round(_peak_mb(_baseline), 1),
            "export_peak_mb": round(_peak_mb(_export), 1),
        }
        from django.db import connection

        connection.close()
    return result


def measure(rows: int = 200_000) -> dict:
    """Run the benchmark in a fresh interpreter and return its figures."""
    out = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "--rows", str(rows), "--json"],
        check=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--json", action="store_true", help="print one JSON line only")
    args = parser.parse_args()
    result = run(args.rows)
    if args.json:
        print(json.dumps(result))
        return
    print(f"rows: {result['rows']}")
    print(f"baseline_cursor_csv_s: {result['baseline_s']}")
    print(f"export_csv_s: {result['export_s']}")
    print(f"export_csv_vs_cursor: {result['export_csv_vs_cursor']} (goal ≤ 2.0)")
    print(f"baseline_peak_mb: {result['baseline_peak_mb']}")
    print(f"export_peak_mb: {result['export_peak_mb']} (goal ≤ 100)")


if __name__ == "__main__":
    main()
