"""The case page of a voucher: who may see it, what each role sees, panels."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import (
    ApplicationFactory,
    FacilitatorFactory,
    OrganisationFactory,
    UserFactory,
    VoucherFactory,
)
from vouchers import services
from vouchers.views import case

pytestmark = pytest.mark.django_db


def _login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def issued(office_user, facilitator):
    application = ApplicationFactory()
    voucher = services.approve_application(application, by=office_user, facilitators=[facilitator])
    return voucher


def test_office_sees_timeline_and_audit(client, office_user, issued):
    response = _login(client, office_user).get(issued.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert issued.code in html
    assert "Gutschein ausgestellt" in html
    assert "Protokoll" in html
    # The audit trail in words (issue 20, defect 4); the codes stay in exports only.
    assert "Antrag bewilligt" in html
    assert "eingereicht → bewilligt" in html
    assert "voucher.issued" not in html
    assert "application.approved" not in html
    assert "submitted → approved" not in html


def test_applicant_sees_own_case_without_audit(client, issued):
    member = issued.organisation.members.first()
    response = _login(client, member).get(issued.get_absolute_url())
    html = response.content.decode()
    assert response.status_code == 200
    assert "Wie geht es weiter?" in html
    assert "Bitte unterschreiben Sie die Vereinbarung" in html
    assert "Antrag bewilligt" not in html


def test_other_applicant_gets_404(client, issued):
    stranger = OrganisationFactory().members.first()
    assert _login(client, stranger).get(issued.get_absolute_url()).status_code == 404


def test_assigned_facilitator_only(client, issued, facilitator):
    assert _login(client, facilitator.user).get(issued.get_absolute_url()).status_code == 200
    other = FacilitatorFactory()
    assert _login(client, other.user).get(issued.get_absolute_url()).status_code == 404


def test_anonymous_redirected(client, issued):
    assert client.get(issued.get_absolute_url()).status_code == 302


def test_missing_voucher_404(client, office_user):
    url = reverse("vouchers:case_detail", args=[987654])
    assert _login(client, office_user).get(url).status_code == 404


def test_panels_are_rendered_and_missing_ones_skipped(
    client, office_user, monkeypatch, tmp_path, settings
):
    """A provider that is not installed is skipped; one that returns a panel is rendered."""
    template_dir = tmp_path / "templates"
    (template_dir / "testpanel").mkdir(parents=True)
    (template_dir / "testpanel" / "panel.html").write_text(
        "<p>Panel für {{ voucher.code }}: {{ greeting }}</p>"
    )
    settings.TEMPLATES = [
        {**settings.TEMPLATES[0], "DIRS": [*settings.TEMPLATES[0]["DIRS"], template_dir]}
    ]
    import sys
    import types

    module = types.ModuleType("tests_fake_panels")
    module.case_panel = lambda voucher, user: {
        "template": "testpanel/panel.html",
        "context": {"greeting": "Hallo"},
    }
    empty = types.ModuleType("tests_empty_panels")
    empty.case_panel = lambda voucher, user: None
    monkeypatch.setitem(sys.modules, "tests_fake_panels", module)
    monkeypatch.setitem(sys.modules, "tests_empty_panels", empty)
    monkeypatch.setattr(
        case,
        "PANEL_PROVIDERS",
        (
            ("tests_fake_panels", "case_panel"),
            ("tests_empty_panels", "case_panel"),
            ("no_such_module.panels", "case_panel"),
            ("tests_empty_panels", "missing"),
        ),
    )
    voucher = VoucherFactory()
    html = _login(client, office_user).get(voucher.get_absolute_url()).content.decode()
    assert f"Panel für {voucher.code}: Hallo" in html


@pytest.mark.parametrize("role", ["office", "applicant", "facilitator"])
def test_constant_queries(client, role, django_assert_max_num_queries):
    profile = FacilitatorFactory()
    voucher = VoucherFactory(facilitators=[profile])
    user = {
        "office": UserFactory(role="office"),
        "applicant": voucher.organisation.members.first(),
        "facilitator": profile.user,
    }[role]
    _login(client, user)
    with django_assert_max_num_queries(25):
        assert client.get(voucher.get_absolute_url()).status_code == 200
