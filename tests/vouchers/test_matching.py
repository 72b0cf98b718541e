"""Matching ("passgenau"): ranked facilitator suggestions with reasons."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from portal.models import Language, Region, Topic
from tests.factories import (
    ApplicationFactory,
    FacilitatorFactory,
    OrganisationFactory,
    ProgrammeFactory,
    VoucherFactory,
)
from vouchers import services

pytestmark = pytest.mark.django_db


@pytest.fixture
def setting():
    programme = ProgrammeFactory()
    topics = [
        Topic.objects.create(programme=programme, name=f"Thema {i}", order=i) for i in range(3)
    ]
    application = ApplicationFactory(
        programme=programme, organisation=OrganisationFactory(bundesland="SN")
    )
    application.topics.set(topics[:2])
    return programme, topics, application


def _facilitator(topics=(), regions=(), languages=("de",), capacity=4, **kwargs):
    profile = FacilitatorFactory(capacity=capacity, **kwargs)
    profile.topics.set(topics)
    profile.regions.set(Region.objects.filter(code__in=regions))
    profile.languages.set(Language.objects.filter(code__in=languages))
    return profile


def test_ranking_and_reasons(setting):
    programme, topics, application = setting
    best = _facilitator(topics=topics[:2], regions=["SN"])
    topic_only = _facilitator(topics=topics[:1])
    region_only = _facilitator(regions=["SN"])
    nothing = _facilitator(languages=())
    full = _facilitator(topics=topics[:2], regions=["SN"], capacity=1)
    VoucherFactory(programme=programme, status="active", facilitators=[full])
    inactive = _facilitator(topics=topics, active=False)

    suggestions = services.suggest_facilitators(application)
    assert suggestions == [best, topic_only, region_only, nothing, full]
    assert inactive not in suggestions
    first = suggestions[0]
    assert first.topic_overlap == 2
    assert first.same_region
    assert first.speaks_language
    assert first.has_capacity
    assert "2 gemeinsame Themen: Thema 0, Thema 1" in first.reasons
    assert "arbeitet in Sachsen" in first.reasons
    assert "spricht Deutsch" in first.reasons
    assert "frei: 4 von 4 Begleitungen" in first.reasons
    assert suggestions[-1].has_capacity is False
    assert any("keine freie Kapazität" in r for r in suggestions[-1].reasons)


def test_closed_vouchers_free_capacity(setting):
    programme, _topics, application = setting
    profile = _facilitator(capacity=1)
    VoucherFactory(programme=programme, status="closed", facilitators=[profile])
    assert services.suggest_facilitators(application)[0].has_capacity is True


def test_language_wish(setting):
    _, _, application = setting
    application.preferred_language = Language.objects.get(code="tr")
    application.save()
    german = _facilitator()
    turkish = _facilitator(languages=["de", "tr"])
    suggestions = services.suggest_facilitators(application)
    assert suggestions == [turkish, german]
    assert "spricht Türkisch" in suggestions[0].reasons


def test_programme_restriction(setting):
    programme, _, application = setting
    other = _facilitator()
    other.programmes.add(ProgrammeFactory())
    own = _facilitator()
    own.programmes.add(programme)
    everywhere = _facilitator()
    assert set(services.suggest_facilitators(application)) == {own, everywhere}


def test_preferred_first_in_free_choice():
    programme = ProgrammeFactory(kind="virtuell")
    topic = Topic.objects.create(programme=programme, name="Online")
    strong = _facilitator(topics=[topic])
    wish = _facilitator()
    application = ApplicationFactory(programme=programme, preferred_facilitator=wish)
    application.topics.set([topic])
    suggestions = services.suggest_facilitators(application)
    assert suggestions[:2] == [wish, strong]
    assert suggestions[0].is_preferred
    assert "Wunsch der Organisation" in suggestions[0].reasons


def test_accompanies_organisation(setting):
    _programme, _, application = setting
    profile = _facilitator()
    VoucherFactory(organisation=application.organisation, status="active", facilitators=[profile])
    assert (
        "begleitet die Organisation bereits"
        in services.suggest_facilitators(application)[0].reasons
    )


def test_constant_queries(setting):
    _, topics, application = setting
    for _ in range(3):
        _facilitator(topics=topics)
    with CaptureQueriesContext(connection) as small:
        services.suggest_facilitators(application)
    for _ in range(20):
        _facilitator(topics=topics, regions=["SN"])
    with CaptureQueriesContext(connection) as large:
        assert len(services.suggest_facilitators(application)) == 23
    assert len(small.captured_queries) == len(large.captured_queries) <= 4
