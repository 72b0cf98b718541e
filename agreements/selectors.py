"""Agreement querysets scoped to what a user may see (the same scope as the vouchers), so an id
typed into a URL only ever finds what the user may see (→ 404)."""

from __future__ import annotations

from django.db.models import QuerySet

from agreements.models import AgreementVersion, RegenerationRun, SignedAgreement
from portal.scoping import office_scope
from vouchers.selectors import vouchers_visible_to


def versions_visible_to(user) -> QuerySet[AgreementVersion]:
    return AgreementVersion.objects.filter(
        voucher__in=vouchers_visible_to(user).values("pk")
    ).select_related("voucher", "created_by")


def signed_agreements_visible_to(user) -> QuerySet[SignedAgreement]:
    """Signed copies: office, and applicants of the organisation (facilitators do not need
    the partner's signed scan)."""
    qs = SignedAgreement.objects.select_related("voucher", "version", "uploaded_by", "decided_by")
    if not user.is_authenticated or user.role == "facilitator":
        return qs.none()
    return qs.filter(voucher__in=vouchers_visible_to(user).values("pk"))


def versions_of(voucher) -> QuerySet[AgreementVersion]:
    """All versions of one voucher, newest first (the voucher is already permission-checked)."""
    return (
        AgreementVersion.objects.filter(voucher=voucher)
        .select_related("created_by")
        .order_by("-number")
    )


def signed_copies_of(voucher) -> QuerySet[SignedAgreement]:
    return (
        SignedAgreement.objects.filter(voucher=voucher)
        .select_related("version", "uploaded_by", "decided_by")
        .order_by("-uploaded_at", "-pk")
    )


def pending_signed_agreements(user) -> QuerySet[SignedAgreement]:
    """Uploaded copies waiting for the decision of the user's office, oldest first."""
    return (
        office_scope(SignedAgreement.objects, user, path="voucher__programme__operator")
        .filter(status=SignedAgreement.Status.UPLOADED)
        .select_related("voucher__organisation", "voucher__programme", "version", "uploaded_by")
        .order_by("uploaded_at", "pk")
    )


def regeneration_runs(user) -> QuerySet[RegenerationRun]:
    return office_scope(RegenerationRun.objects, user).select_related("programme", "created_by")
