"""Exports of the report lists (same filters as the list) and large-export jobs."""

from __future__ import annotations

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.views.generic import DetailView, View

from portal.views.mixins import OfficeRequiredMixin
from reports import exports
from reports.jobs import jobs_visible_to, params_to_querydict, start_export_job
from reports.models import ExportJob
from reports.registry import REPORTS, filtered_queryset

FORMATS = ("csv", "xlsx")


class ExportView(OfficeRequiredMixin, View):
    """Small exports stream at once; above ``REPORTS_EXPORT_ASYNC_THRESHOLD`` rows a job is
    started and the user is sent to its progress page."""

    def get(self, request, report, file_format):
        spec = REPORTS.get(report)
        if spec is None or file_format not in FORMATS:
            raise Http404
        _, qs = filtered_queryset(spec, request.user, request.GET)
        total = qs.count()
        if total > settings.REPORTS_EXPORT_ASYNC_THRESHOLD:
            job = start_export_job(
                by=request.user,
                report_key=spec.key,
                file_format=file_format,
                params=request.GET,
                total=total,
            )
            return redirect(job.get_absolute_url())
        if file_format == "xlsx":
            return exports.xlsx_response(spec, qs)
        delimiter = exports.SEPARATORS.get(request.GET.get("sep", ";"), ";")
        return exports.csv_response(spec, qs, delimiter=delimiter)


class ExportJobView(OfficeRequiredMixin, DetailView):
    """Progress page; the progress box polls ``export_job_status`` with htmx."""

    template_name = "reports/export_job.html"
    context_object_name = "job"
    slug_field = "uuid"
    slug_url_kwarg = "uuid"

    def get_queryset(self):
        return jobs_visible_to(self.request.user)

    def get_template_names(self):
        if self.request.htmx:
            return ["reports/partials/export_job_status.html"]
        return [self.template_name]

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["report"] = REPORTS.get(self.object.report)
        ctx["keep_days"] = settings.REPORTS_EXPORT_KEEP_DAYS
        ctx["job_query"] = params_to_querydict(self.object.params).urlencode()
        return ctx


class ExportDownloadView(OfficeRequiredMixin, View):
    """Only the person who asked for the export (or an admin) may download it."""

    def get(self, request, uuid):
        job = get_object_or_404(jobs_visible_to(request.user), uuid=uuid)
        expired = job.expires_at is not None and job.expires_at <= timezone.now()
        if job.status != ExportJob.Status.DONE or not job.file or expired:
            raise Http404("Dieser Export ist nicht (mehr) verfügbar.")
        content_type = (
            exports.XLSX_CONTENT_TYPE if job.file_format == "xlsx" else exports.CSV_CONTENT_TYPE
        )
        return FileResponse(
            job.file.open("rb"),
            as_attachment=True,
            filename=job.file.name.rsplit("/", 1)[-1],
            content_type=content_type,
        )
