"""Admin: text blocks are editable (with a PDF preview of a sample agreement); generated
versions, signed copies and regeneration runs are read-only — no change or delete path."""

from __future__ import annotations

from django.contrib import admin, messages
from django.http import HttpResponse, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from agreements import services
from agreements.models import (
    AgreementTextBlock,
    AgreementVersion,
    ClosingStatement,
    ProofOfUse,
    RegenerationRun,
    SignedAgreement,
)
from agreements.pdf import AgreementPDFGenerator
from agreements.snapshot import build_sample_snapshot
from portal.admin_operators import OperatorScopedAdminMixin
from portal.errors import RuleViolation
from portal.models import Programme


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(AgreementTextBlock)
class AgreementTextBlockAdmin(OperatorScopedAdminMixin, admin.ModelAdmin):
    list_display = ("programme", "order", "key", "title", "preview_link")
    list_display_links = ("key", "title")
    list_filter = ("programme",)
    search_fields = ("key", "title", "body")
    ordering = ("programme", "order", "key")
    change_form_template = "admin/agreements/agreementtextblock/change_form.html"
    actions = ["regenerate_agreements"]

    @admin.display(description=gettext_lazy("Vorschau"))
    def preview_link(self, obj):
        url = reverse("admin:agreements_agreementtextblock_preview", args=[obj.programme_id])
        return format_html('<a href="{}">{}</a>', url, _("Vorschau (PDF)"))

    def get_urls(self):
        urls = [
            path(
                "vorschau/<int:programme_id>/",
                self.admin_site.admin_view(self.preview_view),
                name="agreements_agreementtextblock_preview",
            )
        ]
        return urls + super().get_urls()

    def preview_view(self, request, programme_id):
        """A sample agreement of the programme with the saved text blocks (no personal data)."""
        if not self.has_view_permission(request):
            return HttpResponseRedirect(reverse("admin:index"))
        programme = get_object_or_404(Programme, pk=programme_id)
        pdf = AgreementPDFGenerator(build_sample_snapshot(programme)).get_pdf()
        response = HttpResponse(pdf, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="Vorschau-{programme.slug}.pdf"'
        response["Cache-Control"] = "private, no-store"
        return response

    def response_change(self, request, obj):
        if "_preview" in request.POST:
            return HttpResponseRedirect(
                reverse("admin:agreements_agreementtextblock_preview", args=[obj.programme_id])
            )
        return super().response_change(request, obj)

    def response_add(self, request, obj, post_url_continue=None):
        if "_preview" in request.POST:
            return HttpResponseRedirect(
                reverse("admin:agreements_agreementtextblock_preview", args=[obj.programme_id])
            )
        return super().response_add(request, obj, post_url_continue)

    @admin.action(
        description=gettext_lazy("Noch nicht unterschriebene Vereinbarungen neu erzeugen")
    )
    def regenerate_agreements(self, request, queryset):
        programmes = Programme.objects.filter(pk__in=queryset.values("programme_id"))
        for programme in programmes:
            try:
                run = services.start_regeneration(programme, by=request.user)
            except RuleViolation as exc:
                self.message_user(request, exc.message, messages.ERROR)
                continue
            self.message_user(
                request,
                format_html(
                    '{} <a href="{}">{}</a>',
                    _("Neuerzeugung für „%(name)s“ gestartet.") % {"name": programme.name},
                    run.get_absolute_url(),
                    _("Fortschritt ansehen"),
                ),
                messages.SUCCESS,
            )


@admin.register(AgreementVersion)
class AgreementVersionAdmin(OperatorScopedAdminMixin, ReadOnlyAdmin):
    operator_path = "voucher__programme__operator"
    list_display = ("voucher", "number", "created_at", "created_by", "sha256", "download_link")
    list_select_related = ("voucher", "created_by")
    search_fields = ("voucher__code", "sha256")
    readonly_fields = ("voucher", "number", "sha256", "created_by", "created_at", "snapshot")
    exclude = ("pdf",)

    @admin.display(description=gettext_lazy("PDF"))
    def download_link(self, obj):
        return format_html('<a href="{}">{}</a>', obj.get_absolute_url(), _("herunterladen"))


@admin.register(SignedAgreement)
class SignedAgreementAdmin(OperatorScopedAdminMixin, ReadOnlyAdmin):
    operator_path = "voucher__programme__operator"
    list_display = ("voucher", "version", "status", "on_paper", "uploaded_at", "decided_at")
    list_filter = ("status", "on_paper")
    list_select_related = ("voucher", "version__voucher")
    search_fields = ("voucher__code",)
    exclude = ("file",)


@admin.register(RegenerationRun)
class RegenerationRunAdmin(OperatorScopedAdminMixin, ReadOnlyAdmin):
    list_display = ("programme", "status", "created_at", "created_by", "finished_at")
    list_select_related = ("programme", "created_by")


@admin.register(ProofOfUse)
class ProofOfUseAdmin(OperatorScopedAdminMixin, ReadOnlyAdmin):
    """Proofs of use are drafted and signed off on the case page; here read-only."""

    operator_path = "voucher__programme__operator"
    list_display = ("voucher", "number", "status", "created_at", "accepted_at", "sha256")
    list_filter = ("status",)
    list_select_related = ("voucher",)
    search_fields = ("voucher__code", "sha256")
    exclude = ("pdf", "snapshot")


@admin.register(ClosingStatement)
class ClosingStatementAdmin(OperatorScopedAdminMixin, ReadOnlyAdmin):
    operator_path = "voucher__programme__operator"
    list_display = ("voucher", "created_at", "created_by")
    list_select_related = ("voucher", "created_by")
    search_fields = ("voucher__code",)
