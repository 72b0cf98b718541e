from django.conf import settings


def portal(request):
    """Programme office branding for every template (name, contacts — from settings)."""
    return {"PROGRAMME_OFFICE": settings.PROGRAMME_OFFICE}
