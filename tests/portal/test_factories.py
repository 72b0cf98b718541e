import pytest

from portal.models import Programme
from tests.factories import (
    ApplicationFactory,
    FacilitatorFactory,
    OrganisationFactory,
    ProgrammeFactory,
    VoucherFactory,
)

pytestmark = pytest.mark.django_db


def test_organisation_has_one_contact_with_email():
    org = OrganisationFactory(name="Gemeinde Überlingen", rural=True)
    contact = org.members.get()
    assert contact.email
    assert contact.role == "applicant"


def test_programme_kinds_get_their_caps_and_contingent():
    pb = ProgrammeFactory(kind="prozessbegleitung", contingent=3)
    vb = ProgrammeFactory(kind="virtuell")
    assert pb.cap_minutes == 960
    assert pb.current_period().contingent == 3
    assert (vb.unit_minutes, vb.cap_units, vb.cap_units_in_process) == (60, 12, 5)
    assert vb.kind == Programme.Kind.VIRTUELL


def test_voucher_factory_assigns_facilitators_given_as_profiles_or_users():
    f1, f2 = FacilitatorFactory(), FacilitatorFactory()
    voucher = VoucherFactory(facilitators=[f1, f2.user])
    assert set(voucher.facilitators.all()) == {f1, f2}
    assert voucher.period.programme == voucher.programme
    assert voucher.code.startswith("PB-")


def test_application_factory_submitted_has_time():
    app = ApplicationFactory(status="submitted")
    assert app.submitted_at is not None
    assert ApplicationFactory(status="draft").submitted_at is None
