"""The private ICS feed: only with a valid, unrevoked token; anything else is a 404."""

from __future__ import annotations

from django.http import Http404, HttpResponse
from django.views import View
from django.views.decorators.http import require_GET

from appointments import ics, selectors


@require_GET
def feed(request, token: str):
    owner = selectors.feed_owner(token)
    if owner is None:
        raise Http404
    appointments = selectors.feed_appointments(owner).order_by("starts_at")
    name = str(owner.facilitator or owner.organisation)
    response = HttpResponse(
        ics.feed(appointments, name=f"Sparring – {name}"),
        content_type="text/calendar; charset=utf-8",
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


class FeedView(View):
    http_method_names = ["get", "head"]

    def get(self, request, token: str):
        return feed.__wrapped__(request, token)
