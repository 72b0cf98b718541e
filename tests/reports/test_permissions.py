"""Applicants and facilitators get 403/404 on every report and export URL; anonymous users
are sent to the login; office staff and admins get in (GDPR tools: admins only)."""

import uuid

import pytest
from django.urls import reverse

from reports.models import ExportJob
from tests.factories import FacilitatorFactory, UserFactory

pytestmark = pytest.mark.django_db


def report_urls(job, person, other_facilitator):
    return [
        reverse("reports:dashboard"),
        reverse("reports:funder_report"),
        *[
            reverse("reports:report_list", args=[k])
            for k in ("antraege", "gutscheine", "sitzungen", "feedback")
        ],
        *[
            reverse("reports:export", args=[k, fmt])
            for k in ("antraege", "gutscheine", "sitzungen", "feedback")
            for fmt in ("csv", "xlsx")
        ],
        reverse("reports:export_job", args=[job.uuid]),
        reverse("reports:export_download", args=[job.uuid]),
        reverse("reports:export_job", args=[uuid.uuid4()]),
        reverse("reports:utilisation"),
        reverse("reports:facilitator_utilisation", args=[other_facilitator.pk]),
        reverse("reports:gdpr"),
        reverse("reports:gdpr_export", args=[person.pk]),
        reverse("reports:gdpr_anonymise", args=[person.pk]),
    ]


@pytest.fixture
def urls(office_user, programme):
    job = ExportJob.objects.create(created_by=office_user, report="sitzungen", file_format="csv")
    return report_urls(job, UserFactory(), FacilitatorFactory())


@pytest.mark.parametrize("role", ["applicant", "facilitator"])
def test_applicants_and_facilitators_are_refused_everywhere(
    client, urls, role, applicant_user, facilitator_user
):
    client.force_login(applicant_user if role == "applicant" else facilitator_user)
    for url in urls:
        response = client.get(url)
        assert response.status_code in (403, 404), (role, url, response.status_code)
    for url in urls[-2:]:  # the GDPR tools also take POST
        response = client.post(url, {"confirm": "yes"})
        assert response.status_code in (403, 404), (role, url, response.status_code)


def test_anonymous_users_go_to_login(client, urls):
    login = reverse("login")
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(login), url


def test_office_may_use_reports_but_not_gdpr_tools(client, office_user, programme):
    client.force_login(office_user)
    for key in ("antraege", "gutscheine", "sitzungen", "feedback"):
        assert client.get(reverse("reports:report_list", args=[key])).status_code == 200
    assert client.get(reverse("reports:dashboard")).status_code == 200
    assert client.get(reverse("reports:utilisation")).status_code == 200
    person = UserFactory()
    assert client.get(reverse("reports:gdpr")).status_code == 403
    assert client.get(reverse("reports:gdpr_export", args=[person.pk])).status_code == 403
    assert (
        client.post(
            reverse("reports:gdpr_anonymise", args=[person.pk]), {"confirm": "yes"}
        ).status_code
        == 403
    )


def test_facilitator_sees_only_own_utilisation(client, facilitator_user):
    other = FacilitatorFactory()
    client.force_login(facilitator_user)
    own = facilitator_user.facilitator_profile
    assert client.get(reverse("reports:my_utilisation")).status_code == 200
    assert client.get(reverse("reports:facilitator_utilisation", args=[own.pk])).status_code == 200
    assert (
        client.get(reverse("reports:facilitator_utilisation", args=[other.pk])).status_code == 404
    )
    assert client.get(reverse("reports:utilisation")).status_code == 403


def test_office_has_no_own_utilisation_page(client, office_user):
    client.force_login(office_user)
    assert client.get(reverse("reports:my_utilisation")).status_code == 403
