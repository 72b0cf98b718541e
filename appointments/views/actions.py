"""POST endpoints: each calls one service; a ``RuleViolation`` becomes a message on the
calendar page (``portal.middleware.RuleViolationMiddleware`` or the handler here)."""

from __future__ import annotations

import contextlib
import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.db.models import Q
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views import View
from django.views.decorators.http import require_POST

from appointments import services
from appointments.forms import CalendarSettingsForm, HeldForm, ReasonForm, SeriesForm, SlotForm
from appointments.models import Appointment, Slot
from appointments.services.slots import settings_of
from portal.errors import RuleViolation
from portal.models import Programme


def _back(request) -> HttpResponseRedirect:
    target = reverse("appointments:calendar")
    week = request.POST.get("woche", "")
    if week:
        with contextlib.suppress(ValueError):
            target += "?woche=" + dt.date.fromisoformat(week).isoformat()
    return HttpResponseRedirect(target)


def _run(request, call, done: str) -> HttpResponseRedirect:
    try:
        call()
    except RuleViolation as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, done)
    return _back(request)


def _form_errors(request, form) -> HttpResponseRedirect:
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        for error in errors:
            messages.error(request, f"{label}: {error}" if label else error)
    return _back(request)


def _involved(user):
    """Appointments ``user`` takes part in (other ids → 404)."""
    if user.role == "facilitator" and hasattr(user, "facilitator_profile"):
        return Appointment.objects.filter(facilitator=user.facilitator_profile)
    if user.role == "applicant" and user.organisation_id:
        return Appointment.objects.filter(organisation_id=user.organisation_id)
    return Appointment.objects.none()


def _visible_slots(user):
    if user.role == "applicant" and user.organisation_id:
        return Slot.objects.filter(
            Q(programme__vouchers__organisation_id=user.organisation_id),
            withdrawn_at__isnull=True,
        ).distinct()
    return Slot.objects.none()


@login_required
@require_POST
def book(request, pk):
    slot = get_object_or_404(_visible_slots(request.user), pk=pk)
    return _run(
        request,
        lambda: services.book(slot, by=request.user),
        _("Der Termin ist gebucht. Die Einladung kommt per E-Mail."),
    )


@login_required
@require_POST
def reschedule(request, pk):
    appointment = get_object_or_404(_involved(request.user), pk=pk)
    slot = get_object_or_404(
        _visible_slots(request.user),
        pk=request.POST.get("slot", "0") if request.POST.get("slot", "").isdigit() else 0,
    )
    return _run(
        request,
        lambda: services.reschedule(appointment, by=request.user, slot=slot),
        _("Der Termin ist verschoben."),
    )


@login_required
@require_POST
def cancel(request, pk):
    appointment = get_object_or_404(_involved(request.user), pk=pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return _form_errors(request, form)
    return _run(
        request,
        lambda: services.cancel_appointment(
            appointment, by=request.user, reason=form.cleaned_data["reason"]
        ),
        _("Der Termin ist abgesagt."),
    )


@login_required
@require_POST
def held(request, pk):
    appointment = get_object_or_404(_involved(request.user), pk=pk)
    form = HeldForm(request.POST)
    if not form.is_valid():
        return _form_errors(request, form)
    return _run(
        request,
        lambda: services.mark_held(appointment, by=request.user, notes=form.cleaned_data["notes"]),
        _("Der Termin ist als stattgefunden eingetragen; die Organisation bestätigt ihn."),
    )


@login_required
@require_POST
def no_show(request, pk):
    appointment = get_object_or_404(_involved(request.user), pk=pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return _form_errors(request, form)
    return _run(
        request,
        lambda: services.mark_no_show(
            appointment, by=request.user, reason=form.cleaned_data["reason"]
        ),
        _("Der Termin ist als „nicht erschienen“ eingetragen."),
    )


def _programmes():
    return Programme.objects.filter(kind=Programme.Kind.VIRTUELL)


@login_required
@require_POST
def publish(request):
    form = SlotForm(request.POST, programmes=_programmes())
    if not form.is_valid():
        return _form_errors(request, form)
    data = form.cleaned_data
    return _run(
        request,
        lambda: services.publish_slot(
            by=request.user,
            programme=data["programme"],
            starts_at=dt.datetime.combine(data["date"], data["time"]),  # Berlin wall time
            format=data["format"],
            video_link=data["video_link"] or None,
            phone_note=data["phone_note"] or None,
        ),
        _("Der Termin ist angeboten."),
    )


@login_required
@require_POST
def publish_series(request):
    form = SeriesForm(request.POST, programmes=_programmes())
    if not form.is_valid():
        return _form_errors(request, form)
    data = form.cleaned_data
    created = []
    response = _run(
        request,
        lambda: created.extend(
            services.publish_series(
                by=request.user,
                programme=data["programme"],
                first_day=data["first_day"],
                last_day=data["last_day"],
                weekdays=data["weekdays"],
                time=data["time"],
                exceptions=data["exceptions"],
                format=data["format"],
            )
        ),
        _("Die Terminserie ist angeboten."),
    )
    return response


@login_required
@require_POST
def withdraw(request, pk):
    if request.user.role != "facilitator" or not hasattr(request.user, "facilitator_profile"):
        return _back(request)
    slot = get_object_or_404(Slot, pk=pk, facilitator=request.user.facilitator_profile)
    return _run(
        request,
        lambda: services.withdraw_slot(slot, by=request.user),
        _("Der Termin wird nicht mehr angeboten."),
    )


@login_required
@require_POST
def calendar_settings(request):
    if request.user.role != "facilitator" or not hasattr(request.user, "facilitator_profile"):
        return _back(request)
    form = CalendarSettingsForm(
        request.POST, instance=settings_of(request.user.facilitator_profile)
    )
    if not form.is_valid():
        return _form_errors(request, form)
    form.save()
    messages.success(request, _("Ihre Kalendereinstellungen sind gespeichert."))
    return _back(request)


@login_required
@require_POST
def renew_feed(request):
    return _run(
        request,
        lambda: services.revoke_feed_token(by=request.user),
        _("Die bisherige Abo-Adresse ist widerrufen; nutzen Sie die neue."),
    )


class PostAction(View):
    """A POST-only endpoint around one of the functions above (login required, GET → 405),
    so that every endpoint of the project is a class-based view the URL matrix can check."""

    http_method_names = ["post"]
    action = None

    def post(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect_to_login(request.get_full_path())
        return self.action(request, *args, **kwargs)


def as_post_view(function):
    """``function`` (undecorated: ``__wrapped__`` of ``login_required(require_POST(…))``)."""
    inner = function
    while hasattr(inner, "__wrapped__"):
        inner = inner.__wrapped__
    return PostAction.as_view(action=inner)
