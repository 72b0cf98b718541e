"""Django admin for session entries.

Entries are logged through ``sessions_log.services.log_session`` (it enforces the 16-hour
and 12×60 caps under a row lock), so the admin cannot add entries or change the fields
that count against a cap; notes and participants stay editable."""

from __future__ import annotations

from django.contrib import admin

from portal.admin_operators import OperatorScopedAdminMixin
from sessions_log.models import ConfirmationDigest, SessionEntry


@admin.register(SessionEntry)
class SessionEntryAdmin(OperatorScopedAdminMixin, admin.ModelAdmin):
    operator_path = "voucher__programme__operator"
    list_display = (
        "date",
        "voucher",
        "facilitator",
        "activity",
        "format",
        "minutes",
        "units",
        "with_facilitator_in_process",
        "status",
    )
    list_filter = (
        "status",
        "activity",
        "format",
        "with_facilitator_in_process",
        "voucher__programme",
    )
    search_fields = (
        "voucher__code",
        "voucher__organisation__name",
        "facilitator__user__email",
        "notes",
    )
    date_hierarchy = "date"
    list_select_related = ("voucher", "facilitator__user")
    autocomplete_fields = ("voucher", "facilitator")
    readonly_fields = (
        "voucher",
        "facilitator",
        "minutes",
        "units",
        "with_facilitator_in_process",
        "created_by",
        "created_at",
        "updated_at",
        # Rule 10: states change only through the confirmation services (audited).
        "status",
        "confirmed_at",
        "confirmed_by",
        "deemed_confirmed",
        "disputed_at",
        "disputed_by",
        "dispute_reason",
        "resolved_at",
        "resolved_by",
        "resolution_note",
    )

    def has_add_permission(self, request):
        return False


@admin.register(ConfirmationDigest)
class ConfirmationDigestAdmin(admin.ModelAdmin):
    """The daily digests sent (one per organisation and day); read-only."""

    list_display = ("organisation", "day", "pending", "created_at")
    list_select_related = ("organisation",)
    date_hierarchy = "day"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
