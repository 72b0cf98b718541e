from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AppointmentsConfig(AppConfig):
    """Work floor: the sparring calendar (slots, bookings, ICS, reminders)."""

    name = "appointments"
    verbose_name = _("Sparring-Kalender")
    default_auto_field = "django.db.models.BigAutoField"
