from django.http import HttpResponse
from django.urls import path


def _placeholder(request, *args, **kwargs):
    return HttpResponse("Übersicht folgt.")


urlpatterns = [
    path("", _placeholder, name="facilitator_directory"),
    path("<int:pk>/", _placeholder, name="facilitator_detail"),
]
