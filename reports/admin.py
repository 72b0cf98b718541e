from django.contrib import admin

from reports.models import ExportJob


@admin.register(ExportJob)
class ExportJobAdmin(admin.ModelAdmin):
    """Read-only: exports are written by the report task; files expire on their own."""

    list_display = ("created_at", "created_by", "report", "file_format", "status", "rows_written")
    list_filter = ("status", "report", "file_format")
    search_fields = ("created_by__email", "report")
    list_select_related = ("created_by",)

    def get_readonly_fields(self, request, obj=None):
        return [f.name for f in self.model._meta.fields]

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
