from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Roof floor: figures, exports, the funder report and the GDPR tools read every app."""

    name = "reports"
    verbose_name = _("Berichte")
    default_auto_field = "django.db.models.BigAutoField"
