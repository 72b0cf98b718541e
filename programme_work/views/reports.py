"""The office's overviews: plan progress per case and attendance per partner, each with a
CSV export. Queries are constant in the number of cases, milestones and events."""

from __future__ import annotations

import csv

from django.http import HttpResponse
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views import View

from portal.scoping import programmes_for
from portal.views.mixins import OfficeRequiredMixin
from programme_work.selectors import (
    attendance_overview,
    attendance_rate,
    plan_cases_visible_to,
    with_attendance,
    with_progress,
)
from programme_work.services.plans import PLAN_KINDS, ensure_plans


def _csv(filename: str, header: list[str], rows) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "private, no-store"
    response.write("\ufeff")
    writer = csv.writer(response, delimiter=";")
    writer.writerow(header)
    for row in rows:
        writer.writerow(["'" + v if isinstance(v, str) and v[:1] in "=+-@" else v for v in row])
    return response


class ProgressView(OfficeRequiredMixin, View):
    def get(self, request):
        programmes = list(programmes_for(request.user).filter(kind__in=PLAN_KINDS))
        selected = next(
            (p for p in programmes if str(p.pk) == request.GET.get("programme")),
            programmes[0] if programmes else None,
        )
        cases = []
        if selected is not None:
            base = plan_cases_visible_to(request.user).filter(programme=selected)
            if request.GET.get("format") != "csv":
                # Cases seen here for the first time get their plan (nothing to do later).
                ensure_plans(base.filter(process_plan__isnull=True).select_related("programme"))
            cases = list(with_attendance(with_progress(base)).order_by("organisation__name", "pk"))
        if request.GET.get("format") == "csv" and selected is not None:
            return _csv(
                f"planfortschritt-{selected.slug}.csv",
                [
                    _("Fall"),
                    _("Organisation"),
                    _("Status"),
                    _("erledigt"),
                    _("Meilensteine"),
                    _("überfällig"),
                    _("nächster Termin"),
                    _("Pflichttreffen besucht"),
                    _("Pflichttreffen stattgefunden"),
                    _("Pflichttreffen verpasst"),
                ],
                (
                    [
                        c.code,
                        c.organisation.name,
                        c.get_status_display(),
                        c.ms_done,
                        c.ms_total,
                        c.ms_overdue,
                        c.ms_next_due.isoformat() if c.ms_next_due else "",
                        c.mandatory_attended,
                        c.mandatory_held,
                        c.mandatory_missed,
                    ]
                    for c in cases
                ),
            )
        return render(
            request,
            "programme_work/progress.html",
            {"programmes": programmes, "selected": selected, "cases": cases},
        )


class AttendanceView(OfficeRequiredMixin, View):
    def get(self, request, pk):
        programme = get_object_or_404(programmes_for(request.user), pk=pk)
        rows = attendance_overview(programme)
        if request.GET.get("format") == "csv":
            return _csv(
                f"anwesenheit-{programme.slug}.csv",
                [
                    _("Organisation"),
                    _("Pflichttreffen stattgefunden"),
                    _("besucht"),
                    _("entschuldigt"),
                    _("abwesend"),
                    _("nicht erfasst"),
                    _("Pflichtteilnahme fehlt"),
                ],
                (
                    [
                        r["organisation__name"],
                        r["held"],
                        r["attended"],
                        r["excused"],
                        r["absent"],
                        r["unknown"],
                        _("ja") if r["flagged"] else _("nein"),
                    ]
                    for r in rows
                ),
            )
        rate = attendance_rate(rows)
        return render(
            request,
            "programme_work/attendance.html",
            {
                "programme": programme,
                "rows": rows,
                "rate_percent": round(rate * 100) if rate is not None else None,
                "flagged_count": sum(1 for r in rows if r["flagged"]),
                "page_operator": programme.operator,
            },
        )
