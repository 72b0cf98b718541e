"""The Antrag choice page offers only the programmes an organisation may apply for and says
why the others are closed; the Entwicklungswerkstatt takes no Antrag (entry by call)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from portal.errors import RuleViolation
from portal.models import Cohort, Organisation, Programme
from tests.factories import ApplicationFactory, OrganisationFactory, VoucherFactory
from vouchers import services
from vouchers.services.eligibility import programme_choices

pytestmark = pytest.mark.django_db


def _states(organisation) -> dict[str, str]:
    return {c.programme.slug: c.state for c in programme_choices(organisation)}


@pytest.fixture
def stadt():
    return OrganisationFactory(kind=Organisation.Kind.ENGAGIERTE_STADT)


@pytest.fixture
def kommune():
    """A Kommune of the FüAk cohort 2018/19: eligible for the accompanied process and VB."""
    return OrganisationFactory(
        kind=Organisation.Kind.KOMMUNE, cohorts=[Cohort.objects.get(name="2018/19")]
    )


def test_an_engagierte_stadt_may_apply_for_the_dsee_voucher_only(stadt):
    assert _states(stadt) == {
        "prozessbegleitung": "open",
        "integration-durch-be": "not_eligible",
        "virtuelle-begleitung": "not_eligible",
        "entwicklungswerkstatt": "by_call",
    }
    assert [p.slug for p in services.eligible_programmes(stadt)] == ["prozessbegleitung"]


def test_a_kommune_of_a_cohort_may_apply_for_the_fueak_programmes(kommune):
    assert _states(kommune) == {
        "prozessbegleitung": "not_eligible",
        "integration-durch-be": "open",
        "virtuelle-begleitung": "open",
        "entwicklungswerkstatt": "by_call",
    }


def test_a_kommune_without_a_cohort_is_told_why_the_virtual_programme_is_closed():
    kommune = OrganisationFactory(kind=Organisation.Kind.KOMMUNE)
    choice = next(
        c for c in programme_choices(kommune) if c.programme.slug == "virtuelle-begleitung"
    )
    assert choice.state == "not_eligible"
    assert "Projektjahrgänge" in choice.reason
    assert not choice.may_apply


def test_an_open_case_or_antrag_closes_the_programme_and_a_draft_stays_open(kommune):
    process = Programme.objects.get(slug="integration-durch-be")
    virtual = Programme.objects.get(slug="virtuelle-begleitung")
    voucher = VoucherFactory(organisation=kommune, programme=process, status="active")
    ApplicationFactory(organisation=kommune, programme=virtual, status="submitted")
    choices = {c.programme.slug: c for c in programme_choices(kommune)}
    assert choices["integration-durch-be"].state == "open_case"
    assert voucher.code in choices["integration-durch-be"].reason
    assert choices["virtuelle-begleitung"].state == "pending"
    other = OrganisationFactory(kind=Organisation.Kind.KOMMUNE, cohorts=list(kommune.cohorts.all()))
    draft = ApplicationFactory(organisation=other, programme=virtual, status="draft")
    choice = next(c for c in programme_choices(other) if c.programme == virtual)
    assert (choice.state, choice.application, choice.may_apply) == ("draft", draft, True)


def test_the_werkstatt_takes_no_antrag_in_the_services(kommune):
    werkstatt = Programme.objects.get(slug="entwicklungswerkstatt")
    applicant = kommune.members.get()
    with pytest.raises(RuleViolation, match="Ausschreibung"):
        services.create_draft(kommune, werkstatt, by=applicant, challenge="x", goals="y")
    draft = ApplicationFactory(organisation=kommune, programme=werkstatt, status="draft")
    with pytest.raises(RuleViolation, match="Ausschreibung"):
        services.submit_application(draft, by=applicant)
    draft.refresh_from_db()
    assert draft.status == "draft"


def test_the_choice_page_offers_eligible_programmes_and_explains_the_others(
    client, kommune, django_assert_max_num_queries
):
    client.force_login(kommune.members.get())
    with django_assert_max_num_queries(20):
        response = client.get(reverse("vouchers:application_start"))
    html = response.content.decode()
    assert response.status_code == 200
    assert reverse("vouchers:application_create", args=["virtuelle-begleitung"]) in html
    assert reverse("vouchers:application_create", args=["integration-durch-be"]) in html
    assert reverse("vouchers:application_create", args=["prozessbegleitung"]) not in html
    assert reverse("vouchers:application_create", args=["entwicklungswerkstatt"]) not in html
    assert "Bewerbung über Ausschreibung" in html
    assert "Nicht berechtigt" in html
    # Each programme names its operator.
    assert "Ein Programm von Führungsakademie Baden-Württemberg" in html
    assert "Ein Programm von Entwicklungswerkstatt NRW" in html


def test_the_werkstatt_form_is_refused_with_the_reason(client, kommune):
    client.force_login(kommune.members.get())
    url = reverse("vouchers:application_create", args=["entwicklungswerkstatt"])
    response = client.get(url)
    assert response.status_code == 403
    assert "Bewerbung über Ausschreibung" in response.content.decode()
    response = client.post(url, {"action": "save", "challenge": "x", "goals": "y"})
    assert response.status_code == 403
    assert not kommune.applications.exists()
