import pytest
from django.urls import reverse
from tests.reports import scenario
pytestmark = pytest.mark.django_db

def test_render(office_client):
    s = scenario.build()
    url = reverse("reports:report_list", args=["gutscheine"]) + f"?period={s.period.pk}&o=-gueltig"
    with open("/tmp/h6_list.html", "wb") as fh:
        fh.write(office_client.get(url).content)
