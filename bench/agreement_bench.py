"""Agreement benchmark: ``generate_agreement`` (snapshot, render, WeasyPrint, SHA-256, storage,
audit row) against a bare ``weasyprint.HTML(string=same_html).write_pdf()`` of exactly the same
HTML, interleaved in the same run, on a throwaway SQLite database in a temporary directory.

    DJANGO_SETTINGS_MODULE=portal.settings.test .venv/bin/python bench/agreement_bench.py [-n 5]

prints ``agreement_vs_weasyprint: <ratio> (goal ≤ 1.2)`` (ratio of the medians).
``measure(n=5) -> float`` runs the same in a subprocess (own settings, own database, own media
directory), so a later ``bench/run.py`` can call it without touching its own Django setup.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL = 1.2


def _setup_django(workdir: str) -> None:
    # Everything this run writes (database, media files, mail) lives in ``workdir``.
    os.environ["PORTAL_VAR_DIR"] = workdir
    os.environ["MEDIA_ROOT"] = str(Path(workdir) / "media")
    os.environ["DATABASE_URL"] = f"sqlite:///{Path(workdir) / 'bench.sqlite3'}"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings.test")
    os.environ.pop("REDIS_URL", None)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command

    settings.MEDIA_ROOT = Path(workdir) / "media"
    call_command("migrate", verbosity=0, interactive=False)


def _populate():
    """A realistic case: a voucher with an Antrag, two facilitators and umlauts everywhere."""
    from django.utils import timezone

    from portal.models import FacilitatorProfile, Organisation, Programme, User
    from vouchers.models import Application, Voucher

    programme = Programme.objects.get(slug="prozessbegleitung")
    period = programme.current_period() or programme.periods.create(
        name="Bench", start=dt.date(2026, 1, 1), end=dt.date(2027, 12, 31), contingent=100
    )
    office = User.objects.create_user("bench-office@example.org", role="office")
    office.operators.add(programme.operator)
    organisation = Organisation.objects.create(
        name="Gemeinde Überlingen-Süd", street="Münsterplatz 4", postcode="88662", city="Überlingen"
    )
    User.objects.create_user(
        "kaethe@example.org", first_name="Käthe", last_name="Müller", organisation=organisation
    )
    application = Application.objects.create(
        organisation=organisation,
        programme=programme,
        status="approved",
        submitted_at=timezone.now(),
        goals="Ein gemeinsames Leitbild und klare Zuständigkeiten in der Kerngruppe.",
        challenge="Die Kerngruppe ist überlastet; neue Engagierte fehlen.",
        contact_name="Käthe Müller",
        contact_email="kaethe@example.org",
        consent=True,
    )
    application.topics.set(programme.topics.all()[:3])
    voucher = Voucher.objects.create(
        code="PB-BENCH-0001",
        application=application,
        organisation=organisation,
        programme=programme,
        period=period,
        status="issued",
        cap_minutes=960,
        valid_until=dt.date(2027, 11, 30),
        issued_at=timezone.now(),
    )
    for first, last in (("Jürgen", "Weiß"), ("Ayşe", "Öztürk")):
        user = User.objects.create_user(
            f"{first.lower()}@example.org", first_name=first, last_name=last, role="facilitator"
        )
        voucher.facilitators.add(FacilitatorProfile.objects.create(user=user))
    return voucher, office


def _run(n: int) -> dict:
    import weasyprint

    from agreements.pdf import AgreementPDFGenerator
    from agreements.pdfa import PDF_VARIANT
    from agreements.services import generate_agreement

    voucher, office = _populate()
    # Warm-up (imports, font loading, template compilation) for both sides, untimed.
    version = generate_agreement(voucher, by=office)
    html = AgreementPDFGenerator(version.snapshot).get_html()
    weasyprint.HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT)

    ours, bare = [], []
    for _ in range(n):
        start = time.perf_counter()
        version = generate_agreement(voucher, by=office)
        ours.append(time.perf_counter() - start)
        # Exactly the HTML this version was rendered from (the template reads only the snapshot).
        html = AgreementPDFGenerator(version.snapshot).get_html()
        start = time.perf_counter()
        # Like with like: the baseline writes the same PDF/A-2b variant.
        weasyprint.HTML(string=html).write_pdf(pdf_variant=PDF_VARIANT)
        bare.append(time.perf_counter() - start)
    ratio = statistics.median(ours) / statistics.median(bare)
    return {
        "ratio": round(ratio, 3),
        "generate_median_s": round(statistics.median(ours), 3),
        "weasyprint_median_s": round(statistics.median(bare), 3),
        "versions": version.number,
        "n": n,
    }


def measure(n: int = 5) -> float:
    """The ratio generate_agreement / bare WeasyPrint (medians of ``n`` interleaved runs)."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env["DJANGO_SETTINGS_MODULE"] = "portal.settings.test"
    result = subprocess.run(
        [sys.executable, str(Path(__file__).resolve()), "-n", str(n), "--json"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        check=True,
        timeout=600,
    )
    return float(json.loads(result.stdout.strip().splitlines()[-1])["ratio"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", type=int, default=5, help="timed runs per side (default 5)")
    parser.add_argument("--json", action="store_true", help="print one JSON line only")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="agreement-bench-") as workdir:
        _setup_django(workdir)
        result = _run(args.n)
    if args.json:
        print(json.dumps(result))
        return
    print(
        f"generate_agreement: {result['generate_median_s']} s, "
        f"weasyprint: {result['weasyprint_median_s']} s (median of {result['n']})"
    )
    print(f"agreement_vs_weasyprint: {result['ratio']} (goal ≤ {GOAL})")


if __name__ == "__main__":
    main()
