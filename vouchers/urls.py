from django.urls import path

from vouchers.views import applications, case, dashboard, decision, offers, queue

app_name = "vouchers"

urlpatterns = [
    path("", dashboard.ApplicantDashboardView.as_view(), name="applicant_dashboard"),
    path("neu/", applications.ProgrammeChoiceView.as_view(), name="application_start"),
    path(
        "neu/<slug:programme>/",
        applications.ApplicationFormView.as_view(),
        name="application_create",
    ),
    path("<int:pk>/", applications.ApplicationDetailView.as_view(), name="application_detail"),
    path(
        "<int:pk>/bearbeiten/",
        applications.ApplicationFormView.as_view(),
        name="application_edit",
    ),
    path(
        "<int:pk>/zurueckziehen/",
        applications.ApplicationWithdrawView.as_view(),
        name="application_withdraw",
    ),
    path("<int:pk>/entscheidung/", decision.DecisionView.as_view(), name="application_decide"),
    path("liste/", queue.QueueView.as_view(), name="queue"),
    path(
        "liste/organisation/<int:pk>/regionsangaben/",
        queue.ConfirmFlagsView.as_view(),
        name="confirm_flags",
    ),
    path("gutscheine/<int:pk>/", case.CaseDetailView.as_view(), name="case_detail"),
    path(
        "gutscheine/<int:pk>/stornieren/",
        offers.VoucherCancelView.as_view(),
        name="voucher_cancel",
    ),
    path("angebote/<int:pk>/", offers.OfferDetailView.as_view(), name="offer_detail"),
    path(
        "angebote/<int:pk>/annehmen/",
        offers.OfferAnswerView.as_view(answer="accept"),
        name="offer_accept",
    ),
    path(
        "angebote/<int:pk>/ablehnen/",
        offers.OfferAnswerView.as_view(answer="decline"),
        name="offer_decline",
    ),
    path(
        "liste/<int:programme>/platz-anbieten/",
        offers.OfferFreePlaceView.as_view(),
        name="offer_free_place",
    ),
    path(
        "gutscheine/<int:pk>/folgeantrag/",
        dashboard.FollowUpView.as_view(),
        name="follow_up",
    ),
]
