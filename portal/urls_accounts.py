"""Accounts: login/logout, password reset and change, registration, and the office page
that confirms new organisations and membership requests (``konto/organisationen/``)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from portal.views import accounts

urlpatterns = [
    path("anmelden/", accounts.PortalLoginView.as_view(), name="login"),
    path("abmelden/", accounts.PortalLogoutView.as_view(), name="logout"),
    path("registrieren/", accounts.RegisterView.as_view(), name="register"),
    path("passwort/vergessen/", accounts.PortalPasswordResetView.as_view(), name="password_reset"),
    path(
        "passwort/vergessen/gesendet/",
        auth_views.PasswordResetDoneView.as_view(),
        name="password_reset_done",
    ),
    path(
        "passwort/neu/<uidb64>/<token>/",
        accounts.PortalPasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path(
        "passwort/neu/fertig/",
        auth_views.PasswordResetCompleteView.as_view(),
        name="password_reset_complete",
    ),
    path("passwort/aendern/", accounts.PortalPasswordChangeView.as_view(), name="password_change"),
    path(
        "passwort/aendern/fertig/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path(
        "organisationen/",
        accounts.PendingRegistrationsView.as_view(),
        name="organisation_pending",
    ),
    path(
        "organisationen/<int:pk>/freigeben/",
        accounts.ApproveOrganisationView.as_view(),
        name="organisation_approve",
    ),
    path(
        "mitgliedschaften/<int:pk>/bestaetigen/",
        accounts.ApproveMembershipView.as_view(),
        name="membership_approve",
    ),
    path(
        "mitgliedschaften/<int:pk>/ablehnen/",
        accounts.RejectMembershipView.as_view(),
        name="membership_reject",
    ),
]
