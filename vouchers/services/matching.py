"""Matching ("passgenau"): facilitators suggested for an Antrag, with the reasons why.

Topic overlap, same Bundesland, language and free capacity are computed in one query with
subqueries; the reasons are then worded from those annotations."""

from __future__ import annotations

from django.db.models import (
    BooleanField,
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
)
from django.db.models.functions import Coalesce
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.models import Bundesland, FacilitatorProfile, Topic
from vouchers.models import Application, Voucher

DEFAULT_LANGUAGE = "de"

# Weights of the score. Free capacity is not weighted: it sorts first (see ``order_by``).
W_TOPIC = 3
W_REGION = 2
W_LANGUAGE = 1


def _count(queryset, key: str) -> Coalesce:
    sub = queryset.values(key).annotate(n=Count("pk")).values("n")[:1]
    return Coalesce(Subquery(sub, output_field=IntegerField()), Value(0))


def _as_int(condition) -> Case:
    return Case(When(condition, then=Value(1)), default=Value(0), output_field=IntegerField())


def candidates(application: Application):
    """Active facilitators working in the application's programme (or in every programme),
    annotated with the matching figures and ordered best first."""
    topic_names = list(application.topics.values_list("name", flat=True))
    language_code = (
        application.preferred_language.code
        if application.preferred_language_id
        else DEFAULT_LANGUAGE
    )
    organisation = application.organisation
    through_topics = FacilitatorProfile.topics.through
    through_regions = FacilitatorProfile.regions.through
    through_languages = FacilitatorProfile.languages.through
    through_programmes = FacilitatorProfile.programmes.through
    through_vouchers = Voucher.facilitators.through
    open_assignments = through_vouchers.objects.filter(
        facilitatorprofile_id=OuterRef("pk"), voucher__status__in=Voucher.OPEN_STATUSES
    )
    serves_programme = Exists(
        through_programmes.objects.filter(
            facilitatorprofile_id=OuterRef("pk"), programme_id=application.programme_id
        )
    ) | ~Exists(through_programmes.objects.filter(facilitatorprofile_id=OuterRef("pk")))

    qs = (
        FacilitatorProfile.objects.filter(active=True, user__is_active=True)
        .filter(serves_programme)
        .select_related("user")
        .annotate(
            topic_overlap=_count(
                through_topics.objects.filter(
                    facilitatorprofile_id=OuterRef("pk"), topic__name__in=topic_names
                ),
                "facilitatorprofile_id",
            ),
            same_region=Exists(
                through_regions.objects.filter(
                    facilitatorprofile_id=OuterRef("pk"), region__code=organisation.bundesland
                )
            ),
            speaks_language=Exists(
                through_languages.objects.filter(
                    facilitatorprofile_id=OuterRef("pk"), language__code=language_code
                )
            ),
            open_cases=_count(open_assignments, "facilitatorprofile_id"),
            accompanies_organisation=Exists(
                open_assignments.filter(voucher__organisation_id=organisation.pk)
            ),
        )
        .annotate(
            free_capacity=F("capacity") - F("open_cases"),
            has_capacity=Case(
                When(open_cases__lt=F("capacity"), then=Value(True)),
                default=Value(False),
                output_field=BooleanField(),
            ),
            score=F("topic_overlap") * W_TOPIC
            + _as_int(Q(same_region=True)) * W_REGION
            + _as_int(Q(speaks_language=True)) * W_LANGUAGE,
        )
        .prefetch_related(
            Prefetch(
                "topics",
                queryset=Topic.objects.filter(name__in=topic_names).order_by("order", "name"),
                to_attr="matching_topics",
            )
        )
        .order_by("-has_capacity", "-score", "open_cases", "user__last_name", "pk")
    )
    return qs


def suggest_facilitators(application: Application, *, limit: int | None = None) -> list:
    """Facilitators for ``application``, best first. Each carries ``topic_overlap``,
    ``same_region``, ``speaks_language``, ``open_cases``, ``free_capacity``, ``has_capacity``,
    ``score``, ``is_preferred`` and ``reasons`` (German sentences why it is suggested)."""
    qs = candidates(application)
    if limit:
        qs = qs[:limit]
    language_name = (
        application.preferred_language.name if application.preferred_language_id else _("Deutsch")
    )
    region_name = Bundesland(application.organisation.bundesland).label
    result = []
    for profile in qs:
        profile.is_preferred = profile.pk == application.preferred_facilitator_id
        profile.reasons = _reasons(profile, language_name=language_name, region_name=region_name)
        result.append(profile)
    # The applicant's wish goes first in free-choice programmes (it is pre-selected).
    if application.programme.applicant_chooses:
        result.sort(key=lambda p: not p.is_preferred)
    return result


def _reasons(profile, *, language_name: str, region_name: str) -> list[str]:
    reasons = []
    if profile.is_preferred:
        reasons.append(_("Wunsch der Organisation"))
    if profile.topic_overlap:
        names = ", ".join(t.name for t in profile.matching_topics)
        reasons.append(
            ngettext(
                "%(count)d gemeinsames Thema: %(names)s",
                "%(count)d gemeinsame Themen: %(names)s",
                profile.topic_overlap,
            )
            % {"count": profile.topic_overlap, "names": names}
        )
    if profile.same_region:
        reasons.append(_("arbeitet in %(region)s") % {"region": region_name})
    if profile.speaks_language:
        reasons.append(_("spricht %(language)s") % {"language": language_name})
    if profile.has_capacity:
        reasons.append(
            _("frei: %(free)d von %(capacity)d Begleitungen")
            % {"free": profile.free_capacity, "capacity": profile.capacity}
        )
    else:
        reasons.append(
            _("keine freie Kapazität (%(open)d von %(capacity)d Begleitungen offen)")
            % {"open": profile.open_cases, "capacity": profile.capacity}
        )
    if profile.accompanies_organisation:
        reasons.append(_("begleitet die Organisation bereits"))
    return reasons
