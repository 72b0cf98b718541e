from django.contrib import admin
from django.urls import include, path

from portal.views import health, inbox, outbox, public

urlpatterns = [
    path("", public.StartView.as_view(), name="start"),
    path("uebersicht/", public.home, name="home"),
    path("barrierefreiheit/", public.AccessibilityView.as_view(), name="accessibility"),
    path("datenschutz/", public.PrivacyView.as_view(), name="privacy"),
    path("impressum/", public.ImprintView.as_view(), name="imprint"),
    path("konto/", include("portal.urls_accounts")),
    path("prozessbegleitung/", include("portal.urls_directory")),
    path("antraege/", include("vouchers.urls", namespace="vouchers")),
    path("feedback/", include("vouchers.urls_feedback", namespace="feedback")),
    path("vergabeprotokoll/", include("vouchers.urls_allocation_log", namespace="allocation_log")),
    path("sitzungen/", include("sessions_log.urls", namespace="sessions_log")),
    path("vereinbarungen/", include("agreements.urls", namespace="agreements")),
    path("berichte/", include("reports.urls", namespace="reports")),
    path("sparring/", include("appointments.urls", namespace="appointments")),
    path("prozessarbeit/", include("programme_work.urls", namespace="programme_work")),
    path("i18n/", include("django.conf.urls.i18n")),
    path("eingang/", inbox.InboxView.as_view(), name="inbox"),
    path("postausgang/", outbox.UncertainMailView.as_view(), name="outbox"),
    path("postausgang/<int:pk>/senden/", outbox.ResendMailView.as_view(), name="outbox_resend"),
    path("healthz", health.healthz, name="healthz"),
    path("readyz", health.readyz, name="readyz"),
    path("metrics", health.metrics, name="metrics"),
    path("admin/", admin.site.urls),
]

handler404 = "portal.views.errors.page_not_found"
handler500 = "portal.views.errors.server_error"
