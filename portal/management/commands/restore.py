"""``manage.py restore DIR``: checks the manifest, then restores database and media into a
new, empty database and storage (see portal.backup)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from portal.backup import BackupError, restore


class Command(BaseCommand):
    help = (
        "Stellt eine Sicherung (nach Prüfung der SHA-256-Liste) in eine leere Datenbank wieder her."
    )

    def add_arguments(self, parser):
        parser.add_argument("source", type=Path, help="Verzeichnis der Sicherung")

    def handle(self, *args, source: Path, **options):
        try:
            manifest = restore(source)
        except BackupError as exc:
            raise CommandError(f"Sicherung nicht wiederhergestellt: {exc}") from exc
        self.stdout.write(f"{len(manifest)} Dateien geprüft und wiederhergestellt aus {source}")
