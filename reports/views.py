"""Reports: programme dashboard, funder report PDF, report lists, facilitator utilisation.

Office and admin only (``OfficeRequiredMixin``: anonymous → login, other roles → 403);
facilitators may open their own utilisation page only (another facilitator's → 404)."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.views.generic import TemplateView, View

from portal.models import FacilitatorProfile, Programme, ProgrammePeriod
from portal.scoping import office_scope, programmes_for
from portal.views.mixins import OfficeRequiredMixin, RoleRequiredMixin
from reports import charts, utilisation
from reports.figures import programme_dashboard
from reports.pdf import FunderReportPDF
from reports.registry import REPORTS, filtered_queryset


def _int(value) -> int | None:
    try:
        return int(value)
    except (TypeError, ValueError):
        return None


def _current(periods: list[ProgrammePeriod], today) -> ProgrammePeriod | None:
    """Same rule as ``Programme.current_period``, on an already loaded list (newest first)."""
    for p in periods:
        if p.start <= today <= p.end:
            return p
    return periods[0] if periods else None


def operators_of(programmes: list[Programme]) -> list:
    """The operators behind already loaded programmes (``programmes_for`` joins them)."""
    return sorted({p.operator for p in programmes}, key=lambda o: o.name)


def select_programme_period(params, user) -> tuple[Programme, ProgrammePeriod, list, list]:
    """The programme and period chosen in the query string, among the user's operators'
    programmes, narrowed to one operator with ``operator`` (defaults: first programme, its
    current period). Two queries."""
    programmes = list(programmes_for(user).order_by("-active", "name"))
    operators = operators_of(programmes)
    operator_id = _int(params.get("operator"))
    if operator_id is not None:
        programmes = [p for p in programmes if p.operator_id == operator_id]
    if not programmes:
        raise Http404("Es ist noch kein Programm angelegt.")
    by_id = {p.pk: p for p in programmes}
    programme = by_id.get(_int(params.get("programme"))) or programmes[0]
    periods = list(ProgrammePeriod.objects.filter(programme=programme).order_by("-start"))
    chosen = {p.pk: p for p in periods}.get(_int(params.get("period")))
    period = chosen or _current(periods, timezone.localdate())
    if period is None:
        raise Http404("Für dieses Programm ist kein Zeitraum angelegt.")
    period.programme = programme
    programme.operator_choices = operators  # for the selector of office staff of several
    return programme, period, programmes, periods


class ReportNavMixin:
    """Context for the reports' tab navigation."""

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["reports"] = REPORTS.values()
        return ctx


class DashboardView(OfficeRequiredMixin, ReportNavMixin, TemplateView):
    template_name = "reports/dashboard.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        programme, period, programmes, periods = select_programme_period(
            self.request.GET, self.request.user
        )
        d = programme_dashboard(programme, period)
        ctx.update(
            operators=programme.operator_choices,
            operator_id=_int(self.request.GET.get("operator")),
            d=d,
            charts=charts.dashboard_charts(d),
            programmes=programmes,
            periods=periods,
        )
        return ctx


class FunderReportView(OfficeRequiredMixin, View):
    def get(self, request):
        programme, period, _, _ = select_programme_period(request.GET, request.user)
        d = programme_dashboard(programme, period)
        document = FunderReportPDF(d, charts.dashboard_charts(d))
        response = HttpResponse(document.render(), content_type="application/pdf")
        response["Content-Disposition"] = f'attachment; filename="{document.filename()}"'
        return response


def sort_headers(request, report) -> list[dict]:
    """Table headers with sort links (``o``) and ``aria-sort``."""
    current = request.GET.get("o", "")
    out = []
    for col in report.columns:
        header = {"label": str(col.header), "url": None, "aria_sort": None}
        if col.sort:
            params = request.GET.copy()
            params.pop("page", None)
            if current == col.sort:
                params["o"], header["aria_sort"] = f"-{col.sort}", "ascending"
            elif current == f"-{col.sort}":
                params["o"], header["aria_sort"] = col.sort, "descending"
            else:
                params["o"] = col.sort
            header["url"] = "?" + params.urlencode()
        out.append(header)
    return out


class ReportListView(OfficeRequiredMixin, ReportNavMixin, TemplateView):
    template_name = "reports/report_list.html"

    def get(self, request, *args, **kwargs):
        ctx = self.get_context_data(**kwargs)
        fs = ctx["filter"]
        status = 400 if fs.is_bound and not fs.is_valid() else 200
        return self.render_to_response(ctx, status=status)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        report = REPORTS.get(kwargs["report"])
        if report is None:
            raise Http404
        fs, qs = filtered_queryset(report, self.request.user, self.request.GET)
        values = qs.values(*dict.fromkeys([*report.sources, *report.extra_sources, "pk"]))
        page = Paginator(values, settings.PAGINATE_BY).get_page(self.request.GET.get("page"))
        converters = [c.converter() for c in report.columns]
        rows = [
            {
                "cells": [
                    conv(row[c.source]) for conv, c in zip(converters, report.columns, strict=True)
                ],
                "url": report.link(row) if report.link else None,
            }
            for row in page.object_list
        ]
        params = self.request.GET.copy()
        params.pop("page", None)
        ctx.update(
            report=report,
            filter=fs,
            page_obj=page,
            rows=rows,
            headers=sort_headers(self.request, report),
            query=params.urlencode(),
            threshold=settings.REPORTS_EXPORT_ASYNC_THRESHOLD,
        )
        return ctx


class UtilisationView(OfficeRequiredMixin, ReportNavMixin, TemplateView):
    """All facilitators: open cases vs capacity and hours per month (office planning)."""

    template_name = "reports/utilisation.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        months = utilisation.month_range(utilisation.today())
        profiles = utilisation.profiles_with_open_cases(
            FacilitatorProfile.objects.filter(active=True)
        ).order_by("user__last_name", "user__first_name", "pk")
        page = Paginator(profiles, settings.PAGINATE_BY).get_page(self.request.GET.get("page"))
        ctx.update(
            months=[charts.month_label(m) for m in months],
            rows=utilisation.utilisation_rows(page.object_list, months),
            page_obj=page,
        )
        return ctx


class FacilitatorUtilisationView(RoleRequiredMixin, ReportNavMixin, TemplateView):
    """One facilitator's utilisation: the office sees anyone, a facilitator only itself."""

    allowed_roles = ("office", "admin", "facilitator")
    template_name = "reports/facilitator_utilisation.html"

    def get_profile(self) -> FacilitatorProfile:
        user = self.request.user
        qs = utilisation.profiles_with_open_cases()
        if "pk" not in self.kwargs:
            if user.role != "facilitator":
                raise PermissionDenied
            return get_object_or_404(qs, user=user)
        if user.role == "facilitator":
            qs = qs.filter(user=user)  # another facilitator's page is a 404, never a leak
        return get_object_or_404(qs, pk=self.kwargs["pk"])

    def visible_cases(self, profile: FacilitatorProfile):
        """The facilitator sees all its cases; office staff those of their operators only
        (the count of open cases against the capacity stays the facilitator's total)."""
        cases = utilisation.open_cases_of(profile)
        user = self.request.user
        return cases if user.role == "facilitator" else office_scope(cases, user)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        profile = self.get_profile()
        months = utilisation.month_range(utilisation.today())
        row = utilisation.utilisation_rows([profile], months)[0]
        labels = [charts.month_label(m) for m in months]
        ctx.update(
            profile=profile,
            row=row,
            cases=list(self.visible_cases(profile)),
            chart=charts.bar_chart(
                "chart-hours",
                "Erfasste Stunden je Monat",
                [(label, round(m / 60, 1)) for label, m in zip(labels, row.minutes, strict=True)],
                label_header="Monat",
                value_header="Stunden",
            ),
        )
        return ctx
