"""Anonymise contact data of cases closed longer than RETENTION_DAYS_AFTER_CLOSE days ago."""

from django.conf import settings
from django.core.management.base import BaseCommand

from reports.gdpr import apply_retention


class Command(BaseCommand):
    help = (
        "Anonymisiert die Kontaktdaten abgeschlossener Begleitungen nach Ablauf der "
        "Aufbewahrungsfrist (RETENTION_DAYS_AFTER_CLOSE)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--days",
            type=int,
            default=None,
            help=f"Frist in Tagen (Standard: {settings.RETENTION_DAYS_AFTER_CLOSE})",
        )
        parser.add_argument("--dry-run", action="store_true", help="nur zählen, nichts ändern")

    def handle(self, *args, days=None, dry_run=False, **options):
        result = apply_retention(days=days, dry_run=dry_run)
        prefix = "Würde anonymisieren" if dry_run else "Anonymisiert"
        self.stdout.write(
            f"{prefix}: {result.vouchers} Begleitungen, {result.applications} Anträge, "
            f"{result.feedback_requests} Feedbackanfragen."
        )
