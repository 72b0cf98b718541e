from django.urls import path

from portal.views import directory

urlpatterns = [
    path("", directory.FacilitatorDirectoryView.as_view(), name="facilitator_directory"),
    path("<int:pk>/", directory.FacilitatorDetailView.as_view(), name="facilitator_detail"),
]
