"""Write a sample agreement PDF from the demo data (``make demo-agreement``).

Uses a voucher of the demo data (``seed_demo``) if there is one, else a sample partner for the
first programme. Nothing is stored in the database: this only renders and writes the file."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import DatabaseError
from django.utils import timezone

from agreements.pdf import AgreementPDFGenerator
from agreements.snapshot import build_sample_snapshot, build_snapshot


class Command(BaseCommand):
    help = "Schreibt eine Beispiel-Vereinbarung (PDF) aus den Demodaten."

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            default=str(Path(settings.VAR_DIR) / "demo-agreement.pdf"),
            help="Zieldatei (Standard: var/demo-agreement.pdf)",
        )
        parser.add_argument("--voucher", default="", help="Gutscheincode aus den Demodaten")

    def handle(self, *args, output, voucher, **options):
        snapshot, source = self._snapshot(voucher)
        pdf = AgreementPDFGenerator(snapshot).get_pdf()
        path = Path(output)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(pdf)
        self.stdout.write(
            self.style.SUCCESS(f"Vereinbarung ({source}) geschrieben: {path} ({len(pdf)} Bytes)")
        )

    def _snapshot(self, code: str) -> tuple[dict, str]:
        from portal.models import Programme
        from vouchers.models import Voucher

        try:
            vouchers = Voucher.objects.exclude(status=Voucher.Status.CANCELLED).select_related(
                "organisation", "programme", "application"
            )
            if code:
                found = vouchers.filter(code=code).first()
                if found is None:
                    raise CommandError(f"Gutschein {code} nicht gefunden.")
            else:
                found = (
                    vouchers.filter(status=Voucher.Status.ISSUED).order_by("pk").first()
                    or vouchers.order_by("pk").first()
                )
            if found is not None:
                snapshot = build_snapshot(
                    found, number=0, generated_at=timezone.now(), generated_by=None
                )
                return snapshot, f"Gutschein {found.code}"
            programme = Programme.objects.order_by("pk").first()
        except DatabaseError:
            programme = None
        if programme is None:
            programme = self._unsaved_programme()
        return build_sample_snapshot(programme), f"Muster für „{programme.name}“"

    @staticmethod
    def _unsaved_programme():
        """The first seeded programme without a database (e.g. before ``migrate``)."""
        from portal.models import Programme
        from portal.seed_data import FUNDING_NOTICE_FULL, FUNDING_NOTICE_SHORT, PROGRAMMES

        spec = {
            k: v
            for k, v in PROGRAMMES[0].items()
            if k not in ("periods", "cohorts", "eligible_kinds", "offer_ends")
        }
        return Programme(
            **spec, funding_notice=FUNDING_NOTICE_FULL, funding_notice_short=FUNDING_NOTICE_SHORT
        )
