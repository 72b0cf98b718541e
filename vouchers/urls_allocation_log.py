from django.urls import path

from vouchers.views import allocation_log

app_name = "allocation_log"

urlpatterns = [
    path("<slug:programme>/", allocation_log.AllocationLogView.as_view(), name="detail"),
    path("<slug:programme>/csv/", allocation_log.AllocationLogCsvView.as_view(), name="csv"),
]
