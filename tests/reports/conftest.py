import pytest

from tests.factories import FacilitatorFactory, OrganisationFactory, UserFactory


@pytest.fixture
def office_client(client, office_user):
    client.force_login(office_user)
    return client


@pytest.fixture
def admin_client_(client, admin_user):
    client.force_login(admin_user)
    return client


@pytest.fixture
def applicant_user(db):
    return OrganisationFactory().members.get()


@pytest.fixture
def facilitator_user(db):
    return FacilitatorFactory().user


@pytest.fixture
def other_office_user(db):
    return UserFactory(role="office")
