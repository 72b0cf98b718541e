from django.urls import path

from reports import views, views_exports, views_gdpr

app_name = "reports"

urlpatterns = [
    path("", views.DashboardView.as_view(), name="dashboard"),
    path("bericht.pdf", views.FunderReportView.as_view(), name="funder_report"),
    path("listen/<slug:report>/", views.ReportListView.as_view(), name="report_list"),
    path(
        "listen/<slug:report>/export.<str:file_format>",
        views_exports.ExportView.as_view(),
        name="export",
    ),
    path("exporte/<uuid:uuid>/", views_exports.ExportJobView.as_view(), name="export_job"),
    path(
        "exporte/<uuid:uuid>/download/",
        views_exports.ExportDownloadView.as_view(),
        name="export_download",
    ),
    path("auslastung/", views.UtilisationView.as_view(), name="utilisation"),
    path(
        "auslastung/meine/",
        views.FacilitatorUtilisationView.as_view(),
        name="my_utilisation",
    ),
    path(
        "auslastung/<int:pk>/",
        views.FacilitatorUtilisationView.as_view(),
        name="facilitator_utilisation",
    ),
    path("datenschutz/", views_gdpr.GdprView.as_view(), name="gdpr"),
    path(
        "datenschutz/<int:pk>/export.json", views_gdpr.GdprExportView.as_view(), name="gdpr_export"
    ),
    path(
        "datenschutz/<int:pk>/anonymisieren/",
        views_gdpr.GdprAnonymiseView.as_view(),
        name="gdpr_anonymise",
    ),
]
