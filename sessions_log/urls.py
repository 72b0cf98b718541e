from django.http import HttpResponse
from django.urls import path

app_name = "sessions_log"


def _placeholder(request, *args, **kwargs):
    return HttpResponse("Folgt.")


urlpatterns = [
    path("", _placeholder, name="dashboard"),
]
