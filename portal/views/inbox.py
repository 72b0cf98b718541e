"""The office's "Eingang": what happened in its operators' programmes that it should know of
(new Anträge, withdrawals, closings reported, offers declined), newest first, with what is
new since the last visit marked."""

from __future__ import annotations

from django.conf import settings
from django.core.paginator import Paginator
from django.db.models import prefetch_related_objects
from django.utils import timezone
from django.views.generic import TemplateView

from portal.audit import INBOX_ACTIONS, _office_url
from portal.models import AuditEntry, User
from portal.scoping import office_scope
from portal.views.mixins import OfficeRequiredMixin


def _prefetch_named(targets) -> None:
    """What the rows show of their targets (the organisation, the Antrag of a case or offer)
    in one query per kind, whichever upper-floor models the targets are."""
    by_model: dict = {}
    for target in targets:
        if target is not None:
            by_model.setdefault(type(target), []).append(target)
    for model, objects in by_model.items():
        names = {field.name for field in model._meta.get_fields()}
        lookups = [
            lookup
            for lookup, needed in (
                ("organisation", "organisation"),
                ("application__organisation", "application"),
            )
            if needed in names
        ]
        if lookups:
            prefetch_related_objects(objects, *lookups)


class InboxView(OfficeRequiredMixin, TemplateView):
    template_name = "portal/inbox.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        entries = (
            office_scope(AuditEntry.objects, user, path="operator")
            .filter(action__in=list(INBOX_ACTIONS), operator__isnull=False)
            .select_related("actor", "target_type", "operator")
            # One query per kind of target for the whole page, not one per row.
            .prefetch_related("target")
            .order_by("-created_at", "-pk")
        )
        page = Paginator(entries, settings.PAGINATE_BY).get_page(self.request.GET.get("seite"))
        _prefetch_named(entry.target for entry in page)
        seen = user.inbox_seen_at
        for entry in page:
            entry.label = str(INBOX_ACTIONS[entry.action])
            entry.is_new = seen is None or entry.created_at > seen
            target = entry.target
            entry.subject_name = str(target) if target is not None else ""
            entry.url = _office_url(target) if target is not None else ""
        ctx.update(page=page, seen=seen)
        if page.number == 1:
            User.objects.filter(pk=user.pk).update(inbox_seen_at=timezone.now())
        return ctx
