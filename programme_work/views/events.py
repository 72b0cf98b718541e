"""Meetings: the list, the office's form, invitations, the partners' answers, attendance."""

from __future__ import annotations

from django.contrib import messages
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from portal.errors import RuleViolation
from portal.scoping import programmes_for
from portal.views.mixins import OfficeRequiredMixin, RoleRequiredMixin
from programme_work.forms import EventForm, ResponseForm
from programme_work.models import Participation
from programme_work.selectors import events_visible_to
from programme_work.services import events as services

ROLES = ("applicant", "office", "admin", "facilitator")


class EventListView(RoleRequiredMixin, View):
    allowed_roles = ROLES

    def get(self, request):
        events = list(events_visible_to(request.user).order_by("-starts_at"))
        own = {}
        if request.user.role == "applicant":
            own = {
                p.event_id: p
                for p in Participation.objects.filter(
                    organisation_id=request.user.organisation_id, event__in=[e.pk for e in events]
                )
            }
        for event in events:
            event.own = own.get(event.pk)
        return render(
            request,
            "programme_work/event_list.html",
            {"events": events, "is_office": request.user.role in ("office", "admin")},
        )


class EventCreateView(OfficeRequiredMixin, View):
    template_name = "programme_work/event_form.html"

    def programmes(self):
        return programmes_for(self.request.user).filter(kind__in=("begleitprozess", "werkstatt"))

    def get(self, request):
        return render(
            request, self.template_name, {"form": EventForm(), "programmes": self.programmes()}
        )

    def post(self, request):
        form = EventForm(request.POST)
        programme = self.programmes().filter(pk=request.POST.get("programme") or 0).first()
        if programme is None:
            form.add_error(None, _("Bitte wählen Sie das Programm."))
        if form.is_valid() and programme is not None:
            try:
                event = services.create_event(programme, by=request.user, **form.cleaned_data)
            except RuleViolation as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Die Veranstaltung ist angelegt."))
                return redirect(event)
        return render(
            request, self.template_name, {"form": form, "programmes": self.programmes()}, status=400
        )


class EventDetailView(RoleRequiredMixin, View):
    allowed_roles = ROLES
    template_name = "programme_work/event_detail.html"

    def event(self):
        return get_object_or_404(events_visible_to(self.request.user), pk=self.kwargs["pk"])

    def render(self, event, form=None, status=200):
        user = self.request.user
        is_office = user.role in ("office", "admin")
        participations = (
            list(event.participations.select_related("organisation").order_by("organisation__name"))
            if is_office
            else []
        )
        own = None
        if user.role == "applicant":
            own = event.participations.filter(organisation_id=user.organisation_id).first()
        context = {
            "event": event,
            "is_office": is_office,
            "participations": participations,
            "registered": sum(1 for p in participations if p.response == "registered"),
            "own": own,
            "form": form
            or (
                ResponseForm(initial={"response": own.response or None, "persons": own.persons})
                if own
                else None
            ),
            "attendance_choices": Participation.Attendance.choices,
            "started": event.starts_at <= timezone.now(),
            "page_operator": event.programme.operator,
        }
        return render(self.request, self.template_name, context, status=status)

    def get(self, request, pk):
        return self.render(self.event())

    def post(self, request, pk):
        event = self.event()
        user = request.user
        action = request.POST.get("action")
        if user.role in ("office", "admin") and action in ("invite", "attendance"):
            try:
                if action == "invite":
                    count = services.invite_partners(event, by=user)
                    messages.success(
                        request,
                        _("%(count)s Einladungen werden versandt.") % {"count": count},
                    )
                else:
                    values = {
                        int(key.removeprefix("attendance-")): value
                        for key, value in request.POST.items()
                        if key.startswith("attendance-")
                        and key.removeprefix("attendance-").isdigit()
                    }
                    services.record_attendance(event, by=user, attendance=values)
                    messages.success(request, _("Die Anwesenheit ist gespeichert."))
            except RuleViolation as exc:
                messages.error(request, exc.message)
            return redirect(event)
        if user.role != "applicant":
            return self.render(event, status=400)
        form = ResponseForm(request.POST)
        if form.is_valid():
            try:
                services.respond(event, by=user, **form.cleaned_data)
            except RuleViolation as exc:
                form.add_error(None, exc.message)
            else:
                messages.success(request, _("Ihre Rückmeldung ist gespeichert."))
                return redirect(event)
        return self.render(event, form=form, status=400)
