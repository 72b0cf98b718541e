from django.apps import AppConfig


class SecurityConfig(AppConfig):
    name = "portal.security"
    label = "portal_security"
    verbose_name = "Sicherheit"

    def ready(self) -> None:
        from portal.security import events, two_factor

        events.connect()
        two_factor.connect()
