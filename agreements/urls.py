from django.http import HttpResponse
from django.urls import path

app_name = "agreements"


def _placeholder(request, *args, **kwargs):
    return HttpResponse("Folgt.")


urlpatterns = [
    path("<int:pk>/", _placeholder, name="download"),
]
