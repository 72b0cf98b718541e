"""The programme office's ranked queue with the contingent, and the inline confirmation of
an organisation's region flags (the rank follows)."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, redirect
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import TemplateView

from portal.models import Organisation, Programme
from portal.views.mixins import OfficeRequiredMixin
from vouchers import services
from vouchers.filters import QueueFilter
from vouchers.forms import RegionFlagsForm


def selected_programme(request) -> Programme | None:
    """The programme chosen in the queue's selector; the first active one by default."""
    programmes = Programme.objects.order_by("-active", "name")
    value = request.GET.get("programme", "")
    if value.isdigit():
        chosen = programmes.filter(pk=int(value)).first()
        if chosen:
            return chosen
    return programmes.first()


class QueueView(OfficeRequiredMixin, TemplateView):
    """Open Anträge in rank order (computed in the database), filtered and paginated.
    A constant number of queries whatever the number of applications."""

    template_name = "vouchers/queue.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        programme = selected_programme(self.request)
        if programme is None:
            ctx.update(programme=None, page=None, filter=None)
            return ctx
        data = self.request.GET.copy()
        data["programme"] = str(programme.pk)
        queryset = services.ranked_queue(programme).prefetch_related("topics")
        queue_filter = QueueFilter(data, queryset=queryset)
        page = Paginator(queue_filter.qs, settings.PAGINATE_BY).get_page(
            self.request.GET.get("seite")
        )
        params = data.copy()
        params.pop("seite", None)
        ctx.update(
            programme=programme,
            filter=queue_filter,
            page=page,
            contingent=services.contingent_status(programme),
            query_string=params.urlencode(),
            flags_form=RegionFlagsForm(),
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
