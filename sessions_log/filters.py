"""Filters and sorting of the office list of running vouchers (django-filter)."""

from __future__ import annotations

import datetime as dt

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.fields import bounded_filter
from portal.models import Programme
from vouchers.models import Voucher

# Ids beyond the 64-bit range are refused as invalid choices (not a database error).
ModelChoiceFilter = bounded_filter(django_filters.ModelChoiceFilter)

LOW_REMAINING_MINUTES = 120
ENDING_WITHIN_DAYS = 30


class OfficeVoucherFilter(django_filters.FilterSet):
    """Works on ``selectors.office_vouchers()`` (annotated with usage)."""

    SORT_KEYS = ("organisation", "programm", "ende", "genutzt", "rest")

    suche = django_filters.CharFilter(
        label=_("Organisation oder Gutscheincode"), method="filter_search"
    )
    programm = ModelChoiceFilter(
        label=_("Programm"), field_name="programme", queryset=Programme.objects.order_by("name")
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        choices=[
            (Voucher.Status.ACTIVE, Voucher.Status.ACTIVE.label),
            (Voucher.Status.CLOSING_REQUESTED, Voucher.Status.CLOSING_REQUESTED.label),
        ],
        empty_label=_("alle laufenden"),
    )
    wenig_rest = django_filters.BooleanFilter(
        label=_("weniger als 2 Stunden übrig"),
        method="filter_low_remaining",
        widget=forms.CheckboxInput,
    )
    endet_bald = django_filters.BooleanFilter(
        label=_("endet in 30 Tagen"), method="filter_ending_soon", widget=forms.CheckboxInput
    )
    sortierung = django_filters.OrderingFilter(
        label=_("Sortierung"),
        fields=(
            ("organisation__name", "organisation"),
            ("programme__name", "programm"),
            ("valid_until", "ende"),
            ("usage_used_minutes", "genutzt"),
            ("usage_remaining_minutes", "rest"),
        ),
        field_labels={
            "organisation__name": _("Organisation"),
            "programme__name": _("Programm"),
            "valid_until": _("Ende"),
            "usage_used_minutes": _("genutzt"),
            "usage_remaining_minutes": _("verbleibend"),
        },
    )

    class Meta:
        model = Voucher
        fields: list[str] = []

    def filter_search(self, queryset, name, value):
        value = (value or "").strip()
        if not value:
            return queryset
        return queryset.filter(Q(organisation__name__icontains=value) | Q(code__icontains=value))

    def filter_low_remaining(self, queryset, name, value):
        if not value:
            return queryset
        return queryset.filter(usage_remaining_minutes__lt=LOW_REMAINING_MINUTES)

    def filter_ending_soon(self, queryset, name, value):
        if not value:
            return queryset
        # Includes vouchers whose end date has already passed: they need the office most.
        limit = timezone.localdate() + dt.timedelta(days=ENDING_WITHIN_DAYS)
        return queryset.filter(valid_until__lte=limit)

    @property
    def qs(self):
        # A stable order for pagination when no sorting was chosen (and as a tie-breaker).
        qs = super().qs
        return qs.order_by(*qs.query.order_by, "pk") if qs.query.order_by else qs
