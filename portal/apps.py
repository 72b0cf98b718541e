from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

# German names for what third-party apps show in the Django admin (their own are English
# or technical: "Axes", "Otp_Totp", "TOTP devices").
THIRD_PARTY_APP_NAMES = {
    "axes": _("Anmeldeschutz"),
    "otp_totp": _("Zwei-Faktor-Anmeldung (Authenticator-App)"),
    "otp_static": _("Zwei-Faktor-Anmeldung (Notfallcodes)"),
}
THIRD_PARTY_MODEL_NAMES = {
    ("axes", "accessattemptexpiration"): (
        _("Ablauf eines Zugriffsversuchs"),
        _("Abläufe der Zugriffsversuche"),
    ),
    ("otp_totp", "totpdevice"): (_("Authenticator-App"), _("Authenticator-Apps")),
    ("otp_static", "staticdevice"): (_("Notfallcode-Liste"), _("Notfallcode-Listen")),
    ("otp_static", "statictoken"): (_("Notfallcode"), _("Notfallcodes")),
}


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = _("Portal")

    def ready(self) -> None:
        from django.apps import apps
        from django.contrib import admin

        from . import checks  # noqa: F401  (registers the deploy checks)

        # Cases end through their services (cancel, close, anonymise), never by a bulk
        # delete in the admin: the action "Ausgewählte … löschen" is off for every model.
        admin.site.disable_action("delete_selected")
        for label, name in THIRD_PARTY_APP_NAMES.items():
            if apps.is_installed(label) or label in apps.app_configs:
                apps.get_app_config(label).verbose_name = name
        for (label, model_name), (singular, plural) in THIRD_PARTY_MODEL_NAMES.items():
            if label in apps.app_configs:
                meta = apps.get_model(label, model_name)._meta
                meta.verbose_name, meta.verbose_name_plural = singular, plural
