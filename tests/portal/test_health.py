"""Issue 21: liveness and readiness probes without personal data; metrics only with the token
or from an allowed address."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import OrganisationFactory

pytestmark = pytest.mark.django_db


def test_liveness_answers_without_touching_the_database(client, django_assert_num_queries):
    with django_assert_num_queries(0):
        response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"] or "no-store" in response["Cache-Control"]


def test_readiness_checks_database_cache_and_storage_and_names_no_data(client):
    organisation = OrganisationFactory(name="Gemeinde Geheimstadt")
    response = client.get(reverse("readyz"), HTTP_ACCEPT="application/json")
    assert response.status_code == 200, response.content
    body = response.json()
    names = " ".join(body)
    for check in ("Database", "Cache", "Storage", "Broker"):
        assert check in names
    assert set(body.values()) == {"OK"}
    assert organisation.name not in response.content.decode()
    assert organisation.contacts().first().email not in response.content.decode()


def test_readiness_fails_when_the_storage_cannot_be_written(client, settings, tmp_path):
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("a file where the media directory should be")
    settings.MEDIA_ROOT = blocked
    response = client.get(reverse("readyz"), HTTP_ACCEPT="application/json")
    assert response.status_code == 500
    assert any(value != "OK" for value in response.json().values())


def test_metrics_need_the_token_or_an_allowed_address(client, settings):
    settings.METRICS_TOKEN = "geheimes-token-123"
    settings.METRICS_ALLOWED_IPS = ["10.9.9.9"]
    assert client.get(reverse("metrics")).status_code == 404
    assert client.get(reverse("metrics"), HTTP_AUTHORIZATION="Bearer falsch").status_code == 404
    with_token = client.get(reverse("metrics"), HTTP_AUTHORIZATION="Bearer geheimes-token-123")
    assert with_token.status_code == 200
    assert b"django_http_requests_total" in with_token.content
    from_monitoring = client.get(reverse("metrics"), REMOTE_ADDR="10.9.9.9")
    assert from_monitoring.status_code == 200


def test_metrics_are_closed_without_a_configured_token(client, settings):
    settings.METRICS_TOKEN = ""
    settings.METRICS_ALLOWED_IPS = []
    assert client.get(reverse("metrics"), HTTP_AUTHORIZATION="Bearer ").status_code == 404
