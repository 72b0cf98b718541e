"""Offers visible to a user (scoped querysets; anything else is a 404)."""

from __future__ import annotations

from django.db.models import QuerySet

from portal.scoping import office_scope
from vouchers.models import Offer


def offers_visible_to(user) -> QuerySet[Offer]:
    qs = Offer.objects.select_related(
        "application__organisation", "application__programme__operator", "period"
    )
    if not user.is_authenticated:
        return qs.none()
    if user.role in ("office", "admin"):
        return office_scope(qs, user, path="period__programme__operator")
    if user.role == "applicant" and user.organisation_id:
        return qs.filter(application__organisation_id=user.organisation_id)
    return qs.none()


def open_offers_of(user) -> list[Offer]:
    """The applicant's open offers (dashboard banner), one query."""
    if getattr(user, "role", None) != "applicant" or not user.organisation_id:
        return []
    return list(
        offers_visible_to(user).filter(status=Offer.Status.OPEN).order_by("expires_at")
    )
