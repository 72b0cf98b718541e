"""The Django admin: every changelist and add/change page loads for a superuser."""

import pytest
from django.contrib import admin
from django.urls import reverse

from portal.models import AuditEntry, Organisation
from tests.factories import (
    ApplicationFactory,
    FacilitatorFactory,
    OrganisationFactory,
    VoucherFactory,
)

pytestmark = pytest.mark.django_db

OUR_APPS = {"portal", "vouchers", "sessions_log"}


@pytest.fixture
def staff_client(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def data(office_user):
    from portal.audit import log_action
    from sessions_log.models import SessionEntry

    facilitator = FacilitatorFactory()
    voucher = VoucherFactory(facilitators=[facilitator])
    ApplicationFactory(organisation=voucher.organisation, programme=voucher.programme)
    SessionEntry.objects.create(
        voucher=voucher,
        facilitator=facilitator,
        date=voucher.issued_at.date(),
        minutes=90,
        activity="workshop",
        format="vor_ort",
    )
    log_action(office_user, "voucher.activated", voucher, from_state="issued", to_state="active")
    return voucher


def _our_models():
    return [m for m in admin.site._registry if m._meta.app_label in OUR_APPS]


def test_every_model_of_our_apps_is_registered():
    from django.apps import apps

    ours = {
        m
        for label in OUR_APPS
        for m in apps.get_app_config(label).get_models()
        if not m._meta.auto_created
    }
    assert ours <= set(admin.site._registry)


def test_changelists_load_with_search_and_filters(staff_client, data):
    for model in _our_models():
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        assert staff_client.get(url).status_code == 200, url
        assert staff_client.get(url, {"q": "Muster"}).status_code == 200, url


def test_change_pages_load(staff_client, data):
    for model in _our_models():
        obj = model.objects.first()
        if obj is None:
            continue
        opts = model._meta
        url = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        assert staff_client.get(url).status_code == 200, url


def test_audit_trail_is_read_only(staff_client, data):
    entry = AuditEntry.objects.first()
    assert staff_client.get(reverse("admin:portal_auditentry_add")).status_code == 403
    change = staff_client.post(
        reverse("admin:portal_auditentry_change", args=[entry.pk]), {"action": "x"}
    )
    assert change.status_code == 403
    entry.refresh_from_db()
    assert entry.action == "voucher.activated"


def test_vouchers_cannot_be_added_past_the_services(staff_client):
    assert staff_client.get(reverse("admin:vouchers_voucher_add")).status_code == 403
    assert staff_client.get(reverse("admin:sessions_log_sessionentry_add")).status_code == 403


def test_admin_action_approves_organisations_through_the_service(staff_client, admin_user):
    org = OrganisationFactory(approved=False)
    response = staff_client.post(
        reverse("admin:portal_organisation_changelist"),
        {"action": "approve_selected", "_selected_action": [org.pk]},
        follow=True,
    )
    assert response.status_code == 200
    org.refresh_from_db()
    assert org.approved
    assert AuditEntry.objects.filter(
        action="organisation.approved", target_id=org.pk, actor=admin_user
    ).exists()


def test_admin_is_for_staff_only(client, office_user):
    client.force_login(office_user)
    response = client.get(reverse("admin:index"))
    assert response.status_code == 302
    assert Organisation.objects.count() == 0
