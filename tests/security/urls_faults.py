"""Test-only URLs: the portal plus a view that fails with a database error half-way
through its transaction (used by ``test_faults``)."""

from django.db import InterfaceError, OperationalError, transaction
from django.http import HttpResponse
from django.urls import include, path

from vouchers.models import Voucher

ERRORS = {"operational": OperationalError, "interface": InterfaceError}


def half_write_then_fail(request, pk, kind):
    with transaction.atomic():
        Voucher.objects.filter(pk=pk).update(closing_report="halb geschrieben")
        raise ERRORS[kind]("server closed the connection unexpectedly")
    return HttpResponse("nie erreicht")  # pragma: no cover


urlpatterns = [
    path("", include("portal.urls")),
    path("test-only/db-fehler/<int:pk>/<str:kind>/", half_write_then_fail, name="db_failure"),
]
