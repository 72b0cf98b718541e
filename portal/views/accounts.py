"""Login, registration and password management (placeholder: filled by the foundation work)."""

from django.http import HttpResponse


def register(request):
    return HttpResponse("Registrierung folgt.")
