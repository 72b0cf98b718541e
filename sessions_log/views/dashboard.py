"""The facilitator's dashboard: own open cases with what is left and what comes next, and
the closed ones."""

from __future__ import annotations

import functools

from django.conf import settings
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import TemplateView

from portal.views.mixins import RoleRequiredMixin
from sessions_log import dashboard
from sessions_log.durations import format_duration
from sessions_log.templatetags.sessions_log_tags import sentence
from sessions_log.views.common import LOGGING_ROLES, V
from vouchers.models import Voucher


def next_step(voucher: Voucher, usage) -> str:
    """What happens next on a case, in words (shown on the dashboard)."""
    return _next_step(voucher.status, usage) or voucher.get_status_display()


def _next_step(status: str, usage) -> str:
    if status == V.ISSUED:
        return _("Die Vereinbarung wird unterschrieben. Danach können Sie Sitzungen eintragen.")
    if status == V.ACTIVE:
        if usage.exhausted:
            return _("Das Kontingent ist ausgeschöpft. Bitte beantragen Sie den Abschluss.")
        if usage.is_virtual:
            return _("Sparring-Einheiten eintragen; zum Ende den Abschluss beantragen.")
        return _("Sitzungen eintragen; zum Ende den Abschluss beantragen.")
    if status == V.CLOSING_REQUESTED:
        return _("Das Programmbüro prüft Ihren Abschlussbericht.")
    if status == V.CLOSED:
        return _("Abgeschlossen. Die Organisation erhält den Feedbackbogen.")
    return ""


_PK_MARKER = 987654321


def _pk_url(name: str):
    """``reverse(name, args=[pk])`` for a list of rows: reversed once, then filled in
    (``reverse()`` per link was a tenth of the dashboard's time)."""
    prefix, _marker, suffix = reverse(name, args=[_PK_MARKER]).partition(str(_PK_MARKER))
    return lambda pk: f"{prefix}{pk}{suffix}"


class DashboardView(RoleRequiredMixin, TemplateView):
    """Facilitator: own open cases with cap, used, remaining, end date, next step; closed
    cases below. Office staff land on the list of running vouchers instead.

    An overview: the ``OPEN_SHOWN`` open cases that end soonest and the ``CLOSED_SHOWN``
    latest closed ones, each list with a link to all of it, a page at a time (``?seite=``,
    ``?seite_abgeschlossen=``).

    Built for throughput (issue 10): three reads in plain SQL (``sessions_log.dashboard``:
    the open cases, the closed ones shown, the sessions' totals of the cases shown) — five
    queries with the session's and the user's, whatever the number of cases and sessions;
    links, labels and sentences are made once per request, not once per row."""

    allowed_roles = LOGGING_ROLES
    template_name = "sessions_log/dashboard.html"
    OPEN_SHOWN = 10  # cards with their cap bars: what the page spends most time on
    CLOSED_SHOWN = 10

    def get(self, request, *args, **kwargs):
        if request.user.role in ("office", "admin"):
            return redirect("sessions_log:office_list")
        return super().get(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user, params = self.request.user, self.request.GET
        open_cases = dashboard.open_cases(user)
        open_page = closed_page = None
        if "seite" in params:  # the whole list, a page at a time
            open_page = Paginator(open_cases, settings.PAGINATE_BY).get_page(params["seite"])
            open_shown = open_page.object_list
        else:
            open_shown = open_cases[: self.OPEN_SHOWN]
        closed_more = False
        if "seite_abgeschlossen" in params:
            closed_page = self._closed_page(params["seite_abgeschlossen"])
            closed_shown = closed_page.object_list
        else:  # one more than shown: are there more?
            closed_shown = dashboard.latest_closed_cases(user, self.CLOSED_SHOWN + 1)
            closed_more = len(closed_shown) > self.CLOSED_SHOWN
            closed_shown = closed_shown[: self.CLOSED_SHOWN]
        per_voucher, per_organisation = dashboard.session_totals(
            [case.pk for case in (*open_shown, *closed_shown)],
            {case.organisation_id for case in open_shown if case.is_virtual},
        )
        self.status_labels = {value: str(label) for value, label in V.choices}
        self.duration = functools.cache(format_duration)  # the same few durations recur
        self.case_url = _pk_url("vouchers:case_detail")
        ctx.update(
            open_page=open_page,
            open_rows=self._open_rows(
                open_shown,
                per_voucher,
                per_organisation,
                dashboard.in_process_organisations(open_cases),
            ),
            open_total=len(open_cases),
            open_more=open_page is None and len(open_cases) > self.OPEN_SHOWN,
            closed_page=closed_page,
            closed_rows=self._closed_rows(closed_shown, per_voucher),
            closed_more=closed_more,
        )
        return ctx

    def _closed_page(self, number):
        """The closed cases' page ``number`` as ``Paginator.get_page`` gives it (not a number:
        the first; past the end or below 1: the last), counted by the page's own query."""
        user, per_page = self.request.user, settings.PAGINATE_BY
        try:
            number = int(number or 1)
        except ValueError:
            number = 1
        cases, total = [], None
        if number > 0:
            cases, total = dashboard.closed_cases_page(
                user, limit=per_page, offset=(number - 1) * per_page
            )
        paginator = Paginator(cases, per_page)
        if total is None and number != 1:  # past the end: the last page
            paginator.count = dashboard.closed_cases_count(user)
            number = paginator.num_pages
            cases, _total = dashboard.closed_cases_page(
                user, limit=per_page, offset=(number - 1) * per_page
            )
        else:
            paginator.count = total or 0  # known from the page's query: no COUNT query
        page = paginator.page(number)
        page.object_list = cases
        return page

    def _open_rows(self, cases, per_voucher, per_organisation, in_process) -> list[dict]:
        log_url = _pk_url("sessions_log:session_add")
        closing_url = _pk_url("sessions_log:request_closing")
        sessions_url = _pk_url("sessions_log:voucher_sessions")
        scope_virtual = _(
            "%(cap)s Sparring-Einheiten je Organisation, davon höchstens %(in_process)s "
            "mit Prozessbegleiter*innen im Prozess"
        )
        next_steps = {}
        rows = []
        for case in cases:
            usage = dashboard.usage_of_case(case, per_voucher, per_organisation, in_process)
            step_key = (case.status, usage.exhausted, usage.is_virtual)
            if step_key not in next_steps:
                next_steps[step_key] = (
                    _next_step(case.status, usage) or self.status_labels[case.status]
                )
            active = case.status == V.ACTIVE
            rows.append(
                {
                    "url": self.case_url(case.pk),
                    "organisation": case.organisation_name,
                    "programme": case.programme_name,
                    "code": case.code,
                    "status": self.status_labels[case.status],
                    "scope": (
                        sentence(
                            scope_virtual, cap=usage.cap_units, in_process=usage.cap_in_process
                        )
                        if usage.is_virtual
                        else self.duration(usage.cap_minutes)
                    ),
                    "valid_until": case.valid_until,
                    "next_step": next_steps[step_key],
                    "usage": usage,
                    "active": active,
                    "can_log": active and not usage.exhausted,
                    "log_url": log_url(case.pk) if active else "",
                    "closing_url": closing_url(case.pk) if active else "",
                    "sessions_url": sessions_url(case.pk) if active else "",
                }
            )
        return rows

    def _closed_rows(self, cases, per_voucher) -> list[dict]:
        units_text = _("%(units)s Einheiten")
        rows = []
        for case in cases:
            minutes, units = per_voucher.get(case.pk, (0, 0))
            rows.append(
                {
                    "url": self.case_url(case.pk),
                    "organisation": case.organisation_name,
                    "programme": case.programme_name,
                    "status": self.status_labels[case.status],
                    "used": (
                        sentence(units_text, units=units)
                        if case.is_virtual
                        else self.duration(minutes)
                    ),
                }
            )
        return rows
