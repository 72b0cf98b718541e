"""``python manage.py demo_totp_code EMAIL``: the current six-digit code of a demo account's
authenticator key, for trying the portal without an app. Refused outside the demo
(``DEBUG`` off and a real ``SECRET_KEY``), like ``seed_demo``."""

from __future__ import annotations

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django_otp.oath import TOTP

from portal.models import User
from portal.security import two_factor


def current_code(device) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


class Command(BaseCommand):
    help = "Zeigt den aktuellen Code der Authenticator-App eines Demo-Kontos (nur im Demobetrieb)."

    def add_arguments(self, parser):
        parser.add_argument("email", help="E-Mail-Adresse des Kontos")

    def handle(self, *args, email, **options):
        from portal.settings import base

        if not settings.DEBUG and not base._SECRET_MISSING:
            raise CommandError("Nur im Demobetrieb (DEBUG=true) verfügbar.")
        user = User.objects.filter(email__iexact=email.strip()).first()
        device = two_factor.confirmed_device(user) if user else None
        if device is None:
            raise CommandError("Für dieses Konto ist keine Zwei-Faktor-Anmeldung eingerichtet.")
        self.stdout.write(current_code(device))
