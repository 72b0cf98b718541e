"""A test-only URLconf: the portal's URLs plus views that raise a ``RuleViolation``."""

from django.http import HttpResponse
from django.urls import path

from portal.errors import CapExceeded, RuleViolation
from portal.urls import urlpatterns as portal_urlpatterns


def raises_rule_violation(request):
    if request.method == "POST":
        raise CapExceeded(
            "Der Eintrag überschreitet die 16 Stunden. Verfügbar sind noch 30 Minuten.",
            remaining_minutes=30,
        )
    raise RuleViolation("Für dieses Programm ist das Kontingent ausgeschöpft.")


def form_page(request):
    return HttpResponse("Formular")


urlpatterns = [
    path("test/regel/", raises_rule_violation, name="test_rule_violation"),
    path("test/formular/", form_page, name="test_form_page"),
    *portal_urlpatterns,
]
