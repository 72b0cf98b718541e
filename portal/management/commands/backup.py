"""``manage.py backup DIR``: database and media with a SHA-256 manifest (see portal.backup)."""

from pathlib import Path

from django.core.management.base import BaseCommand

from portal.backup import backup


class Command(BaseCommand):
    help = "Sichert Datenbank und Dateien mit einer SHA-256-Prüfliste in ein neues Verzeichnis."

    def add_arguments(self, parser):
        parser.add_argument("target", type=Path, help="neues Verzeichnis für die Sicherung")

    def handle(self, *args, target: Path, **options):
        manifest = backup(target)
        self.stdout.write(f"{len(manifest)} Dateien gesichert in {target}")
