from django.urls import path

from agreements import views, views_evidence

app_name = "agreements"

urlpatterns = [
    path("gutschein/<int:voucher_pk>/", views.AgreementDetailView.as_view(), name="detail"),
    path("gutschein/<int:voucher_pk>/erzeugen/", views.GenerateView.as_view(), name="generate"),
    path(
        "gutschein/<int:voucher_pk>/hochladen/",
        views.UploadSignedView.as_view(),
        name="upload",
    ),
    path(
        "gutschein/<int:voucher_pk>/papier/",
        views.PaperSignedView.as_view(),
        name="paper",
    ),
    path("versionen/<int:pk>/pdf/", views.VersionDownloadView.as_view(), name="download"),
    path(
        "unterschriften/<int:pk>/pdf/",
        views.SignedDownloadView.as_view(),
        name="signed_download",
    ),
    path(
        "unterschriften/<int:pk>/bestaetigen/",
        views.ConfirmSignedView.as_view(),
        name="confirm",
    ),
    path(
        "unterschriften/<int:pk>/zurueckweisen/",
        views.RejectSignedView.as_view(),
        name="reject",
    ),
    path("zur-pruefung/", views.PendingListView.as_view(), name="pending"),
    # Evidence (rule 13): proof of use, the organisation's closing statement, audit folder.
    path(
        "gutschein/<int:voucher_pk>/pruefakte/",
        views_evidence.AuditFolderView.as_view(),
        name="audit_folder",
    ),
    path(
        "gutschein/<int:voucher_pk>/verwendungsnachweis/",
        views_evidence.GenerateProofView.as_view(),
        name="proof_of_use_generate",
    ),
    path(
        "gutschein/<int:voucher_pk>/abschlussbericht/",
        views_evidence.ClosingStatementView.as_view(),
        name="closing_statement",
    ),
    path(
        "verwendungsnachweise/<int:pk>/pdf/",
        views_evidence.ProofDownloadView.as_view(),
        name="proof_of_use_download",
    ),
    path(
        "verwendungsnachweise/<int:pk>/freigeben/",
        views_evidence.AcceptProofView.as_view(),
        name="proof_of_use_accept",
    ),
    path("neu-erzeugen/", views.RegenerateView.as_view(), name="regenerate"),
    path(
        "neu-erzeugen/<int:pk>/",
        views.RegenerationDetailView.as_view(),
        name="regeneration",
    ),
    path(
        "neu-erzeugen/<int:pk>/fortsetzen/",
        views.RegenerationResumeView.as_view(),
        name="regeneration_resume",
    ),
]
