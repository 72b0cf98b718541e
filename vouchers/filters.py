"""List filters (django-filter) of the office queue."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from portal.models import Bundesland, Programme
from vouchers.models import Application

TIER_CHOICES = [
    (1, _("Rang 1 – Erstantrag, strukturschwach oder ländlich")),
    (2, _("Rang 2 – Erstantrag")),
    (3, _("Rang 3 – strukturschwach oder ländlich")),
    (4, _("Rang 4 – alle anderen")),
]

OPEN_STATUS_CHOICES = [
    (s.value, s.label)
    for s in (
        Application.Status.SUBMITTED,
        Application.Status.IN_REVIEW,
        Application.Status.WAITLISTED,
    )
]


class QueueFilter(django_filters.FilterSet):
    """Filters on the ranked queue. The programme decides the base queryset (see the view);
    its field here only renders and validates the selection."""

    programme = django_filters.ModelChoiceFilter(
        queryset=Programme.objects.order_by("name"),
        label=_("Programm"),
        method="keep",
        empty_label=None,
    )
    tier = django_filters.ChoiceFilter(choices=TIER_CHOICES, label=_("Rang"), empty_label=_("alle"))
    bundesland = django_filters.ChoiceFilter(
        field_name="organisation__bundesland",
        choices=Bundesland.choices,
        label=_("Bundesland"),
        empty_label=_("alle"),
    )
    status = django_filters.ChoiceFilter(
        choices=OPEN_STATUS_CHOICES, label=_("Status"), empty_label=_("alle")
    )
    flags_confirmed = django_filters.ChoiceFilter(
        choices=[("ja", _("bestätigt")), ("nein", _("unbestätigt"))],
        label=_("Regionsangaben"),
        empty_label=_("alle"),
        method="by_flags",
    )

    class Meta:
        model = Application
        fields = ["programme", "tier", "bundesland", "status", "flags_confirmed"]

    def keep(self, queryset, name, value):
        return queryset

    def by_flags(self, queryset, name, value):
        return queryset.filter(organisation__flags_confirmed=(value == "ja"))
