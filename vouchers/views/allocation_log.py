"""The allocation log (Vergabeprotokoll) of a programme period: a public page per programme
when the programme publishes it (``publish_allocation_log``), always for the office of its
operator; CSV download for the funder. Organisation names only where the operator publishes
them (``publish_allocation_names``)."""

from __future__ import annotations

import csv

from django.conf import settings
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from portal.models import Programme
from portal.scoping import works_for_object
from vouchers.models import AllocationEvent
from vouchers.services.allocation_log import log_entries, period_summary


def _programme_and_period(request, slug: str):
    programme = get_object_or_404(Programme.objects.select_related("operator"), slug=slug)
    if not (programme.publish_allocation_log or works_for_object(request.user, programme)):
        raise Http404
    periods = list(programme.periods.order_by("-start"))
    if not periods:
        raise Http404
    chosen = request.GET.get("zeitraum", "")
    period = None
    if chosen.isascii() and chosen.isdigit():
        period = next((p for p in periods if p.pk == int(chosen)), None)
    if period is None:
        today = timezone.localdate()
        period = next((p for p in periods if p.start <= today <= p.end), periods[0])
    return programme, periods, period


def _label_rows(rows, *, names: bool) -> None:
    kinds = {value: str(label) for value, label in AllocationEvent.Kind.choices}
    for row in rows:
        row.kind_label = kinds.get(row.kind, row.kind)
        row.name = row.application.organisation.name if names and row.application_id else ""


class AllocationLogView(TemplateView):
    template_name = "vouchers/allocation_log.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        programme, periods, period = _programme_and_period(self.request, kwargs["programme"])
        names = programme.operator.publish_allocation_names
        page = Paginator(log_entries(period, names=names), settings.PAGINATE_BY).get_page(
            self.request.GET.get("seite")
        )
        _label_rows(page.object_list, names=names)
        ctx.update(
            programme=programme,
            periods=periods,
            period=period,
            summary=period_summary(period),
            page=page,
            names=names,
            query_string=f"zeitraum={period.pk}",
            page_operator=programme.operator,
            is_office=works_for_object(self.request.user, programme),
        )
        return ctx


class AllocationLogCsvView(View):
    def get(self, request, *args, **kwargs):
        programme, _periods, period = _programme_and_period(request, kwargs["programme"])
        names = programme.operator.publish_allocation_names
        rows = list(log_entries(period, names=names))
        _label_rows(rows, names=names)
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        filename = f"vergabeprotokoll-{programme.slug}-{period.name}.csv"
        response["Content-Disposition"] = f'attachment; filename="{filename}"'
        response.write("\ufeff")  # Excel reads UTF-8 with a BOM
        writer = csv.writer(response, delimiter=";")
        header = [_("Zeitpunkt"), _("Schritt"), _("Antrag"), _("Rang"), _("Eingang"), _("Regel")]
        if names:
            header.append(_("Organisation"))
        writer.writerow(header)
        for row in rows:
            line = [
                timezone.localtime(row.created_at).strftime("%d.%m.%Y %H:%M"),
                row.kind_label,
                row.application_id or "",
                row.tier or "",
                timezone.localtime(row.submitted_at).strftime("%d.%m.%Y")
                if row.submitted_at
                else "",
                _csv_safe(row.rule),
            ]
            if names:
                line.append(_csv_safe(row.name))
            writer.writerow(line)
        summary = period_summary(period)
        writer.writerow([])
        writer.writerow([_("Kontingent"), summary.contingent])
        writer.writerow([_("vergeben"), summary.allocated])
        writer.writerow([_("angeboten"), summary.offered])
        writer.writerow([_("frei"), summary.free])
        writer.writerow([_("Losentscheid-Seed"), period.lottery_seed or "–"])
        return response


def _csv_safe(value: str) -> str:
    """No formula injection in spreadsheet programs."""
    value = str(value or "")
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value
