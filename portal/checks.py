"""Deploy checks of our own: production must not run on the development secret."""

from django.conf import settings
from django.core.checks import Error, Tags, register


@register(Tags.security, deploy=True)
def secret_key_set(app_configs, **kwargs):
    from portal.settings import base

    if base._SECRET_MISSING and settings.SECRET_KEY == base._DEV_SECRET:
        return [
            Error(
                "SECRET_KEY ist nicht gesetzt.",
                hint="Setzen Sie die Umgebungsvariable SECRET_KEY für den Produktivbetrieb.",
                id="portal.E001",
            )
        ]
    return []
