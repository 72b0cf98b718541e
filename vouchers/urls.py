from django.http import HttpResponse
from django.urls import path

app_name = "vouchers"


def _placeholder(request, *args, **kwargs):
    return HttpResponse("Folgt.")


urlpatterns = [
    path("", _placeholder, name="applicant_dashboard"),
    path("liste/", _placeholder, name="queue"),
    path("<int:pk>/", _placeholder, name="application_detail"),
    path("gutscheine/<int:pk>/", _placeholder, name="case_detail"),
]
