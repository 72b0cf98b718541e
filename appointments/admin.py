from django.contrib import admin
from django.db import models

from appointments.models import Appointment, CalendarSettings, FeedToken, Slot


@admin.register(Slot)
class SlotAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_display = ("starts_at", "facilitator", "programme", "format", "withdrawn_at")
    list_filter = ("programme", "format")
    list_select_related = ("facilitator__user", "programme")
    date_hierarchy = "starts_at"


@admin.register(Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    """Read-only: every change goes through the services (audit, caps, emails)."""

    list_display = ("starts_at", "organisation", "facilitator", "status", "counts")
    list_filter = ("status", "counts", "late")
    list_select_related = ("organisation", "facilitator__user")
    date_hierarchy = "starts_at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CalendarSettings)
class CalendarSettingsAdmin(admin.ModelAdmin):
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    list_select_related = ("facilitator__user",)


@admin.register(FeedToken)
class FeedTokenAdmin(admin.ModelAdmin):
    list_display = ("facilitator", "organisation", "created_at", "revoked_at")
    exclude = ("token",)
