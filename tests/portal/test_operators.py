"""The contract additions for operators (DESIGN.md "Contract additions") and the admin's
operator scoping."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.errors import InvalidTransition, RuleViolation
from portal.models import Operator, OperatorContact, Programme, User
from portal.scoping import office_scope, programmes_for, require_office_for, works_for_object
from tests.factories import (
    DEFAULT_OPERATOR_SLUG,
    OperatorFactory,
    ProgrammeFactory,
    UserFactory,
    VoucherFactory,
)

pytestmark = pytest.mark.django_db

KINDS = ["prozessbegleitung", "virtuell", "begleitprozess", "werkstatt"]


def test_the_three_operators_of_the_seeds_run_the_four_programmes():
    expected = {
        "prozessbegleitung": ("dsee", "prozessbegleitung"),
        "integration-durch-be": ("fueak-bw", "begleitprozess"),
        "virtuelle-begleitung": ("fueak-bw", "virtuell"),
        "entwicklungswerkstatt": ("ews-nrw", "werkstatt"),
    }
    for slug, (operator, kind) in expected.items():
        programme = Programme.objects.select_related("operator").get(slug=slug)
        assert (programme.operator.slug, programme.kind) == (operator, kind)
    fueak = Operator.objects.get(slug="fueak-bw")
    assert [c.name for c in fueak.contacts.all()] == ["Dr. Christine Dörner", "Martin Schwarz"]
    assert fueak.branding()["represented_by"] == "Dr. Christine Dörner"


def test_operator_factory_has_a_name_and_contacts():
    operator = OperatorFactory(name="Landesstiftung Test")
    assert operator.name == "Landesstiftung Test"
    assert operator.contacts.count() == 1
    assert OperatorFactory(contacts=False).contacts.count() == 0
    assert str(operator) == "Landesstiftung Test"


@pytest.mark.parametrize("kind", KINDS)
def test_programme_factory_makes_every_kind_for_a_given_operator(kind):
    operator = OperatorFactory()
    programme = ProgrammeFactory(kind=kind, operator=operator)
    programme.full_clean()
    assert programme.operator == operator
    assert programme.kind == kind
    assert programme.current_period() is not None
    assert programme.is_voucher == (kind == "prozessbegleitung")
    assert programme.is_process == (kind == "begleitprozess")
    assert programme.is_virtual == (kind == "virtuell")
    assert programme.is_workshop == (kind == "werkstatt")
    assert programme.takes_applications == (kind != "werkstatt")
    if kind == "prozessbegleitung":
        assert programme.cap_minutes == 960
    if kind == "virtuell":
        assert (programme.cap_units, programme.cap_units_in_process) == (12, 5)
    if kind == "begleitprozess":
        assert (programme.team_size, programme.requires_council_decision) == (2, True)


def test_without_operator_one_default_operator_is_used():
    first = ProgrammeFactory()
    second = ProgrammeFactory(kind="virtuell")
    assert first.operator == second.operator
    assert first.operator.slug == DEFAULT_OPERATOR_SLUG
    office = UserFactory(role="office")
    assert list(office.operators.all()) == [first.operator]
    assert office.works_for(first.operator_id)


def test_office_user_with_operators_works_only_for_them():
    a, b, c = OperatorFactory(), OperatorFactory(), OperatorFactory()
    both = UserFactory(role="office", operators=[a, b])
    assert set(both.operators.all()) == {a, b}
    assert both.works_for(a.pk)
    assert both.works_for(b.pk)
    assert not both.works_for(c.pk)
    programme_c = ProgrammeFactory(operator=c)
    voucher_c = VoucherFactory(programme=programme_c)
    assert not works_for_object(both, voucher_c)
    with pytest.raises(InvalidTransition) as exc:
        require_office_for(both, voucher_c)
    assert isinstance(exc.value, RuleViolation)
    assert set(programmes_for(both)) == set(Programme.objects.filter(operator__in=[a, b]))
    assert list(office_scope(Programme.objects.filter(operator=c), both, path="operator")) == []
    admin = UserFactory(role="admin")
    assert works_for_object(admin, voucher_c)
    assert admin.works_for(c.pk)
    # Applicants and facilitators never work for an operator.
    assert not UserFactory(role="applicant").works_for(c.pk)
    assert not UserFactory(role="facilitator", operators=[c]).works_for(c.pk)


def test_office_users_are_members_of_their_operators_staff():
    operator = OperatorFactory()
    office = UserFactory(role="office", operators=[operator])
    assert list(operator.staff.all()) == [office]
    assert User.objects.filter(operators=operator).count() == 1
    assert OperatorContact.objects.filter(operator=operator).exists()


# --- the admin -------------------------------------------------------------------------


@pytest.fixture
def two_operators():
    a = OperatorFactory(name="Träger Alpha")
    b = OperatorFactory(name="Träger Beta")
    return (
        a,
        b,
        ProgrammeFactory(operator=a, name="Programm Alpha"),
        ProgrammeFactory(operator=b, name="Programm Beta"),
    )


def test_operators_are_managed_in_the_admin_with_their_contacts(client, admin_user):
    client.force_login(admin_user)
    operator = Operator.objects.get(slug="fueak-bw")
    html = client.get(reverse("admin:portal_operator_change", args=[operator.pk])).content
    assert "Martin Schwarz" in html.decode()
    assert "contacts-TOTAL_FORMS" in html.decode()
    assert client.get(reverse("admin:portal_operator_changelist")).status_code == 200


def test_office_staff_see_only_their_operators_objects_in_the_admin(client, two_operators):
    a, _b, programme_a, programme_b = two_operators
    office = UserFactory(role="office", operators=[a], is_staff=True, is_superuser=False)
    from django.contrib.auth.models import Permission

    office.user_permissions.add(
        *Permission.objects.filter(
            codename__in=["view_programme", "change_programme", "view_operator", "view_voucher"]
        )
    )
    VoucherFactory(programme=programme_a, code="PB-A-1")
    VoucherFactory(programme=programme_b, code="PB-B-1")
    client.force_login(office)
    html = client.get(reverse("admin:portal_programme_changelist")).content.decode()
    assert "Programm Alpha" in html
    assert "Programm Beta" not in html
    html = client.get(reverse("admin:vouchers_voucher_changelist")).content.decode()
    assert "PB-A-1" in html
    assert "PB-B-1" not in html
    html = client.get(reverse("admin:portal_operator_changelist")).content.decode()
    assert "Träger Alpha" in html
    assert "Träger Beta" not in html
    other = client.get(reverse("admin:portal_programme_change", args=[programme_b.pk]))
    assert other.status_code == 302  # the admin redirects "not found" to its index
    assert (
        client.get(reverse("admin:portal_programme_change", args=[programme_a.pk])).status_code
        == 200
    )
