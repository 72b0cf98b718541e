"""Django admin for applications, vouchers and feedback.

Statuses are read-only here: every transition has a guarded service (contingent, caps,
audit row, emails) and the portal pages call it. Vouchers are only ever issued by
``approve_application``, so the admin cannot add one past the contingent."""

from __future__ import annotations

from django.contrib import admin

from portal.admin_operators import OperatorScopedAdminMixin
from vouchers.models import (
    AllocationEvent,
    Application,
    FeedbackRequest,
    FeedbackResponse,
    Offer,
    Voucher,
)


@admin.register(Application)
class ApplicationAdmin(OperatorScopedAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "organisation", "programme", "status", "submitted_at", "decided_at")
    list_filter = ("status", "programme", "organisation__bundesland", "desired_format")
    search_fields = ("=id", "organisation__name", "contact_name", "contact_email", "challenge")
    date_hierarchy = "submitted_at"
    list_select_related = ("organisation", "programme")
    autocomplete_fields = ("organisation", "preferred_facilitator", "follow_up_of")
    raw_id_fields = ("created_by", "decided_by")
    filter_horizontal = ("topics",)
    readonly_fields = (
        "status",
        "submitted_at",
        "decided_at",
        "decided_by",
        "decision_reason",
        "created_by",
        "created_at",
        "updated_at",
    )


@admin.register(Voucher)
class VoucherAdmin(OperatorScopedAdminMixin, admin.ModelAdmin):
    list_display = (
        "code",
        "organisation",
        "programme",
        "period",
        "status",
        "valid_until",
        "feedback_status",
    )
    list_filter = ("status", "programme", "period", "feedback_status", "organisation__bundesland")
    search_fields = ("code", "organisation__name")
    date_hierarchy = "issued_at"
    list_select_related = ("organisation", "programme", "period")
    autocomplete_fields = ("organisation", "application", "facilitators")
    raw_id_fields = ("issued_by", "closed_by")
    readonly_fields = (
        "code",
        "status",
        "organisation",
        "programme",
        "period",
        "application",
        "cap_minutes",
        "cap_units",
        "cap_units_in_process",
        "issued_at",
        "issued_by",
        "activated_at",
        "closing_requested_at",
        "closed_at",
        "closed_by",
        "cancelled_at",
        "feedback_status",
        "feedback_enqueued_at",
    )

    def has_add_permission(self, request):
        return False


@admin.register(FeedbackRequest)
class FeedbackRequestAdmin(OperatorScopedAdminMixin, admin.ModelAdmin):
    operator_path = "voucher__programme__operator"
    """Read-only; the nonce of the signed link is never shown."""

    list_display = ("voucher", "recipient_email", "kind", "sent_at", "reminded_at", "answered_at")
    list_filter = ("kind", "voucher__programme")
    search_fields = ("voucher__code", "recipient_email", "recipient_name")
    list_select_related = ("voucher",)
    exclude = ("nonce",)

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields if f.name != "nonce"]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(FeedbackResponse)
class FeedbackResponseAdmin(OperatorScopedAdminMixin, admin.ModelAdmin):
    operator_path = "request__voucher__programme__operator"
    list_display = (
        "request",
        "satisfaction",
        "goals_reached",
        "structure_useful",
        "would_recommend",
        "created_at",
    )
    list_filter = ("would_recommend", "satisfaction", "request__voucher__programme")
    search_fields = ("request__voucher__code", "what_helped", "what_to_improve")
    list_select_related = ("request__voucher",)

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class _ReadOnlyAdmin(OperatorScopedAdminMixin, admin.ModelAdmin):
    """Offers and the allocation log change only through their services (rule 11)."""

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Offer)
class OfferAdmin(_ReadOnlyAdmin):
    operator_path = "period__programme__operator"
    list_display = ("__str__", "period", "status", "tier", "rule", "created_at", "expires_at")
    list_filter = ("status", "period__programme")
    search_fields = ("=application__id", "application__organisation__name")
    list_select_related = ("period__programme", "application")


@admin.register(AllocationEvent)
class AllocationEventAdmin(_ReadOnlyAdmin):
    operator_path = "period__programme__operator"
    list_display = ("created_at", "period", "kind", "application", "tier", "rule")
    list_filter = ("kind", "period__programme")
    list_select_related = ("period__programme", "application__organisation")
