"""Reads for the feedback pages: figures per programme and per facilitator, free-text answers,
the requests of one voucher. Aggregation happens in the database (a constant number of
queries however many answers there are).

Anonymity: per facilitator nothing derived from answers (averages, response rate, free text,
exact number of respondents) is shown when fewer than ``ANONYMITY_THRESHOLD`` people answered.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Avg, Count, Q, QuerySet

from portal.models import FacilitatorProfile, Programme
from portal.scoping import programmes_for
from vouchers.models import FeedbackRequest, FeedbackResponse, Voucher

ANONYMITY_THRESHOLD = 3

_AGGREGATES = {
    "respondents": Count("pk"),
    "satisfaction": Avg("satisfaction"),
    "goals_reached": Avg("goals_reached"),
    "structure_useful": Avg("structure_useful"),
    "recommend_yes": Count("pk", filter=Q(would_recommend=True)),
}


@dataclass
class FeedbackFigures:
    """Counts and averages of one group of answers (a programme or a facilitator)."""

    sent: int = 0
    respondents: int = 0
    satisfaction: float | None = None
    goals_reached: float | None = None
    structure_useful: float | None = None
    recommend_yes: int = 0
    hidden: bool = False  # fewer respondents than the anonymity threshold

    @property
    def response_rate(self) -> float | None:
        return round(100 * self.respondents / self.sent) if self.sent else None

    @property
    def recommend_share(self) -> float | None:
        return round(100 * self.recommend_yes / self.respondents) if self.respondents else None

    def anonymised(self) -> FeedbackFigures:
        """Keep only what reveals no answer: the number of invitations sent."""
        return FeedbackFigures(sent=self.sent, hidden=True)


def _figures(sent: int, row: dict | None) -> FeedbackFigures:
    row = row or {}
    return FeedbackFigures(
        sent=sent,
        respondents=row.get("respondents") or 0,
        satisfaction=row.get("satisfaction"),
        goals_reached=row.get("goals_reached"),
        structure_useful=row.get("structure_useful"),
        recommend_yes=row.get("recommend_yes") or 0,
    )


def _contact_responses() -> QuerySet[FeedbackResponse]:
    return FeedbackResponse.objects.filter(request__kind=FeedbackRequest.Kind.CONTACT)


def _sent_requests() -> QuerySet[FeedbackRequest]:
    return FeedbackRequest.objects.filter(kind=FeedbackRequest.Kind.CONTACT, sent_at__isnull=False)


def programme_overview(user) -> list[tuple[Programme, FeedbackFigures]]:
    """The user's operators' programmes with their figures (three queries)."""
    sent = dict(
        _sent_requests()
        .values("voucher__programme")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("voucher__programme", "n")
    )
    rows = {
        row["request__voucher__programme"]: row
        for row in _contact_responses()
        .values("request__voucher__programme")
        .annotate(**_AGGREGATES)
        .order_by()
    }
    return [
        (programme, _figures(sent.get(programme.pk, 0), rows.get(programme.pk)))
        for programme in programmes_for(user).order_by("name")
    ]


def programme_figures(programme: Programme) -> FeedbackFigures:
    sent = _sent_requests().filter(voucher__programme=programme).count()
    row = (
        _contact_responses().filter(request__voucher__programme=programme).aggregate(**_AGGREGATES)
    )
    return _figures(sent, row)


def facilitator_figures(
    programme: Programme, facilitator: FacilitatorProfile | None = None
) -> list[tuple[FacilitatorProfile, FeedbackFigures]]:
    """Figures per facilitator assigned to vouchers of ``programme`` (optionally just one),
    anonymised below the threshold. Each answer counts for every facilitator of its voucher."""
    requests = _sent_requests().filter(voucher__programme=programme)
    responses = _contact_responses().filter(request__voucher__programme=programme)
    if facilitator is not None:
        requests = requests.filter(voucher__facilitators=facilitator)
        responses = responses.filter(request__voucher__facilitators=facilitator)
    sent = dict(
        requests.filter(voucher__facilitators__isnull=False)
        .values("voucher__facilitators")
        .annotate(n=Count("pk"))
        .order_by()
        .values_list("voucher__facilitators", "n")
    )
    rows = {
        row["request__voucher__facilitators"]: row
        for row in responses.filter(request__voucher__facilitators__isnull=False)
        .values("request__voucher__facilitators")
        .annotate(**_AGGREGATES)
        .order_by()
    }
    keys = {facilitator.pk} if facilitator is not None else set(sent) | set(rows)
    profiles = FacilitatorProfile.objects.select_related("user").in_bulk(keys)
    result = []
    for pk, profile in profiles.items():
        figures = _figures(sent.get(pk, 0), rows.get(pk))
        if figures.respondents < ANONYMITY_THRESHOLD:
            figures = figures.anonymised()
        result.append((profile, figures))
    result.sort(key=lambda item: (item[0].user.last_name, item[0].user.first_name, item[0].pk))
    return result


def free_text_answers(
    programme: Programme, facilitator: FacilitatorProfile | None = None
) -> QuerySet[FeedbackResponse]:
    """Answers with free text, newest first, without names (paginate the result)."""
    qs = (
        _contact_responses()
        .filter(request__voucher__programme=programme)
        .exclude(what_helped="", what_to_improve="")
    )
    if facilitator is not None:
        qs = qs.filter(request__voucher__facilitators=facilitator)
    return qs.only("what_helped", "what_to_improve", "created_at").order_by("-created_at", "-pk")


def feedback_programmes(user) -> QuerySet[Programme]:
    return programmes_for(user).order_by("name")


def voucher_feedback_requests(voucher: Voucher) -> QuerySet[FeedbackRequest]:
    """The invitations of one voucher (status per recipient; never the answers' content)."""
    return voucher.feedback_requests.order_by("kind", "recipient_email")
