"""Accounts: login/logout, password reset and change, two-factor login, registration, and the office page
that confirms new organisations and membership requests (``konto/organisationen/``)."""

from django.contrib.auth import views as auth_views
from django.urls import path

from portal.views import accounts, two_factor

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
    path("zwei-faktor/", two_factor.TwoFactorOverviewView.as_view(), name="two_factor"),
    path(
        "zwei-faktor/einrichten/",
        two_factor.TwoFactorSetupView.as_view(),
        name="two_factor_setup",
    ),
    path(
        "zwei-faktor/code/",
        two_factor.TwoFactorVerifyView.as_view(),
        name="two_factor_verify",
    ),
    path(
        "zwei-faktor/ersatzcodes/",
        two_factor.TwoFactorBackupCodesView.as_view(),
        name="two_factor_backup_codes",
    ),
    path(
        "zwei-faktor/abschalten/",
        two_factor.TwoFactorDisableView.as_view(),
        name="two_factor_disable",
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
