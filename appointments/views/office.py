"""Office view: bookings per programme and week, no-shows, late cancellations and the
utilisation of each facilitator's slots, scoped to the office's operators; CSV export."""

from __future__ import annotations

import csv
import datetime as dt

from django.http import Http404, HttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from appointments import reporting
from portal.models import Programme
from portal.scoping import programmes_for
from portal.views.mixins import OfficeRequiredMixin

DEFAULT_WEEKS_BACK, DEFAULT_WEEKS_AHEAD = 8, 4


def _date(value: str, default: dt.date) -> dt.date:
    try:
        return dt.date.fromisoformat(value)
    except ValueError:
        return default


class OfficeView(OfficeRequiredMixin, TemplateView):
    template_name = "appointments/office.html"

    def filters(self):
        today = timezone.localdate()
        first = _date(
            self.request.GET.get("von", ""), today - dt.timedelta(weeks=DEFAULT_WEEKS_BACK)
        )
        last = _date(
            self.request.GET.get("bis", ""), today + dt.timedelta(weeks=DEFAULT_WEEKS_AHEAD)
        )
        tz = timezone.get_current_timezone()
        start = dt.datetime.combine(first, dt.time.min, tzinfo=tz)
        end = dt.datetime.combine(last + dt.timedelta(days=1), dt.time.min, tzinfo=tz)
        programmes = programmes_for(self.request.user).filter(kind=Programme.Kind.VIRTUELL)
        programme = None
        value = self.request.GET.get("programm", "")
        if value:
            if not value.isdigit() or len(value) > 9:
                raise Http404
            # Another operator's programme is a 404, never a leak.
            programme = programmes.filter(pk=int(value)).first()
            if programme is None:
                raise Http404
        return {
            "first": first,
            "last": last,
            "start": start,
            "end": end,
            "programme": programme,
            "programmes": programmes,
        }

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        f = self.filters()
        args = {"start": f["start"], "end": f["end"], "programme": f["programme"]}
        ctx.update(
            f,
            weeks=reporting.weekly_bookings(self.request.user, **args),
            utilisation=reporting.facilitator_utilisation(self.request.user, **args),
            query=self.request.GET.urlencode(),
        )
        return ctx


class OfficeCsvView(OfficeView):
    def render_to_response(self, context, **response_kwargs):
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = 'attachment; filename="sparring-buchungen.csv"'
        response.write("\ufeff")  # Excel reads UTF-8 with a BOM
        writer = csv.writer(response, delimiter=";")
        writer.writerow(
            [
                _("Programm"),
                _("Woche ab"),
                _("Buchungen"),
                _("gebucht"),
                _("stattgefunden"),
                _("abgesagt"),
                _("kurzfristig abgesagt"),
                _("nicht erschienen"),
            ]
        )
        for row in context["weeks"]:
            writer.writerow(
                [
                    row["programme"],
                    row["week"].strftime("%d.%m.%Y"),
                    row["total"],
                    row["booked"],
                    row["held"],
                    row["cancelled"],
                    row["late"],
                    row["no_show"],
                ]
            )
        writer.writerow([])
        writer.writerow(
            [
                _("Sparring-Partner*in"),
                _("angeboten"),
                _("gebucht"),
                _("stattgefunden"),
                _("Auslastung in Prozent"),
            ]
        )
        for row in context["utilisation"]:
            writer.writerow(
                [
                    _safe(row["facilitator"]),
                    row["offered"],
                    row["booked"],
                    row["held"],
                    row["percent"],
                ]
            )
        return response


def _safe(value: str) -> str:
    """No formula injection into spreadsheets."""
    return "'" + value if value[:1] in ("=", "+", "-", "@") else value
