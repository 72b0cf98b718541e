"""The calendar pages: applicants book by week, facilitators offer and close their slots."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.generic import TemplateView

from appointments import selectors
from appointments.forms import CalendarSettingsForm, HeldForm, ReasonForm, SeriesForm, SlotForm
from appointments.models import Appointment
from appointments.services.feeds import feed_token_for
from appointments.services.slots import settings_of
from portal.models import FacilitatorProfile, Language, Programme, Topic

MAX_WEEKS_AHEAD = 52


def monday_of(request) -> dt.date:
    """The Monday of the week asked for (``?woche=YYYY-MM-DD``), default this week."""
    today = timezone.localdate()
    try:
        day = dt.date.fromisoformat(request.GET.get("woche", ""))
    except ValueError:
        day = today
    day = min(
        max(day, today - dt.timedelta(weeks=MAX_WEEKS_AHEAD)),
        today + dt.timedelta(weeks=MAX_WEEKS_AHEAD),
    )
    return day - dt.timedelta(days=day.weekday())


def _int_param(request, name: str) -> int | None:
    value = request.GET.get(name, "")
    return int(value) if value.isdigit() and len(value) < 10 else None


def _days(monday: dt.date, items, attribute: str = "starts_at") -> list[dict]:
    days = [{"date": monday + dt.timedelta(days=i), "items": []} for i in range(7)]
    for item in items:
        local_day = timezone.localtime(getattr(item, attribute)).date()
        days[(local_day - monday).days]["items"].append(item)
    return days


def _week_links(monday: dt.date, extra: dict) -> dict:
    def link(day):
        return "?" + urlencode({**extra, "woche": day.isoformat()})

    return {
        "previous_week": link(monday - dt.timedelta(days=7)),
        "next_week": link(monday + dt.timedelta(days=7)),
    }


class CalendarView(LoginRequiredMixin, TemplateView):
    """``/sparring/``: the booking calendar (applicants) or own slots (facilitators)."""

    def get_template_names(self):
        if self.request.user.role == "facilitator":
            return ["appointments/calendar_facilitator.html"]
        return ["appointments/calendar_applicant.html"]

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.role in ("office", "admin"):
            return redirect("appointments:office")
        user = request.user
        if (
            user.is_authenticated
            and user.role == "facilitator"
            and not hasattr(user, "facilitator_profile")
        ):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        monday = monday_of(self.request)
        ctx["monday"], ctx["sunday"] = monday, monday + dt.timedelta(days=6)
        if self.request.user.role == "facilitator":
            ctx.update(self._facilitator(monday))
        else:
            ctx.update(self._applicant(monday))
        return ctx

    def _applicant(self, monday) -> dict:
        user = self.request.user
        cases = list(selectors.active_sparring_cases(user))
        filters = {
            "facilitator": _int_param(self.request, "begleitung"),
            "topic": _int_param(self.request, "thema"),
            "language": _int_param(self.request, "sprache"),
        }
        start, end = selectors.week_bounds(monday)
        programmes = [case.programme for case in cases]
        slots = (
            list(selectors.free_slots(programmes, start=start, end=end, **filters)) if cases else []
        )
        rescheduling = None
        if (pk := _int_param(self.request, "verschieben")) is not None:
            rescheduling = get_object_or_404(
                selectors.appointments_of_organisation(user.organisation_id),
                pk=pk,
                status=Appointment.Status.BOOKED,
            )
        query = {
            k: v
            for k, v in (
                ("begleitung", filters["facilitator"]),
                ("thema", filters["topic"]),
                ("sprache", filters["language"]),
            )
            if v
        }
        if rescheduling:
            query["verschieben"] = rescheduling.pk
        own = (
            selectors.appointments_of_organisation(user.organisation_id)
            .filter(starts_at__gte=timezone.now() - dt.timedelta(days=30))
            .order_by("starts_at")[:50]
            if user.organisation_id
            else []
        )
        feed = feed_token_for(user) if cases else None
        return {
            "cases": [{"voucher": case, "left": selectors.units_left(case)} for case in cases],
            "days": _days(monday, slots),
            "slot_count": len(slots),
            "filters": filters,
            "facilitators": FacilitatorProfile.objects.filter(slots__programme__in=programmes)
            .select_related("user")
            .distinct()
            if cases
            else [],
            "topics": Topic.objects.filter(programme__in=programmes) if cases else [],
            "languages": Language.objects.all(),
            "own_appointments": own,
            "rescheduling": rescheduling,
            "feed_url": self._feed_url(feed),
            "reason_form": ReasonForm(),
            **_week_links(monday, query),
        }

    def _feed_url(self, feed) -> str | None:
        if feed is None:
            return None
        return self.request.build_absolute_uri(reverse("appointments:feed", args=[feed.token]))

    def _facilitator(self, monday) -> dict:
        profile = self.request.user.facilitator_profile
        start, end = selectors.week_bounds(monday)
        slots = list(selectors.slots_of_facilitator(profile, start=start, end=end))
        for slot in slots:
            active = [
                a for a in slot.appointments.all() if a.status != Appointment.Status.CANCELLED
            ]
            slot.booking = active[0] if active else None
        programmes = Programme.objects.filter(kind=Programme.Kind.VIRTUELL).order_by("name")
        to_close = (
            selectors.appointments_of_facilitator(profile)
            .filter(status=Appointment.Status.BOOKED, starts_at__lte=timezone.now())
            .order_by("starts_at")[:50]
        )
        conf = settings_of(profile)
        today = timezone.localdate()
        initial = {
            "format": conf.format,
            "video_link": conf.video_link,
            "phone_note": conf.phone_note,
        }
        return {
            "days": _days(monday, slots),
            "slot_count": len(slots),
            "to_close": to_close,
            "slot_form": SlotForm(
                programmes=programmes, initial={**initial, "date": today + dt.timedelta(days=1)}
            ),
            "series_form": SeriesForm(
                programmes=programmes,
                initial={
                    "format": conf.format,
                    "first_day": today + dt.timedelta(days=1),
                    "last_day": today + dt.timedelta(weeks=4),
                },
            ),
            "settings_form": CalendarSettingsForm(instance=conf),
            "held_form": HeldForm(),
            "reason_form": ReasonForm(),
            "feed_url": self._feed_url(feed_token_for(self.request.user)),
            **_week_links(monday, {}),
        }
