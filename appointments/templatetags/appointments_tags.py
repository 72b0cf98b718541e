"""The navigation link to the sparring calendar, provided by this app (the ground floor's
base template only includes it)."""

from __future__ import annotations

from django import template
from django.core.cache import cache

from portal.models import Programme
from vouchers.models import Voucher

register = template.Library()

# The link shows on every page: an applicant's answer is worked out at login (signal in
# ``AppointmentsConfig.ready``) and kept in the cache for a few minutes, so pages pay no
# query for it; a page asks the database only once the cached answer has expired.
CACHE_SECONDS = 600


def _key(organisation_id: int) -> str:
    return f"appointments:nav:{organisation_id}"


def remember_link(organisation_id: int) -> str:
    admitted = Voucher.objects.filter(
        organisation_id=organisation_id,
        status=Voucher.Status.ACTIVE,
        programme__kind=Programme.Kind.VIRTUELL,
    ).exists()
    link = "calendar" if admitted else ""
    cache.set(_key(organisation_id), link, CACHE_SECONDS)
    return link


def prime_on_login(sender, request, user, **kwargs) -> None:
    if getattr(user, "role", None) == "applicant" and user.organisation_id:
        remember_link(user.organisation_id)


@register.simple_tag
def sparring_link(user) -> str:
    """Which link the user gets: "calendar" (facilitators; members of an organisation
    with an active Virtuelle-Begleitung case), "office" (office staff, admins) or ""."""
    if not getattr(user, "is_authenticated", False):
        return ""
    cached = getattr(user, "_sparring_link", None)
    if cached is not None:
        return cached
    if user.role == "facilitator":
        link = "calendar"
    elif user.role in ("office", "admin"):
        link = "office"
    elif not user.organisation_id:
        link = ""
    else:
        link = cache.get(_key(user.organisation_id))
        if link is None:
            link = remember_link(user.organisation_id)
    user._sparring_link = link
    return link
