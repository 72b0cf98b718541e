"""Export all personal data of a person as JSON (Auskunft nach Art. 15 DSGVO)."""

import json
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.core.serializers.json import DjangoJSONEncoder

from portal.audit import log_action
from reports.gdpr import export_person_data, find_person


def _find(identifier):
    user = find_person(identifier)
    if user is None:
        raise CommandError(f"Keine Person mit der Kennung „{identifier}“ gefunden.")
    return user


class Command(BaseCommand):
    help = "Exportiert alle personenbezogenen Daten einer Person (ID oder E-Mail) als JSON."

    def add_arguments(self, parser):
        parser.add_argument("person", help="ID oder E-Mail-Adresse der Person")
        parser.add_argument("--output", "-o", help="Datei statt Standardausgabe")

    def handle(self, *args, person, output=None, **options):
        user = _find(person)
        text = json.dumps(
            export_person_data(user), cls=DjangoJSONEncoder, ensure_ascii=False, indent=2
        )
        log_action(None, "person.data_exported", user, data={"user_id": user.pk, "via": "command"})
        if output:
            Path(output).write_text(text + "\n", encoding="utf-8")
            self.stderr.write(f"Daten von Person {user.pk} nach {output} geschrieben.")
        else:
            self.stdout.write(text)
