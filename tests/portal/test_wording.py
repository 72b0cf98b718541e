"""Issue 20, defect 6: small wording faults — "---------" in filters, "zu.:" in the error
summary, "Deutsch" twice, English "Flags" in the German queue."""

from __future__ import annotations

import pytest
from django.template import Context, Template

from vouchers.forms import ApplicationForm

pytestmark = pytest.mark.django_db


def test_filters_offer_alle_not_dashes(client, office_user):
    from django.urls import reverse

    client.force_login(office_user)
    text = client.get(reverse("reports:report_list", args=["gutscheine"])).content.decode()
    assert "---------" not in text
    assert ">alle<" in text


def test_error_summary_label_has_no_double_punctuation():
    rendered = Template("{% load portal_forms %}{{ label|summary_label }}:").render(
        Context({"label": "Ich stimme der Verarbeitung zu."})
    )
    assert rendered == "Ich stimme der Verarbeitung zu:"


def test_german_is_offered_once_as_language_of_the_process(programme):
    from tests.factories import OrganisationFactory

    organisation = OrganisationFactory()
    form = ApplicationForm(programme=programme, organisation=organisation)
    labels = [label for _value, label in form.fields["preferred_language"].choices]
    assert [str(label) for label in labels].count("Deutsch") == 1
