from django.http import HttpResponse
from django.urls import path

app_name = "feedback"


def _placeholder(request, *args, **kwargs):
    return HttpResponse("Folgt.")


urlpatterns = [
    path("<str:token>/", _placeholder, name="form"),
]
