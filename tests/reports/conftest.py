import pytest

from tests.factories import FacilitatorFactory, OrganisationFactory


@pytest.fixture
def office_client(client, office_user):
    client.force_login(office_user)
    return client


@pytest.fixture
def applicant_user(db):
    return OrganisationFactory().members.get()


@pytest.fixture
def facilitator_user(db):
    return FacilitatorFactory().user
