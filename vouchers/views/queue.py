"""The programme office's ranked queue with the contingent, and the inline confirmation of
an organisation's region flags (the rank follows)."""

from __future__ import annotations

from collections import defaultdict

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views import View
from django.views.generic import TemplateView

from portal.models import Bundesland, Organisation, Programme, Topic
from portal.scoping import programmes_for
from portal.views.mixins import OfficeRequiredMixin
from vouchers import services
from vouchers.filters import QueueFilter
from vouchers.forms import RegionFlagsForm
from vouchers.models import Application
from vouchers.services.queue import open_applications


def selected_programme(request, programmes: list[Programme]) -> Programme | None:
    """The programme chosen in the queue's selector; the first active one by default.
    ``programmes`` are all programmes sorted by name (one query, also the selector's choices)."""
    value = request.GET.get("programme", "")
    if value.isascii() and value.isdigit():
        chosen = next((p for p in programmes if p.pk == int(value)), None)
        if chosen:
            return chosen
    return next((p for p in programmes if p.active), programmes[0] if programmes else None)


def operator_choice(request, programmes: list[Programme]):
    """``(programmes, operators, operator)``: the operators behind the user's programmes, the
    one chosen in the selector (``?operator=``; none: all) and its programmes. Office staff
    of several operators filter by operator; the programmes come scoped already."""
    operators = sorted({p.operator for p in programmes}, key=lambda o: o.name)
    value = request.GET.get("operator", "")
    operator = None
    if value.isascii() and value.isdigit():
        operator = next((o for o in operators if o.pk == int(value)), None)
    if operator is not None:
        programmes = [p for p in programmes if p.operator_id == operator.pk]
    return programmes, operators, operator


# The columns of a queue row (template and rank reason); anything else would load per row.
ROW_FIELDS = (
    "organisation__name",
    "organisation__bundesland",
    "organisation__structurally_weak",
    "organisation__rural",
    "organisation__flags_confirmed",
    "programme_id",
    "status",
    "submitted_at",
)


TOPIC_SEPARATOR = " · "


def url_for_pk(name: str):
    """``reverse(name, args=[pk])`` for the many rows of a page: the URL is reversed once
    (with a marker pk) and each row only fills in its pk."""
    marker = "987654321"
    prefix, _marker, suffix = reverse(name, args=[marker]).partition(marker)
    return lambda pk: f"{prefix}{pk}{suffix}"


def decorate_rows(rows: list[Application]) -> list[Application]:
    """What the table shows besides the ranked fields, for the rows of one page: the links,
    the labels of tier, waiting time, status and Bundesland (translated once per page, not
    per row through ``{% blocktranslate %}`` and ``get_FOO_display``) and the topics
    (one query for the page, "–" for none)."""
    topics = defaultdict(list)
    if rows:
        pairs = Topic.objects.filter(application__in=rows).values_list("application", "name")
        for application_id, name in pairs:  # in the topics' order
            topics[application_id].append(name)
    decide_url = url_for_pk("vouchers:application_decide")
    confirm_flags_url = url_for_pk("vouchers:confirm_flags")
    status_labels = {value: str(label) for value, label in Application.Status.choices}
    bundesland_labels = {value: str(label) for value, label in Bundesland.choices}
    tier_labels = {tier: _("Rang %(tier)s") % {"tier": tier} for tier in range(1, 5)}
    for application in rows:
        organisation = application.organisation
        days = application.waiting.days if application.waiting is not None else 0
        application.tier_label = tier_labels.get(application.tier)
        application.waiting_label = ngettext("%(days)s Tag", "%(days)s Tagen", days) % {
            "days": days
        }
        application.decide_url = decide_url(application.pk)
        application.confirm_flags_url = confirm_flags_url(organisation.pk)
        application.status_label = status_labels.get(application.status, application.status)
        application.bundesland_label = bundesland_labels.get(
            organisation.bundesland, organisation.bundesland
        )
        application.topics_text = TOPIC_SEPARATOR.join(topics[application.pk]) or "–"
    return rows


class CountedPaginator(Paginator):
    """Pages of the ranked rows, counted with a separate query (``count_queryset``): the
    plain open applications with the same filters, without the rank's ``EXISTS``, joins and
    sorting (an index-only count unless a filter needs more)."""

    def __init__(self, object_list, per_page, *, count_queryset, **kwargs):
        super().__init__(object_list, per_page, **kwargs)
        self.count_queryset = count_queryset

    @cached_property
    def count(self) -> int:
        return self.count_queryset.count()


class QueueView(OfficeRequiredMixin, TemplateView):
    """Open Anträge in rank order (computed in the database), filtered and paginated.
    A constant number of queries whatever the number of applications."""

    template_name = "vouchers/queue.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        programmes, operators, operator = operator_choice(
            self.request, list(programmes_for(self.request.user).order_by("name"))
        )
        ctx.update(operators=operators, operator=operator)
        programme = selected_programme(self.request, programmes)
        if programme is None:
            ctx.update(programme=None, page=None, filter=None)
            return ctx
        data = self.request.GET.copy()
        data["programme"] = str(programme.pk)
        # Only what the table shows: every open Antrag of the programme is ranked and sorted,
        # so narrow rows keep the sort cheap (the columns below are all the template reads).
        queryset = (
            services.ranked_queue(programme)
            .select_related(None)
            .select_related("organisation")
            .only(*ROW_FIELDS)
        )
        queue_filter = QueueFilter(data, queryset=queryset, programmes=programmes)
        paginator = CountedPaginator(
            queue_filter.qs,
            settings.PAGINATE_BY,
            count_queryset=queue_filter.filter_queryset(open_applications(programme)),
        )
        page = paginator.get_page(self.request.GET.get("seite"))
        page.object_list = decorate_rows(list(page.object_list))
        params = data.copy()
        params.pop("seite", None)
        ctx.update(
            programme=programme,
            filter=queue_filter,
            filter_fields=queue_filter.select_fields(),
            page=page,
            contingent=services.contingent_status(programme),
            query_string=params.urlencode(),
        )
        return ctx


class ConfirmFlagsView(OfficeRequiredMixin, View):
    """POST from the queue: confirm or correct an organisation's region flags."""

    def post(self, request, *args, **kwargs):
        organisation = get_object_or_404(Organisation, pk=kwargs["pk"])
        form = RegionFlagsForm(request.POST)
        if form.is_valid():
            services.confirm_region_flags(
                organisation,
                by=request.user,
                structurally_weak=form.cleaned_data["structurally_weak"],
                rural=form.cleaned_data["rural"],
            )
            messages.success(
                request,
                _("Die Regionsangaben von %(name)s sind bestätigt. Die Rangfolge ist aktualisiert.")
                % {"name": organisation.name},
            )
        target = request.POST.get("next", "")
        # Only a local path: anything else would be taken for a view name by redirect().
        if target.startswith("/") and url_has_allowed_host_and_scheme(
            target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
        ):
            return HttpResponseRedirect(target)
        return redirect("vouchers:queue")
