"""F6 (issue 21): ``Cache-Control: private, no-store`` on every response that may carry
personal data — checked over the whole URL × role matrix — while anonymous public pages stay
cacheable."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.security.middleware import PUBLIC_PAGES
from tests.security.matrix import GET_MATRIX, url_for, url_names
from tests.security.world import ROLES

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("role", ROLES)
def test_every_answered_page_with_personal_data_is_no_store(client, world, role):
    client.logout()
    if world.user(role) is not None:
        client.force_login(world.user(role))
    checked, problems = 0, []
    for name in url_names():
        entry = GET_MATRIX.get(name)
        if entry is None:
            continue
        response = client.get(url_for(name, entry, world))
        if response.streaming:
            b"".join(response.streaming_content)
        if response.status_code != 200:
            continue
        if role == "anonymous" and name in PUBLIC_PAGES:
            continue
        checked += 1
        cache_control = response.get("Cache-Control", "")
        if "no-store" not in cache_control or "private" not in cache_control:
            problems.append(f"{name} as {role}: Cache-Control {cache_control!r}")
    assert checked > 0
    assert problems == []


def test_public_pages_for_anonymous_visitors_are_not_marked(client):
    response = client.get(reverse("start"))
    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_exports_and_gdpr_downloads_are_no_store(client, world):
    client.force_login(world.user("office"))
    response = client.get(reverse("reports:export", args=["gutscheine", "csv"]))
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
