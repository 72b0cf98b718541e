from django.http import HttpResponse
from django.urls import path

app_name = "reports"


def _placeholder(request, *args, **kwargs):
    return HttpResponse("Berichte folgen.")


urlpatterns = [
    path("", _placeholder, name="dashboard"),
]
