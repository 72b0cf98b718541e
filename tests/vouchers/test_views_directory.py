"""Facilitator directory, profile page and rate-limited contact form."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from portal.audit import audit_trail
from portal.models import Language, Method, Region, Topic
from tests.factories import FacilitatorFactory, ProgrammeFactory, UserFactory, VoucherFactory

pytestmark = pytest.mark.django_db

DIRECTORY = reverse("facilitator_directory")


def _login(client, user):
    client.force_login(user)
    return client


def _profile(name, *, topics=(), methods=(), regions=(), languages=(), **kwargs):
    profile = FacilitatorFactory(user__last_name=name, **kwargs)
    profile.topics.set(topics)
    profile.methods.set(Method.objects.filter(name__in=methods))
    profile.regions.set(Region.objects.filter(code__in=regions))
    profile.languages.set(Language.objects.filter(code__in=languages))
    return profile


@pytest.mark.parametrize("role", ["applicant", "office", "admin", "facilitator"])
def test_every_logged_in_role(client, role):
    _profile("Sichtbar")
    response = _login(client, UserFactory(role=role)).get(DIRECTORY)
    assert response.status_code == 200
    assert "Sichtbar" in response.content.decode()


def test_anonymous_redirected(client):
    assert client.get(DIRECTORY).status_code == 302


def test_filters(client, applicant):
    programme = ProgrammeFactory()
    topic = Topic.objects.create(programme=programme, name="Verstetigung")
    _profile("Themenfrau", topics=[topic], regions=["SN"], languages=["tr"], methods=["Open Space"])
    _profile("Anderer", regions=["BY"])
    _profile("Inaktiv", topics=[topic], active=False)
    _login(client, applicant)

    def names(**params):
        html = client.get(DIRECTORY, params).content.decode()
        return {n for n in ("Themenfrau", "Anderer", "Inaktiv") if n in html}

    assert names() == {"Themenfrau", "Anderer"}
    assert names(topic="Verstetigung") == {"Themenfrau"}
    assert names(region=Region.objects.get(code="BY").pk) == {"Anderer"}
    assert names(language=Language.objects.get(code="tr").pk) == {"Themenfrau"}
    assert names(method=Method.objects.get(name="Open Space").pk) == {"Themenfrau"}
    assert names(q="ander") == {"Anderer"}


def test_programme_filter_includes_unrestricted(client, applicant):
    programme, other = ProgrammeFactory(), ProgrammeFactory()
    _profile("Nurhier").programmes.add(programme)
    _profile("Nurdort").programmes.add(other)
    _profile("Ueberall")
    html = _login(client, applicant).get(DIRECTORY, {"programme": programme.pk}).content.decode()
    assert "Nurhier" in html
    assert "Ueberall" in html
    assert "Nurdort" not in html


def test_constant_queries(client, applicant, django_assert_max_num_queries):
    programme = ProgrammeFactory()
    topic = Topic.objects.create(programme=programme, name="Verstetigung")
    _login(client, applicant)

    def fill(n):
        for i in range(n):
            profile = _profile(
                f"P{i}", topics=[topic], regions=["BW"], languages=["de"], methods=["Moderation"]
            )
            VoucherFactory(status="active", facilitators=[profile])

    params = {"topic": "Verstetigung", "region": Region.objects.get(code="BW").pk}
    fill(3)
    with django_assert_max_num_queries(16):
        assert client.get(DIRECTORY, params).status_code == 200
    fill(40)
    with django_assert_max_num_queries(16):
        response = client.get(DIRECTORY, params)
    assert response.status_code == 200
    assert response.context["page"].paginator.count == 43


class TestProfileAndContact:
    def test_profile_hides_email(self, client, applicant):
        profile = _profile("Geheim")
        response = _login(client, applicant).get(profile.get_absolute_url())
        html = response.content.decode()
        assert response.status_code == 200
        assert "Geheim" in html
        assert profile.user.email not in html
        assert applicant.email in html  # the sender sees which address is passed on

    def test_inactive_profile_404(self, client, applicant):
        profile = _profile("Weg", active=False)
        assert _login(client, applicant).get(profile.get_absolute_url()).status_code == 404

    def test_contact_sends_mail_with_reply_to(
        self, client, applicant, django_capture_on_commit_callbacks
    ):
        profile = _profile("Kontakt")
        with django_capture_on_commit_callbacks(execute=True):
            response = _login(client, applicant).post(
                profile.get_absolute_url(),
                {"subject": "Anfrage", "message": "Hätten Sie Zeit & Lust?"},
            )
        assert response.status_code == 302
        assert len(mail.outbox) == 1
        message = mail.outbox[0]
        assert message.to == [profile.user.email]
        assert message.reply_to == [applicant.email]
        assert "Hätten Sie Zeit & Lust?" in message.body
        assert applicant.email in message.body
        assert audit_trail(profile).get().action == "facilitator.contacted"
        page = client.get(response.url).content.decode()
        assert profile.user.email not in page

    def test_invalid_form_keeps_input(self, client, applicant):
        profile = _profile("Kontakt")
        response = _login(client, applicant).post(
            profile.get_absolute_url(), {"subject": "Nur Betreff", "message": ""}
        )
        assert response.status_code == 400
        html = response.content.decode()
        assert "Bitte schreiben Sie eine Nachricht." in html
        assert "Nur Betreff" in html
        assert mail.outbox == []

    def test_rate_limit(self, client, applicant, django_capture_on_commit_callbacks):
        profile = _profile("Viel")
        _login(client, applicant)
        with django_capture_on_commit_callbacks(execute=True):
            for i in range(5):
                assert (
                    client.post(
                        profile.get_absolute_url(), {"subject": f"S{i}", "message": "m"}
                    ).status_code
                    == 302
                )
            response = client.post(
                profile.get_absolute_url(), {"subject": "zu viel", "message": "m"}
            )
        assert response.status_code == 429
        assert "später erneut" in response.content.decode()
        assert len(mail.outbox) == 5
        # another person is not affected
        other = UserFactory(role="applicant")
        _login(client, other)
        with django_capture_on_commit_callbacks(execute=True):
            assert (
                client.post(
                    profile.get_absolute_url(), {"subject": "S", "message": "m"}
                ).status_code
                == 302
            )
        assert len(mail.outbox) == 6

    def test_facilitator_cannot_write_to_self(self, client):
        profile = _profile("Selbst")
        response = _login(client, profile.user).post(
            profile.get_absolute_url(), {"subject": "S", "message": "m"}
        )
        assert response.status_code == 400
        assert mail.outbox == []
