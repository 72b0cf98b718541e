"""Private ICS feed URLs: one secret token per facilitator or organisation, revocable."""

from __future__ import annotations

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from appointments.models import FeedToken
from portal.audit import log_action
from portal.errors import InvalidTransition
from portal.models import User


def _owner(user) -> dict:
    profile = getattr(user, "facilitator_profile", None)
    if getattr(user, "role", None) == User.Role.FACILITATOR and profile is not None:
        return {"facilitator": profile}
    if getattr(user, "role", None) == User.Role.APPLICANT and user.organisation_id:
        return {"organisation_id": user.organisation_id}
    raise InvalidTransition(
        _("Ein Kalender-Abo gibt es für Sparring-Partner*innen und Organisationen.")
    )


def feed_token_for(user) -> FeedToken:
    """The active feed token of ``user``'s calendar (a facilitator's or its organisation's),
    created on first use."""
    owner = _owner(user)
    found = FeedToken.objects.filter(revoked_at__isnull=True, **owner).first()
    return found or FeedToken.objects.create(token=secrets.token_urlsafe(32), **owner)


def revoke_feed_token(*, by) -> FeedToken:
    """Revoke the current feed URL (it answers 404 from now on) and issue a new one."""
    owner = _owner(by)
    with transaction.atomic():
        revoked = FeedToken.objects.filter(revoked_at__isnull=True, **owner).update(
            revoked_at=timezone.now()
        )
        token = FeedToken.objects.create(token=secrets.token_urlsafe(32), **owner)
        log_action(by, "feed.revoked", token, data={"revoked": revoked})
    return token
