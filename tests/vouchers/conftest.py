"""Fixtures of the vouchers tests."""

from __future__ import annotations

import pytest
from django.core.cache import cache

from portal.models import Topic
from tests.factories import ProgrammeFactory


@pytest.fixture(autouse=True)
def _clear_cache():
    """The contact form's rate limit lives in the cache; every test starts fresh."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def programme_with_topics(db):
    """A Prozessbegleitung programme with the seed's topics (incl. the free-text one)."""
    programme = ProgrammeFactory(kind="prozessbegleitung")
    Topic.objects.create(programme=programme, name="Verstetigung", order=1)
    Topic.objects.create(programme=programme, name="Netzwerkbildung und -erweiterung", order=2)
    Topic.objects.create(
        programme=programme, name="Spezifische Themenfelder", order=3, is_free_text=True
    )
    return programme
