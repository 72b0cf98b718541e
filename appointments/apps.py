from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppointmentsConfig(AppConfig):
    """Work floor: the sparring calendar (slots, bookings, ICS, reminders)."""

    name = "appointments"
    verbose_name = _("Sparring-Kalender")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        # Booked appointments reserve units of rule 5: ``log_session`` counts them too.
        from appointments.selectors import reserved_units, reserved_units_sql
        from sessions_log import hooks

        hooks.register_reserved_units(reserved_units, sql=reserved_units_sql())

        from django.contrib.auth.signals import user_logged_in

        from appointments.templatetags.appointments_tags import prime_on_login

        user_logged_in.connect(prime_on_login, dispatch_uid="appointments-nav-link")
