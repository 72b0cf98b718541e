"""The portal measured against its baselines, in one run, on a throwaway database.

    .venv/bin/python bench/run.py [--quick] [--json FILE]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/h7bench .venv/bin/python bench/run.py

SQLite (``var/bench/bench.sqlite3``, recreated) by default; PostgreSQL when ``DATABASE_URL``
is set (the database is dropped and recreated, so its name must contain "bench"). The run
migrates, seeds a small data set (query counts), replaces it with the large one
(``bench/seed.py``), then prints one line per figure, ``name: value (goal …)``, on stdout
(progress goes to stderr) and exits 1 if a figure misses its goal. Absolute times on a shared
machine say little; every figure is a ratio to a baseline measured in the same run, or a count.
"""

from __future__ import annotations

import argparse
import contextlib
import http.client
import json
import logging
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
# BENCH_DIR=var/bench-x lets several people run benchmarks side by side on one machine.
BENCH_DIR = Path(os.environ.get("BENCH_DIR") or ROOT / "var" / "bench").resolve()
SQLITE_PATH = BENCH_DIR / "bench.sqlite3"
QUERY_PAGES = {
    "queries_queue": "vouchers:queue",
    "queries_case_page": "vouchers:case_detail",
    "queries_facilitator_dashboard": "sessions_log:dashboard",
    "queries_reports_dashboard": "reports:dashboard",
}
MAX_QUERIES = 15


@dataclass(frozen=True)
class Profile:
    scale: float
    small_scale: float
    page_runs: int
    log_runs: int
    throughput_seconds: float
    agreement_runs: int
    export_rows: int


FULL = Profile(1.0, 0.02, 40, 100, 10.0, 5, 200_000)
QUICK = Profile(0.25, 0.02, 15, 40, 5.0, 3, 100_000)


@dataclass
class Figure:
    name: str
    value: float | int | str | None
    goal: str
    ok: bool
    note: str = ""

    def line(self) -> str:
        value = self.value
        if isinstance(value, float):
            value = f"{value:.2f}"
        elif value is None:
            value = "n/a"
        note = f" — {self.note}" if self.note else ""
        flag = "" if self.ok else " MISSED"
        return f"{self.name}: {value} ({self.goal}){flag}{note}"


@dataclass
class Report:
    figures: list[Figure] = field(default_factory=list)
    info: dict = field(default_factory=dict)

    def add(self, figure: Figure) -> None:
        self.figures.append(figure)
        print(figure.line(), flush=True)

    @property
    def ok(self) -> bool:
        return all(f.ok for f in self.figures)


def progress(message: str) -> None:
    print(f"# {message}", file=sys.stderr, flush=True)


# --- environment and database -------------------------------------------------------------
def prepare_environment() -> str:
    """Environment for this process and the gunicorn server; returns the DATABASE_URL."""
    url = os.environ.get("DATABASE_URL", "")
    if url and not url.startswith("sqlite"):
        name = urlsplit(url).path.lstrip("/")
        if "bench" not in name:
            sys.exit(
                f"bench/run.py drops and recreates its database; refusing to use {name!r}. "
                "Use a database name containing 'bench', e.g. …/h7bench."
            )
        recreate_postgres(url)
    else:
        BENCH_DIR.mkdir(parents=True, exist_ok=True)
        for suffix in ("", "-wal", "-shm"):
            Path(f"{SQLITE_PATH}{suffix}").unlink(missing_ok=True)
        url = f"sqlite:///{SQLITE_PATH}"
    os.environ.update(
        DATABASE_URL=url,
        DJANGO_SETTINGS_MODULE="portal.settings",
        PORTAL_VAR_DIR=str(BENCH_DIR / "var"),
        SECRET_KEY="bench-only-secret-key-not-for-production-4b1d9e",  # noqa: S106
        DEBUG="false",
        STATICFILES_BACKEND="django.contrib.staticfiles.storage.StaticFilesStorage",
        EMAIL_BACKEND="django.core.mail.backends.locmem.EmailBackend",
        LOG_LEVEL="WARNING",
    )
    # Per-process cache (rate-limit counters); a shared one is not needed here.
    os.environ.setdefault("CACHE_URL", "locmemcache://")
    # WhiteNoise warns about a missing STATIC_ROOT; the benchmark serves no static files.
    (BENCH_DIR / "var" / "staticfiles").mkdir(parents=True, exist_ok=True)
    os.environ.pop("REDIS_URL", None)  # no broker needed: pages enqueue nothing
    os.environ.pop("EMAIL_URL", None)
    return url


def recreate_postgres(url: str) -> None:
    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin_url = parts._replace(path="/postgres").geturl()
    with psycopg.connect(admin_url, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def setup_django() -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.ROOT_URLCONF = "bench.urls"
    logging.getLogger("portal.security").setLevel(logging.WARNING)  # no login events
    call_command("migrate", verbosity=0, interactive=False)


def analyze() -> None:
    """PostgreSQL: collect planner statistics after the bulk load, as autovacuum would do
    within a minute in production. Without them the planner guesses and, for example, sums
    the period's sessions with a sequential scan of all 200,000 rows (99 ms instead of
    10 ms). SQLite keeps no statistics unless asked (Django never does), so it stays as is."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


# --- in-process measurements ----------------------------------------------------------------
def client_for(user_id: int):
    from django.test import Client
    from django_otp.plugins.otp_totp.models import TOTPDevice

    from portal.models import User
    from portal.security import two_factor

    user = User.objects.get(pk=user_id)
    client = Client(raise_request_exception=True)
    client.force_login(user)
    if two_factor.required_for(user):  # the admin has entered the code from the app
        device = two_factor.confirmed_device(user) or TOTPDevice.objects.create(
            user=user, name=two_factor.DEVICE_NAME, confirmed=True
        )
        session = client.session
        two_factor.record_verified(session, device)
        session.save()
    return client


def page_urls(seeded) -> dict:
    """(client user, URL) of every measured page."""
    from django.urls import reverse

    return {
        "queue": (seeded.office_id, reverse("vouchers:queue")),
        "case_page": (
            seeded.office_id,
            reverse("vouchers:case_detail", args=[seeded.case_voucher_id]),
        ),
        "facilitator_dashboard": (seeded.facilitator_user_id, reverse("sessions_log:dashboard")),
        "reports_dashboard": (seeded.office_id, reverse("reports:dashboard")),
        "bare": (seeded.office_id, reverse("bench_bare_queue")),
        "admin": (seeded.superuser_id, reverse("admin:vouchers_application_changelist")),
        "hello": (seeded.office_id, reverse("bench_hello")),
    }


def is_placeholder(url: str) -> bool:
    from django.urls import resolve

    return getattr(resolve(url).func, "__name__", "") == "_placeholder"


def count_queries(seeded) -> dict[str, int | str]:
    """Queries of one warm request per page (the first request fills caches)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    counts: dict[str, int | str] = {}
    urls = page_urls(seeded)
    clients = {}
    for figure, url_name in QUERY_PAGES.items():
        user_id, url = urls[figure.removeprefix("queries_")]
        if is_placeholder(url):
            counts[figure] = f"placeholder at {url_name}"
            continue
        client = clients.setdefault(user_id, client_for(user_id))
        client.get(url)
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url)
        if response.status_code != 200:
            counts[figure] = f"HTTP {response.status_code} at {url_name}"
            continue
        counts[figure] = len(ctx.captured_queries)
    return counts


def time_pages(seeded, names: list[str], runs: int) -> dict[str, float]:
    """Median server time (s) per page, interleaved (ABC ABC …) so load spikes hit all."""
    urls = page_urls(seeded)
    clients = {name: client_for(urls[name][0]) for name in names}
    samples: dict[str, list[float]] = {name: [] for name in names}
    for name in names:  # warm-up: templates compiled, caches filled
        for _ in range(3):
            response = clients[name].get(urls[name][1])
            assert response.status_code == 200, (name, response.status_code)
    for i in range(runs):
        order = names[i % len(names) :] + names[: i % len(names)]
        for name in order:
            start = time.perf_counter()
            clients[name].get(urls[name][1])
            samples[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in samples.items()}


def time_log_session(seeded, runs: int) -> tuple[float, float]:
    """Median of ``log_session`` (caps, lock, audit row) vs a bare ``objects.create``."""
    from django.utils import timezone

    from portal.models import User
    from sessions_log.models import SessionEntry
    from sessions_log.services import log_session
    from vouchers.models import Voucher

    user = User.objects.select_related("facilitator_profile").get(pk=seeded.facilitator_user_id)
    profile = user.facilitator_profile
    vouchers = list(
        Voucher.objects.select_related("programme", "organisation").filter(
            pk__in=seeded.log_voucher_ids
        )
    )
    today = timezone.localdate()
    kwargs = {"date": today, "minutes": 10, "activity": "workshop", "format": "vor_ort"}

    def ours(voucher):
        log_session(voucher, by=user, **kwargs)

    def bare(voucher):
        SessionEntry.objects.create(voucher=voucher, facilitator=profile, **kwargs)

    for fn in (ours, bare):  # warm-up
        fn(vouchers[0])
    timings: dict = {ours: [], bare: []}
    for i in range(runs):
        voucher = vouchers[i % len(vouchers)]
        for fn in (ours, bare) if i % 2 else (bare, ours):
            start = time.perf_counter()
            fn(voucher)
            timings[fn].append(time.perf_counter() - start)
    return statistics.median(timings[ours]), statistics.median(timings[bare])


# --- throughput under gunicorn ---------------------------------------------------------------
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def session_cookie(user_id: int) -> str:
    from django.conf import settings

    client = client_for(user_id)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def hammer(port: int, path: str, cookie: str, seconds: float, clients: int = 10) -> dict:
    """``clients`` threads request ``path`` back to back for ``seconds``; returns req/s."""
    stop = time.perf_counter() + seconds
    ok, errors = [0] * clients, [0] * clients

    def worker(n: int) -> None:
        while time.perf_counter() < stop:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
            try:
                conn.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
                response = conn.getresponse()
                response.read()
                if response.status == 200:
                    ok[n] += 1
                else:
                    errors[n] += 1
            except OSError:
                errors[n] += 1
            finally:
                conn.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=worker, args=(n,)) for n in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - started
    return {"rps": sum(ok) / elapsed, "ok": sum(ok), "errors": sum(errors)}


def throughput(seeded, seconds: float) -> dict:
    """Requests/s of the facilitator dashboard and of hello-world in one gunicorn server."""
    from django.db import connections
    from django.urls import reverse

    cookie = session_cookie(seeded.facilitator_user_id)
    connections.close_all()  # SQLite: let the server's workers read without our open handle
    port = free_port()
    server = subprocess.Popen(
        [
            str(Path(sys.executable).with_name("gunicorn")),
            "bench.wsgi:application",
            "--workers=2",
            f"--bind=127.0.0.1:{port}",
            "--log-level=warning",
            "--timeout=60",
        ],
        cwd=ROOT,
        env=os.environ.copy(),
    )
    try:
        deadline = time.perf_counter() + 60
        while True:
            try:
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                conn.request("GET", reverse("bench_hello"))
                if conn.getresponse().status == 200:
                    break
            except OSError:
                pass
            if time.perf_counter() > deadline or server.poll() is not None:
                raise RuntimeError("gunicorn did not start")
            time.sleep(0.2)
        paths = {"dashboard": reverse("sessions_log:dashboard"), "hello": reverse("bench_hello")}
        for path in paths.values():  # warm both workers
            hammer(port, path, cookie, 1.0, clients=4)
        result = {name: hammer(port, path, cookie, seconds) for name, path in paths.items()}
    finally:
        server.terminate()
        server.wait(timeout=30)
    return result


# --- the run ---------------------------------------------------------------------------------
def ratio_figure(name: str, ours: float, base: float, goal: float, note: str) -> Figure:
    value = ours / base
    return Figure(name, value, f"goal ≤ {goal}", value <= goal, note)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="smaller scale, fewer runs (< 5 min)")
    parser.add_argument("--json", type=Path, help="also write the figures to this JSON file")
    args = parser.parse_args(argv)
    profile = QUICK if args.quick else FULL
    started = time.perf_counter()
    url = prepare_environment()
    vendor = "sqlite" if url.startswith("sqlite") else "postgresql"
    progress(f"database: {vendor}; profile: {'quick' if args.quick else 'full'} {profile}")
    setup_django()
    from bench import seed as seeding

    report = Report(info={"database": vendor, "quick": args.quick, "scale": profile.scale})
    try:
        load = os.getloadavg()
        report.info["loadavg_start"] = [round(x, 2) for x in load]
        progress(f"load average at start: {load[0]:.2f} {load[1]:.2f} {load[2]:.2f}")
    except OSError:
        pass

    # 1. Query counts: a small data set, then the large one, the same requests.
    small = seeding.seed(profile.small_scale)
    progress(small.line())
    small_counts = count_queries(small)
    seeding.clear()
    seeded = seeding.seed(profile.scale)
    progress(seeded.line())
    analyze()
    report.info["seed"] = {"seconds": round(seeded.seconds, 1), "counts": seeded.counts}
    seed_goal = vendor == "sqlite" and profile.scale == 1.0
    report.add(
        Figure(
            "seed_seconds",
            seeded.seconds,
            "goal ≤ 120 on SQLite" if seed_goal else "info",
            seeded.seconds <= 120 or not seed_goal,
            f"{seeded.counts.get('applications', 0):,} applications, "
            f"{seeded.counts.get('session entries', 0):,} session entries",
        )
    )
    large_counts = count_queries(seeded)
    for figure in QUERY_PAGES:
        large, small_n = large_counts[figure], small_counts[figure]
        ok = isinstance(large, int) and large <= MAX_QUERIES and large == small_n
        report.add(
            Figure(figure, large, f"goal ≤ {MAX_QUERIES} and = small data set: {small_n}", ok)
        )

    # 2. Server time of the queue against the bare view and the admin changelist.
    progress("timing queue, bare view, admin changelist …")
    medians = time_pages(seeded, ["queue", "bare", "admin"], profile.page_runs)
    ms = {k: round(v * 1000, 1) for k, v in medians.items()}
    report.info["page_median_ms"] = ms
    report.add(
        ratio_figure(
            "queue_vs_bare",
            medians["queue"],
            medians["bare"],
            2.0,
            f"queue {ms['queue']} ms, bare {ms['bare']} ms (median of {profile.page_runs})",
        )
    )
    report.add(
        ratio_figure(
            "queue_vs_admin",
            medians["queue"],
            medians["admin"],
            1.0,
            f"admin changelist {ms['admin']} ms",
        )
    )

    # 3. log_session against a bare insert.
    progress("timing log_session …")
    ours, bare = time_log_session(seeded, profile.log_runs)
    report.info["log_session_median_ms"] = {"log_session": ours * 1000, "create": bare * 1000}
    report.add(
        ratio_figure(
            "log_session_vs_bare_insert",
            ours,
            bare,
            3.0,
            f"log_session {ours * 1000:.2f} ms, create {bare * 1000:.2f} ms "
            f"(median of {profile.log_runs})",
        )
    )

    # 4. Throughput under gunicorn.
    progress("throughput under gunicorn (2 workers, 10 clients) …")
    try:
        result = throughput(seeded, profile.throughput_seconds)
        report.info["throughput"] = result
        value = result["dashboard"]["rps"] / result["hello"]["rps"]
        errors = result["dashboard"]["errors"] + result["hello"]["errors"]
        report.add(
            Figure(
                "throughput_dashboard_vs_hello",
                value,
                "goal ≥ 0.15",
                value >= 0.15 and errors == 0,
                f"dashboard {result['dashboard']['rps']:.1f} req/s, "
                f"hello {result['hello']['rps']:.1f} req/s, {errors} errors, "
                f"{profile.throughput_seconds:g} s each",
            )
        )
    except Exception as exc:  # report and go on: the other figures still count
        report.add(Figure("throughput_dashboard_vs_hello", None, "goal ≥ 0.15", False, str(exc)))

    # 5. Agreements and exports: their own benchmarks, each in a fresh interpreter and DB.
    from django.db import connections

    connections.close_all()
    progress("agreement benchmark …")
    try:
        from bench.agreement_bench import measure as measure_agreement

        value = measure_agreement(n=profile.agreement_runs)
        report.add(
            Figure(
                "agreement_vs_weasyprint",
                value,
                "goal ≤ 1.2",
                value <= 1.2,
                f"median of {profile.agreement_runs}",
            )
        )
    except Exception as exc:
        report.add(Figure("agreement_vs_weasyprint", None, "goal ≤ 1.2", False, _error(exc)))
    progress("audit folder benchmark (300 session entries) …")
    try:
        from bench.audit_folder_bench import GOAL_MB
        from bench.audit_folder_bench import measure as measure_audit_folder

        folder = measure_audit_folder()
        report.info["audit_folder"] = folder
        report.add(
            Figure(
                "audit_folder_peak_mb",
                folder["audit_folder_peak_mb"],
                f"goal < {GOAL_MB}",
                folder["audit_folder_peak_mb"] < GOAL_MB,
                f"{folder['entries']} entries written in {folder['audit_folder_seconds']} s "
                f"(audit_folder_seconds)",
            )
        )
    except Exception as exc:
        report.add(Figure("audit_folder_peak_mb", None, "goal < 50", False, _error(exc)))
    progress(f"export benchmark ({profile.export_rows:,} session rows) …")
    try:
        from bench.export_bench import measure as measure_export

        export = measure_export(rows=profile.export_rows)
        report.info["export"] = export
        report.add(
            Figure(
                "export_csv_vs_cursor",
                export["export_csv_vs_cursor"],
                "goal ≤ 2.0",
                export["export_csv_vs_cursor"] <= 2.0,
                f"{export['rows']:,} rows: export {export['export_s']} s, "
                f"cursor {export['baseline_s']} s",
            )
        )
        report.add(
            Figure(
                "export_peak_mb",
                export["export_peak_mb"],
                "goal ≤ 100",
                export["export_peak_mb"] <= 100,
                "traced Python allocations above start",
            )
        )
    except Exception as exc:
        for name, goal in (
            ("export_csv_vs_cursor", "goal ≤ 2.0"),
            ("export_peak_mb", "goal ≤ 100"),
        ):
            report.add(Figure(name, None, goal, False, _error(exc)))

    report.info["seconds"] = round(time.perf_counter() - started, 1)
    with contextlib.suppress(OSError):
        report.info["loadavg_end"] = [round(x, 2) for x in os.getloadavg()]
    progress(
        f"done in {report.info['seconds']} s; {'all goals met' if report.ok else 'goals MISSED'}"
    )
    if args.json:
        payload = {
            "figures": [f.__dict__ for f in report.figures],
            "info": report.info,
            "ok": report.ok,
        }
        args.json.write_text(json.dumps(payload, indent=2, default=str))
    return 0 if report.ok else 1


def _error(exc: Exception) -> str:
    if isinstance(exc, subprocess.CalledProcessError):
        tail = (exc.stderr or "").strip().splitlines()[-3:]
        return f"subprocess failed: {' | '.join(tail)}"
    return f"{type(exc).__name__}: {exc}"


if __name__ == "__main__":
    sys.exit(main())
