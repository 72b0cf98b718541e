"""Operators in the admin, and the one mixin that scopes every admin list to the operators an
office user works for (admins see all; anyone else nothing)."""

from __future__ import annotations

from django.contrib import admin
from django.db import models
from django.db.models import Count
from django.utils.translation import gettext_lazy as _

from portal.models import Operator, OperatorContact, Programme
from portal.scoping import office_scope, programmes_for


def _sees_everything(user) -> bool:
    return user.is_superuser or user.role == "admin"


class OperatorScopedAdminMixin:
    """Limits the changelist, the change pages and the programme/operator choices to the
    operators of an office user. ``operator_path`` leads from the model to its operator."""

    operator_path = "programme__operator"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if _sees_everything(request.user):
            return queryset
        return office_scope(queryset, request.user, path=self.operator_path)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not _sees_everything(request.user):
            if db_field.related_model is Programme:
                kwargs["queryset"] = programmes_for(request.user)
            elif db_field.related_model is Operator:
                kwargs["queryset"] = office_scope(Operator.objects.all(), request.user, path="pk")
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class OperatorContactInline(admin.TabularInline):
    model = OperatorContact
    extra = 1
    fields = ("order", "name", "role", "phone", "email")


@admin.register(Operator)
class OperatorAdmin(OperatorScopedAdminMixin, admin.ModelAdmin):
    operator_path = "pk"
    list_display = ("name", "office_name", "email", "programme_count")
    search_fields = ("name", "legal_name", "office_name")
    prepopulated_fields = {"slug": ("name",)}
    inlines = (OperatorContactInline,)
    # Web addresses typed without a scheme are https:// (Django 6's default, chosen now).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    fieldsets = (
        (None, {"fields": ("name", "slug", "legal_name", "office_name", "represented_by")}),
        (_("Anschrift"), {"fields": ("street", "postcode", "city", "website")}),
        (
            _("Kontakt und E-Mail"),
            {
                "fields": (
                    "phone",
                    "email",
                    "office_notification_email",
                    "email_sender_name",
                    "accessibility_contact",
                    "publish_allocation_names",
                )
            },
        ),
    )

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_programmes=Count("programmes"))

    @admin.display(description=_("Programme"), ordering="_programmes")
    def programme_count(self, obj) -> int:
        return obj._programmes

    def has_add_permission(self, request):
        return _sees_everything(request.user) and super().has_add_permission(request)

    def has_delete_permission(self, request, obj=None):
        return _sees_everything(request.user) and super().has_delete_permission(request, obj)


@admin.register(OperatorContact)
class OperatorContactAdmin(OperatorScopedAdminMixin, admin.ModelAdmin):
    """Contact persons are edited inline on their operator; this list finds them."""

    operator_path = "operator"
    list_display = ("name", "role", "operator", "email", "phone")
    list_filter = ("operator",)
    list_select_related = ("operator",)
    search_fields = ("name", "email")
