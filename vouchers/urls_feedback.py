"""Feedback URLs (namespace ``feedback``): the public form behind a signed link, and the
programme office's pages under ``auswertung/``."""

from django.urls import path

from vouchers import feedback_views as views

app_name = "feedback"

urlpatterns = [
    path("danke/", views.FeedbackThanksView.as_view(), name="thanks"),
    path("auswertung/", views.FeedbackOverviewView.as_view(), name="overview"),
    path("auswertung/<slug:slug>/", views.FeedbackProgrammeView.as_view(), name="programme"),
    path(
        "auswertung/<slug:slug>/prozessbegleitung/<int:pk>/",
        views.FeedbackFacilitatorView.as_view(),
        name="facilitator",
    ),
    path("gutscheine/<int:pk>/", views.VoucherFeedbackView.as_view(), name="voucher"),
    # Last: the token may be any string without a slash.
    path("<str:token>/", views.FeedbackFormView.as_view(), name="form"),
]
