"""Offers visible to a user (scoped querysets; anything else is a 404)."""

from __future__ import annotations

from django.db.models import OuterRef, QuerySet, Subquery

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


def with_open_offer(applications: QuerySet) -> QuerySet:
    """Annotate each Antrag with its open offer's id and deadline (``open_offer_id``,
    ``open_offer_expires``), in the same query (the dashboard's banner)."""
    open_offer = Offer.objects.filter(application=OuterRef("pk"), status=Offer.Status.OPEN)
    return applications.annotate(
        open_offer_id=Subquery(open_offer.values("pk")[:1]),
        open_offer_expires=Subquery(open_offer.values("expires_at")[:1]),
    )
