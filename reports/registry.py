"""The four report lists: their queryset, filter set, columns (list page and exports alike)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from portal.models import Bundesland
from reports import filters, formatting, selectors
from sessions_log.models import Activity
from sessions_log.models import Format as SessionFormat
from vouchers.models import Application, Voucher

# Column kinds: how a value is written (see ``reports.formatting``).
TEXT, INT, HOURS, DATE, DATETIME, BOOL, DECIMAL = (
    "text",
    "int",
    "hours",
    "date",
    "datetime",
    "bool",
    "decimal",
)


@dataclass(frozen=True)
class Column:
    header: str
    source: str  # a values_list() path or annotation
    kind: str = TEXT
    choices: dict | None = None
    sort: str = ""  # the OrderingFilter value, if sortable

    def converter(self) -> Callable:
        if self.choices is not None:
            labels = {k: formatting.text(str(v)) for k, v in self.choices.items()}
            labels[None] = ""
            return lambda v: labels.get(v, formatting.text(v))
        return {
            TEXT: formatting.text,
            INT: formatting.de_int,
            HOURS: formatting.de_hours,
            DATE: formatting.de_date,
            DATETIME: formatting.de_datetime,
            BOOL: formatting.de_bool,
            DECIMAL: formatting.de_decimal,
        }[self.kind]


@dataclass(frozen=True)
class Report:
    key: str  # URL slug
    title: str
    queryset: Callable  # (user) -> QuerySet
    filterset: type
    columns: list[Column]
    link: Callable | None = None  # (row dict) -> url of the object
    link_source: str = "pk"
    extra_sources: list[str] = field(default_factory=list)

    @property
    def headers(self) -> list[str]:
        return [str(c.header) for c in self.columns]

    @property
    def sources(self) -> list[str]:
        return [c.source for c in self.columns]


BUNDESLAND = dict(Bundesland.choices)
TIERS = {t: str(t) for t in selectors.TIER_LABELS}

APPLICATIONS = Report(
    key="antraege",
    title=_("Anträge"),
    queryset=selectors.applications_report,
    filterset=filters.ApplicationReportFilter,
    columns=[
        Column(_("Antrag-Nr."), "pk", INT, sort="nr"),
        Column(_("eingereicht am"), "submitted_at", DATETIME, sort="eingereicht"),
        Column(_("Organisation"), "organisation__name", sort="organisation"),
        Column(_("Bundesland"), "organisation__bundesland", choices=BUNDESLAND),
        Column(_("strukturschwach"), "organisation__structurally_weak", BOOL),
        Column(_("ländlich"), "organisation__rural", BOOL),
        Column(_("Regionsangaben bestätigt"), "organisation__flags_confirmed", BOOL),
        Column(_("Programm"), "programme__name"),
        Column(_("Status"), "status", choices=dict(Application.Status.choices), sort="status"),
        Column(_("Rangstufe"), "tier", INT, sort="stufe"),
        Column(_("Erstantrag"), "first_time", BOOL),
        Column(_("entschieden am"), "decided_at", DATETIME, sort="entschieden"),
        Column(_("Gutschein"), "voucher_code"),
        Column(_("Spezifische Themenfelder"), "topics_other"),
    ],
    link=lambda row: reverse("vouchers:application_detail", args=[row["pk"]]),
)

VOUCHERS = Report(
    key="gutscheine",
    title=_("Gutscheine"),
    queryset=selectors.vouchers_report,
    filterset=filters.VoucherReportFilter,
    columns=[
        Column(_("Gutscheincode"), "code", sort="code"),
        Column(_("Programm"), "programme__name"),
        Column(_("Programmzeitraum"), "period__name"),
        Column(_("Organisation"), "organisation__name", sort="organisation"),
        Column(_("Bundesland"), "organisation__bundesland", choices=BUNDESLAND),
        Column(_("strukturschwach"), "organisation__structurally_weak", BOOL),
        Column(_("ländlich"), "organisation__rural", BOOL),
        Column(_("Status"), "status", choices=dict(Voucher.Status.choices), sort="status"),
        Column(_("Rangstufe"), "tier", INT, sort="stufe"),
        Column(_("ausgestellt am"), "issued_at", DATE, sort="ausgestellt"),
        Column(_("Vereinbarung unterschrieben am"), "activated_at", DATE),
        Column(_("gültig bis"), "valid_until", DATE, sort="gueltig"),
        Column(_("abgeschlossen am"), "closed_at", DATE),
        Column(_("Prozessbegleiter*innen"), "facilitator_names"),
        Column(_("Obergrenze Stunden"), "cap_minutes", HOURS),
        Column(_("Stunden erfasst"), "minutes_used", HOURS, sort="minuten"),
        Column(_("Obergrenze Einheiten"), "cap_units", INT),
        Column(_("Einheiten erfasst"), "units_used", INT),
    ],
    link=lambda row: reverse("vouchers:case_detail", args=[row["pk"]]),
)

SESSIONS = Report(
    key="sitzungen",
    title=_("Sitzungen"),
    queryset=selectors.sessions_report,
    filterset=filters.SessionReportFilter,
    columns=[
        Column(_("Datum"), "date", DATE, sort="datum"),
        Column(_("Gutschein"), "voucher__code", sort="gutschein"),
        Column(_("Programm"), "voucher__programme__name"),
        Column(_("Organisation"), "voucher__organisation__name", sort="organisation"),
        Column(_("Bundesland"), "voucher__organisation__bundesland", choices=BUNDESLAND),
        Column(_("Prozessbegleiter*in"), "facilitator_name"),
        Column(_("Tätigkeit"), "activity", choices=dict(Activity.choices)),
        Column(_("Format"), "format", choices=dict(SessionFormat.choices)),
        Column(_("Minuten"), "minutes", INT, sort="minuten"),
        Column(_("Stunden"), "minutes", HOURS),
        Column(_("Einheiten"), "units", INT),
        Column(_("mit Prozessbegleiter*in im Prozess"), "with_facilitator_in_process", BOOL),
        Column(_("Teilnehmende"), "participants", INT),
        Column(_("Notizen/Ergebnis"), "notes"),
    ],
    link=lambda row: reverse("vouchers:case_detail", args=[row["voucher_id"]]),
    extra_sources=["voucher_id"],
)

FEEDBACK = Report(
    key="feedback",
    title=_("Feedbackantworten"),
    queryset=selectors.feedback_report,
    filterset=filters.FeedbackReportFilter,
    columns=[
        Column(_("Gutschein"), "request__voucher__code", sort="gutschein"),
        Column(_("Programm"), "request__voucher__programme__name"),
        Column(_("Programmzeitraum"), "request__voucher__period__name"),
        Column(_("Organisation"), "request__voucher__organisation__name"),
        Column(_("Bundesland"), "request__voucher__organisation__bundesland", choices=BUNDESLAND),
        Column(_("beantwortet am"), "created_at", DATE, sort="beantwortet"),
        Column(_("Zufriedenheit (1–5)"), "satisfaction", INT, sort="zufriedenheit"),
        Column(_("Ziele erreicht (1–5)"), "goals_reached", INT),
        Column(_("Nutzen der Struktur (1–5)"), "structure_useful", INT),
        Column(_("würde weiterempfehlen"), "would_recommend", BOOL),
        # No free text here: the answers' text is shown only on the programme's feedback
        # page, without names and from three answers on (respondents were told "ohne Namen").
    ],
    link=lambda row: reverse("vouchers:case_detail", args=[row["request__voucher_id"]]),
    extra_sources=["request__voucher_id"],
)

REPORTS: dict[str, Report] = {r.key: r for r in (APPLICATIONS, VOUCHERS, SESSIONS, FEEDBACK)}


def filtered_queryset(report: Report, user, data):
    """(filterset, queryset) for the list page, the streamed export and the export task."""
    fs = report.filterset(data or None, queryset=report.queryset(user), user=user)
    if fs.is_bound and not fs.is_valid():
        # A wrong filter value never widens an export: show the error, list nothing.
        return fs, fs.queryset.none()
    return fs, fs.qs
