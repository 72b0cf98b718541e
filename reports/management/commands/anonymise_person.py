"""Erase a person's contact data everywhere; counts, hours and tiers stay for the reports."""

from django.core.management.base import BaseCommand, CommandError

from reports.gdpr import anonymise_person, find_person, is_anonymised


def _find(identifier):
    user = find_person(identifier)
    if user is None:
        raise CommandError(f"Keine Person mit der Kennung „{identifier}“ gefunden.")
    return user


class Command(BaseCommand):
    help = (
        "Löscht die Kontaktdaten einer Person (ID oder E-Mail) in allen Tabellen; "
        "Zahlen, Stunden und Rangstufen bleiben erhalten."
    )

    def add_arguments(self, parser):
        parser.add_argument("person", help="ID oder E-Mail-Adresse der Person")
        parser.add_argument(
            "--yes", action="store_true", help="ohne Rückfrage ausführen (für Skripte)"
        )

    def handle(self, *args, person, yes=False, **options):
        user = _find(person)
        if is_anonymised(user):
            self.stdout.write(f"Person {user.pk} ist bereits anonymisiert.")
            return
        if not yes:
            answer = input(f"Kontaktdaten von Person {user.pk} unwiderruflich löschen? [ja/nein] ")
            if answer.strip().lower() not in ("ja", "j", "yes", "y"):
                raise CommandError("Abgebrochen.")
        result = anonymise_person(user, by=None)
        self.stdout.write(
            f"Person {user.pk} anonymisiert: {result.applications} Anträge, "
            f"{result.feedback_requests} Feedbackanfragen, {result.swept_rows} weitere Zeilen."
        )
