"""A ``RuleViolation`` escaping a view becomes a German message on the page, never a 500."""

import pytest

from tests.factories import UserFactory

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.portal.rule_violation_urls")]


@pytest.fixture
def logged_in(client):
    client.force_login(UserFactory(role="office"))
    return client


def test_get_shows_the_message_with_400(logged_in):
    response = logged_in.get("/test/regel/")
    assert response.status_code == 400
    html = response.content.decode()
    assert "Für dieses Programm ist das Kontingent ausgeschöpft." in html
    assert "Dieser Schritt ist nicht möglich" in html


def test_post_redirects_back_and_shows_the_message(logged_in):
    response = logged_in.post(
        "/test/regel/", HTTP_REFERER="http://testserver/test/formular/", follow=True
    )
    assert response.status_code == 200
    assert response.redirect_chain == [("http://testserver/test/formular/", 302)]
    # The form page here is a bare response, so the message waits for the next full page.
    page = logged_in.get("/test/regel/")
    assert "Verfügbar sind noch 30 Minuten." in page.content.decode()


def test_post_from_a_foreign_referer_does_not_redirect_off_site(logged_in):
    response = logged_in.post("/test/regel/", HTTP_REFERER="https://evil.example/phish")
    assert response.status_code == 302
    assert not response["Location"].startswith("https://evil.example")


def test_htmx_post_gets_the_message_with_400(logged_in):
    response = logged_in.post("/test/regel/", HTTP_HX_REQUEST="true")
    assert response.status_code == 400
    assert "Verfügbar sind noch 30 Minuten." in response.content.decode()
