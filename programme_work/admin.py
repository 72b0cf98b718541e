"""Admin: plan templates per programme (edited as data), meetings; cases' plans read-only
in lists (changes go through the team's pages, which audit them)."""

from django.contrib import admin
from django.db import models

from programme_work.models import Event, PlanTemplate, TemplateMilestone


class TemplateMilestoneInline(admin.TabularInline):
    model = TemplateMilestone
    extra = 0
    fields = ["position", "section", "title", "description"]


@admin.register(PlanTemplate)
class PlanTemplateAdmin(admin.ModelAdmin):
    list_display = ["name", "programme", "is_default", "position"]
    list_filter = ["programme"]
    inlines = [TemplateMilestoneInline]


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["title", "programme", "kind", "starts_at", "mandatory", "cancelled"]
    list_filter = ["programme", "kind", "mandatory", "cancelled"]
    readonly_fields = ["invited_at", "created_by"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
