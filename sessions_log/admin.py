"""Django admin for session entries.

Entries are logged through ``sessions_log.services.log_session`` (it enforces the 16-hour
and 12×60 caps under a row lock), so the admin cannot add entries or change the fields
that count against a cap; notes and participants stay editable."""

from __future__ import annotations

from django.contrib import admin

from sessions_log.models import SessionEntry


@admin.register(SessionEntry)
class SessionEntryAdmin(admin.ModelAdmin):
    list_display = (
        "date",
        "voucher",
        "facilitator",
        "activity",
        "format",
        "minutes",
        "units",
        "with_facilitator_in_process",
    )
    list_filter = ("activity", "format", "with_facilitator_in_process", "voucher__programme")
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
    )

    def has_add_permission(self, request):
        return False
