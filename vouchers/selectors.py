"""Querysets already scoped to what a user may see. Views never build their own filters,
so an id typed into a URL only ever finds what the user may see (→ 404)."""

from __future__ import annotations

from django.db.models import Count, Expression, IntegerField, OuterRef, QuerySet, Subquery, Value
from django.db.models.functions import Coalesce

from portal.scoping import office_scope
from vouchers.models import Application, Voucher


def applications_visible_to(user) -> QuerySet[Application]:
    qs = Application.objects.select_related("organisation", "programme")
    if not user.is_authenticated:
        return qs.none()
    if user.role in ("office", "admin"):
        return office_scope(qs, user)
    if user.role == "applicant" and user.organisation_id:
        return qs.filter(organisation_id=user.organisation_id)
    if user.role == "facilitator":
        return qs.filter(voucher__facilitators__user=user).distinct()
    return qs.none()


def vouchers_visible_to(user) -> QuerySet[Voucher]:
    qs = Voucher.objects.select_related("organisation", "programme", "period")
    if not user.is_authenticated:
        return qs.none()
    if user.role in ("office", "admin"):
        return office_scope(qs, user)
    if user.role == "applicant" and user.organisation_id:
        return qs.filter(organisation_id=user.organisation_id)
    if user.role == "facilitator":
        # Subquery instead of a join, so the queryset needs no DISTINCT.
        return qs.filter(
            pk__in=Voucher.facilitators.through.objects.filter(
                facilitatorprofile__user=user
            ).values("voucher_id")
        )
    return qs.none()


def organisation_applications(user) -> QuerySet[Application]:
    """The applicant's own organisation's Anträge, newest first (dashboard). A discarded
    draft (withdrawn before it was ever submitted) is gone for the applicant."""
    return (
        applications_visible_to(user)
        .filter(organisation_id=getattr(user, "organisation_id", None))
        .exclude(status=Application.Status.WITHDRAWN, submitted_at__isnull=True)
        .select_related("voucher")
        .order_by("-created_at", "-pk")
    )


def organisation_vouchers(user) -> QuerySet[Voucher]:
    """The applicant's own organisation's vouchers with their team (dashboard)."""
    return (
        vouchers_visible_to(user)
        .filter(organisation_id=getattr(user, "organisation_id", None))
        .prefetch_related("facilitators__user")
        .order_by("-issued_at", "-pk")
    )


def organisation_history(organisation_id: int):
    """Earlier Anträge and vouchers of an organisation (decision page)."""
    applications = (
        Application.objects.filter(organisation_id=organisation_id)
        .select_related("programme")
        .order_by("-created_at")
    )
    vouchers = (
        Voucher.objects.filter(organisation_id=organisation_id)
        .select_related("programme")
        .prefetch_related("facilitators__user")
        .order_by("-issued_at")
    )
    return applications, vouchers


def open_cases_of_profile() -> Expression:
    """For a ``FacilitatorProfile`` queryset: how many open cases the profile has (the
    directory's card shows it; registered with ``portal.hooks`` in ``VouchersConfig.ready``)."""
    open_cases = (
        Voucher.facilitators.through.objects.filter(
            facilitatorprofile_id=OuterRef("pk"), voucher__status__in=Voucher.OPEN_STATUSES
        )
        .values("facilitatorprofile_id")
        .annotate(n=Count("pk"))
        .values("n")[:1]
    )
    return Coalesce(Subquery(open_cases, output_field=IntegerField()), Value(0))
