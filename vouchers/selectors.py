"""Querysets already scoped to what a user may see. Views never build their own filters,
so an id typed into a URL only ever finds what the user may see (→ 404)."""

from __future__ import annotations

from django.db.models import QuerySet

from vouchers.models import Application, Voucher


def applications_visible_to(user) -> QuerySet[Application]:
    qs = Application.objects.select_related("organisation", "programme")
    if not user.is_authenticated:
        return qs.none()
    if user.role in ("office", "admin"):
        return qs
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
        return qs
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
