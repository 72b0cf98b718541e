"""django-filter filter sets of the report lists; exports use the very same filters."""

from __future__ import annotations

import django_filters as df
from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from portal.fields import bounded_filter
from portal.models import Bundesland, FacilitatorProfile, Operator, Programme, ProgrammePeriod
from portal.scoping import office_scope, programmes_for
from reports.selectors import TIER_LABELS, annotate_voucher_tier, period_bounds
from sessions_log.models import Activity, SessionEntry
from sessions_log.models import Format as SessionFormat
from vouchers.models import Application, FeedbackResponse, Voucher

# Ids beyond the 64-bit range are refused as invalid choices (not a database error).
ModelChoiceFilter = bounded_filter(df.ModelChoiceFilter)

YES_NO = [("true", _("ja")), ("false", _("nein"))]
TIER_CHOICES = [(str(tier), label) for tier, label in TIER_LABELS.items()]


def _select(**attrs):
    return forms.Select(attrs={"class": "form-select form-select-sm", **attrs})


class PeriodChoiceFilter(ModelChoiceFilter):
    def __init__(self, **kwargs):
        kwargs.setdefault("label", _("Programmzeitraum"))
        kwargs.setdefault(
            "queryset", ProgrammePeriod.objects.select_related("programme").order_by("-start")
        )
        kwargs.setdefault("widget", _select())
        super().__init__(**kwargs)


class ReportFilterSet(df.FilterSet):
    """Common filters. Subclasses set ``org`` (path to the organisation), ``voucher`` (path to
    the voucher, "" for vouchers themselves) and ``programme_path``."""

    org = "organisation__"
    voucher = "voucher__"
    programme_path = "programme"

    operator = ModelChoiceFilter(
        label=_("Programmträger"),
        queryset=Operator.objects.order_by("name"),
        method="filter_operator",
        widget=_select(),
    )
    programme = ModelChoiceFilter(
        label=_("Programm"),
        queryset=Programme.objects.order_by("name"),
        method="filter_programme",
        widget=_select(),
    )
    period = PeriodChoiceFilter(method="filter_period")
    bundesland = df.ChoiceFilter(
        label=_("Bundesland"),
        choices=Bundesland.choices,
        method="filter_bundesland",
        widget=_select(),
    )
    # ChoiceFilter (not TypedChoiceFilter): it offers the empty "all" option.
    tier = df.ChoiceFilter(
        label=_("Rangstufe"), choices=TIER_CHOICES, method="filter_tier", widget=_select()
    )
    structurally_weak = df.ChoiceFilter(
        label=_("strukturschwach"), choices=YES_NO, method="filter_flag", widget=_select()
    )
    rural = df.ChoiceFilter(
        label=_("ländlich"), choices=YES_NO, method="filter_flag", widget=_select()
    )
    facilitator = ModelChoiceFilter(
        label=_("Prozessbegleiter*in"),
        queryset=FacilitatorProfile.objects.select_related("user").order_by(
            "user__last_name", "user__first_name"
        ),
        method="filter_facilitator",
        widget=_select(),
    )

    def __init__(self, data=None, queryset=None, *, user=None, **kwargs):
        super().__init__(data, queryset, **kwargs)
        if user is not None:
            # Office staff choose only among their operators and programmes: another
            # operator's id is an invalid choice (the list and the export then show nothing).
            self.filters["operator"].queryset = office_scope(
                Operator.objects.order_by("name"), user, path="pk"
            )
            self.filters["programme"].queryset = programmes_for(user).order_by("name")
            self.filters["period"].queryset = office_scope(
                ProgrammePeriod.objects.select_related("programme").order_by("-start"), user
            )

    def filter_operator(self, qs, name, value):
        return qs.filter(**{f"{self.programme_path}__operator": value}) if value else qs

    def filter_programme(self, qs, name, value):
        return qs.filter(**{self.programme_path: value}) if value else qs

    def filter_period(self, qs, name, value):
        return qs.filter(**{f"{self.voucher}period": value}) if value else qs

    def filter_bundesland(self, qs, name, value):
        return qs.filter(**{f"{self.org}bundesland": value}) if value else qs

    def filter_flag(self, qs, name, value):
        if value not in ("true", "false"):
            return qs
        return qs.filter(**{f"{self.org}{name}": value == "true"})

    def filter_tier(self, qs, name, value):
        if not value:
            return qs
        if "tier" not in qs.query.annotations:
            qs = annotate_voucher_tier(qs, prefix=self.voucher)
        return qs.filter(tier=int(value))

    def filter_facilitator(self, qs, name, value):
        if not value:
            return qs
        through = Voucher.facilitators.through
        return qs.filter(
            Exists(
                through.objects.filter(
                    voucher_id=OuterRef(f"{self.voucher}pk"), facilitatorprofile_id=value.pk
                )
            )
        )


class ApplicationReportFilter(ReportFilterSet):
    voucher = "voucher__"
    status = df.ChoiceFilter(
        label=_("Status"),
        choices=[c for c in Application.Status.choices if c[0] != "draft"],
        widget=_select(),
    )
    o = df.OrderingFilter(
        fields=(
            ("pk", "nr"),
            ("submitted_at", "eingereicht"),
            ("organisation__name", "organisation"),
            ("status", "status"),
            ("tier", "stufe"),
            ("decided_at", "entschieden"),
        ),
        widget=forms.HiddenInput,
    )

    class Meta:
        model = Application
        fields: list[str] = []

    def filter_period(self, qs, name, value):
        """Applications have no period: those of its programme submitted within it."""
        if not value:
            return qs
        start, end = period_bounds(value)
        return qs.filter(
            programme=value.programme_id, submitted_at__gte=start, submitted_at__lt=end
        )


class VoucherReportFilter(ReportFilterSet):
    voucher = ""
    status = df.ChoiceFilter(label=_("Status"), choices=Voucher.Status.choices, widget=_select())
    o = df.OrderingFilter(
        fields=(
            ("code", "code"),
            ("organisation__name", "organisation"),
            ("status", "status"),
            ("tier", "stufe"),
            ("issued_at", "ausgestellt"),
            ("valid_until", "gueltig"),
            ("minutes_used", "minuten"),
        ),
        widget=forms.HiddenInput,
    )

    class Meta:
        model = Voucher
        fields: list[str] = []


class SessionReportFilter(ReportFilterSet):
    org = "voucher__organisation__"
    programme_path = "voucher__programme"
    status = df.ChoiceFilter(
        label=_("Status des Gutscheins"),
        choices=Voucher.Status.choices,
        field_name="voucher__status",
        widget=_select(),
    )
    activity = df.ChoiceFilter(label=_("Tätigkeit"), choices=Activity.choices, widget=_select())
    format = df.ChoiceFilter(label=_("Format"), choices=SessionFormat.choices, widget=_select())
    o = df.OrderingFilter(
        fields=(
            ("date", "datum"),
            ("voucher__code", "gutschein"),
            ("voucher__organisation__name", "organisation"),
            ("minutes", "minuten"),
        ),
        widget=forms.HiddenInput,
    )

    class Meta:
        model = SessionEntry
        fields: list[str] = []

    def filter_facilitator(self, qs, name, value):
        """Session entries: the facilitator who logged them."""
        return qs.filter(facilitator=value) if value else qs


class FeedbackReportFilter(ReportFilterSet):
    org = "request__voucher__organisation__"
    voucher = "request__voucher__"
    programme_path = "request__voucher__programme"
    status = df.ChoiceFilter(
        label=_("Status des Gutscheins"),
        choices=Voucher.Status.choices,
        field_name="request__voucher__status",
        widget=_select(),
    )
    o = df.OrderingFilter(
        fields=(
            ("created_at", "beantwortet"),
            ("request__voucher__code", "gutschein"),
            ("satisfaction", "zufriedenheit"),
        ),
        widget=forms.HiddenInput,
    )

    class Meta:
        model = FeedbackResponse
        fields: list[str] = []
