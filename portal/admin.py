"""Django admin for users, organisations, programmes, reference data and the audit trail.

State changes with rules behind them (approving organisations) go through the same
services the portal pages call; the audit trail is read-only."""

from __future__ import annotations

from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.contrib.auth.forms import UserChangeForm, UserCreationForm
from django.db.models import Count, Q
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from portal import services
from portal.admin_operators import OperatorScopedAdminMixin  # also registers OperatorAdmin
from portal.errors import RuleViolation
from portal.models import (
    AuditEntry,
    Cohort,
    FacilitatorProfile,
    Language,
    Method,
    Organisation,
    OutboundMail,
    Programme,
    ProgrammePeriod,
    Region,
    Topic,
    User,
)

admin.site.site_header = settings.PROGRAMME_OFFICE["name"]
admin.site.site_title = settings.PROGRAMME_OFFICE["name"]
admin.site.index_title = _("Verwaltung")


class PortalUserCreationForm(UserCreationForm):
    class Meta:
        model = User
        fields = ("email", "role")


class PortalUserChangeForm(UserChangeForm):
    class Meta:
        model = User
        fields = "__all__"


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    form = PortalUserChangeForm
    add_form = PortalUserCreationForm
    list_display = (
        "email",
        "first_name",
        "last_name",
        "role",
        "organisation",
        "is_active",
        "last_login",
    )
    list_filter = ("role", "is_active", "is_staff", "organisation__bundesland")
    search_fields = ("email", "first_name", "last_name", "organisation__name")
    ordering = ("last_name", "first_name", "email")
    list_select_related = ("organisation",)
    autocomplete_fields = ("organisation",)
    readonly_fields = ("last_login", "date_joined")
    filter_horizontal = ("groups", "user_permissions", "operators")
    fieldsets = (
        (None, {"fields": ("email", "password")}),
        (_("Person"), {"fields": ("first_name", "last_name", "phone", "position")}),
        (_("Rolle"), {"fields": ("role", "organisation", "operators")}),
        (
            _("Berechtigungen"),
            {"fields": ("is_active", "is_staff", "is_superuser", "groups", "user_permissions")},
        ),
        (_("Daten"), {"fields": ("last_login", "date_joined")}),
    )
    add_fieldsets = (
        (
            None,
            {
                "classes": ("wide",),
                "fields": ("email", "role", "organisation", "password1", "password2"),
            },
        ),
    )


@admin.register(Cohort)
class CohortAdmin(admin.ModelAdmin):
    list_display = ("name",)
    search_fields = ("name",)


class MemberInline(admin.TabularInline):
    model = User
    fields = ("email", "first_name", "last_name", "role", "is_active")
    readonly_fields = fields
    extra = 0
    can_delete = False
    show_change_link = True
    verbose_name = _("Mitglied")
    verbose_name_plural = _("Mitglieder")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = (
        "name",
        "kind",
        "bundesland",
        "structurally_weak",
        "rural",
        "flags_confirmed",
        "approved",
    )
    list_filter = (
        "approved",
        "kind",
        "bundesland",
        "structurally_weak",
        "rural",
        "flags_confirmed",
        "cohorts",
    )
    search_fields = ("name", "municipality", "district", "city", "postcode")
    filter_horizontal = ("cohorts",)
    readonly_fields = ("flags_confirmed_by", "flags_confirmed_at", "created_at")
    inlines = (MemberInline,)
    actions = ("approve_selected",)
    fieldsets = (
        (None, {"fields": ("name", "kind", "approved", "cohorts")}),
        (
            _("Anschrift"),
            {"fields": ("municipality", "district", "bundesland", "street", "postcode", "city")},
        ),
        (
            _("Region"),
            {
                "fields": (
                    "structurally_weak",
                    "rural",
                    "flags_justification",
                    "flags_confirmed",
                    "flags_confirmed_by",
                    "flags_confirmed_at",
                )
            },
        ),
        (_("Daten"), {"fields": ("created_at",)}),
    )

    @admin.action(description=_("Ausgewählte Organisationen freigeben"))
    def approve_selected(self, request, queryset):
        done = 0
        for organisation in queryset.filter(approved=False):
            try:
                services.approve_organisation(organisation, by=request.user)
            except RuleViolation as exc:
                self.message_user(request, f"{organisation}: {exc.message}", messages.ERROR)
            else:
                done += 1
        self.message_user(
            request,
            ngettext(
                "%(count)d Organisation freigegeben.",
                "%(count)d Organisationen freigegeben.",
                done,
            )
            % {"count": done},
            messages.SUCCESS,
        )


class ContingentThroughServiceMixin:
    """The lottery seed is drawn by the portal, never typed; a changed contingent goes through
    the allocation service (which offers added places to the next in rank and refuses to go
    below what is allocated) — registered by the vouchers app as a hook."""

    readonly_fields = ("lottery_seed",)

    def save_contingent(self, request, period, previous: int | None) -> None:
        from django.contrib import messages

        from portal.errors import RuleViolation
        from portal.hooks import change_contingent

        wanted, changer = period.contingent, change_contingent()
        if previous is None or previous == wanted or changer is None:
            period.save()
            return
        period.contingent = previous
        period.save()
        try:
            changer(period, by=request.user, contingent=wanted)
        except RuleViolation as exc:
            messages.error(request, exc.message)


class ProgrammePeriodInline(admin.TabularInline):
    model = ProgrammePeriod
    extra = 0
    readonly_fields = ("lottery_seed",)


class TopicInline(admin.TabularInline):
    model = Topic
    extra = 0
    fields = ("order", "name", "description", "is_free_text")


@admin.register(Programme)
class ProgrammeAdmin(OperatorScopedAdminMixin, admin.ModelAdmin):
    operator_path = "operator"
    list_display = (
        "name",
        "operator",
        "kind",
        "partner_choice",
        "cap_minutes",
        "cap_units",
        "cap_units_in_process",
        "active",
    )
    list_filter = ("operator", "kind", "active", "partner_choice")
    list_select_related = ("operator",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    filter_horizontal = ("eligible_cohorts",)
    inlines = (ProgrammePeriodInline, TopicInline)
    fieldsets = (
        (
            None,
            {
                "fields": (
                    "operator",
                    "name",
                    "slug",
                    "kind",
                    "code_prefix",
                    "active",
                    "description",
                    "target_group",
                )
            },
        ),
        (
            _("Regeln"),
            {
                "fields": (
                    "cap_minutes",
                    "unit_minutes",
                    "cap_units",
                    "cap_units_in_process",
                    "partner_choice",
                    "eligible_kinds",
                    "eligible_cohorts",
                    "allows_follow_up",
                    "voucher_validity_days",
                    "offer_ends",
                    "feedback_reminder_days",
                )
            },
        ),
        (
            _("Zugang und Ablauf"),
            {
                "fields": (
                    "entry_by_call",
                    "requires_council_decision",
                    "team_size",
                    "project_end",
                    "confirmation_days",
                    "auto_offer",
                    "offer_days",
                    "cancel_notice_hours",
                    "late_cancel_counts",
                    "signed_reminder_days",
                    "publish_allocation_log",
                )
            },
        ),
        (
            _("Förderhinweis"),
            {"fields": ("funding_notice", "funding_notice_short", "use_short_notice")},
        ),
        (_("Ansprechperson"), {"fields": ("contact_name", "contact_email", "contact_phone")}),
    )


@admin.register(ProgrammePeriod)
class ProgrammePeriodAdmin(
    ContingentThroughServiceMixin, OperatorScopedAdminMixin, admin.ModelAdmin
):
    list_display = ("programme", "name", "start", "end", "contingent", "issued")

    def save_model(self, request, obj, form, change):
        previous = form.initial.get("contingent") if change else None
        self.save_contingent(request, obj, previous)

    list_filter = ("programme",)
    search_fields = ("name", "programme__name")
    list_select_related = ("programme",)

    def get_queryset(self, request):
        # Same counting rule as the contingent: every voucher but the cancelled ones.
        return (
            super()
            .get_queryset(request)
            .annotate(_issued=Count("vouchers", filter=~Q(vouchers__status="cancelled")))
        )

    @admin.display(description=_("vergeben"), ordering="_issued")
    def issued(self, obj) -> int:
        return obj._issued


@admin.register(Topic)
class TopicAdmin(OperatorScopedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "programme", "order", "is_free_text")
    list_filter = ("programme",)
    search_fields = ("name",)
    list_select_related = ("programme",)


@admin.register(Language)
class LanguageAdmin(admin.ModelAdmin):
    list_display = ("name", "code")
    search_fields = ("name", "code")


@admin.register(Method)
class MethodAdmin(admin.ModelAdmin):
    list_display = ("name",)
    search_fields = ("name",)


@admin.register(Region)
class RegionAdmin(admin.ModelAdmin):
    list_display = ("__str__", "code")
    search_fields = ("code",)


@admin.register(FacilitatorProfile)
class FacilitatorProfileAdmin(admin.ModelAdmin):
    list_display = ("__str__", "user_email", "capacity", "open_cases", "active")
    list_filter = ("active", "programmes", "regions", "languages")
    search_fields = ("user__email", "user__first_name", "user__last_name", "bio")
    autocomplete_fields = ("user",)
    filter_horizontal = ("topics", "methods", "regions", "languages", "programmes")
    list_select_related = ("user",)

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .annotate(
                _open=Count(
                    "vouchers",
                    filter=Q(vouchers__status__in=["issued", "active", "closing_requested"]),
                )
            )
        )

    @admin.display(description=_("E-Mail-Adresse"), ordering="user__email")
    def user_email(self, obj) -> str:
        return obj.user.email

    @admin.display(description=_("offene Begleitungen"), ordering="_open")
    def open_cases(self, obj) -> int:
        return obj._open


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit trail is written by services, never edited."""

    list_display = (
        "created_at",
        "actor",
        "action",
        "target_type",
        "target_id",
        "from_state",
        "to_state",
    )
    list_filter = ("action", "target_type")
    search_fields = ("action", "actor__email", "reason", "=target_id")
    date_hierarchy = "created_at"
    list_select_related = ("actor", "target_type")

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(OutboundMail)
class OutboundMailAdmin(admin.ModelAdmin):
    """Read-only: the outbox is written by ``portal.outbox``; uncertain messages are resent
    from the office page ``/postausgang/``."""

    list_display = ("created_at", "key", "recipient", "status", "attempts", "sent_at")
    list_filter = ("status", "template")
    search_fields = ("key", "recipient")

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
