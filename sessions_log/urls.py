from django.urls import path

from sessions_log import views

app_name = "sessions_log"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("laufende-gutscheine/", views.OfficeVoucherListView.as_view(), name="office_list"),
    path(
        "gutschein/<int:voucher_pk>/", views.VoucherSessionsView.as_view(), name="voucher_sessions"
    ),
    path(
        "gutschein/<int:voucher_pk>/eintragen/",
        views.SessionCreateView.as_view(),
        name="session_add",
    ),
    path(
        "gutschein/<int:voucher_pk>/rest/",
        views.RemainingPreviewView.as_view(),
        name="remaining_preview",
    ),
    path(
        "gutschein/<int:voucher_pk>/abschluss-beantragen/",
        views.RequestClosingView.as_view(),
        name="request_closing",
    ),
    path(
        "gutschein/<int:voucher_pk>/abschliessen/",
        views.CloseVoucherView.as_view(),
        name="close",
    ),
    path("stunden-bestaetigen/", views.ConfirmHoursView.as_view(), name="confirm_hours"),
    path("eintrag/<int:pk>/widersprechen/", views.DisputeEntryView.as_view(), name="dispute_entry"),
    path("eintrag/<int:pk>/klaeren/", views.ResolveDisputeView.as_view(), name="resolve_dispute"),
    path("eintrag/<int:pk>/bearbeiten/", views.SessionUpdateView.as_view(), name="session_edit"),
    path("eintrag/<int:pk>/loeschen/", views.SessionDeleteView.as_view(), name="session_delete"),
]
