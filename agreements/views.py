"""Agreement pages: per-voucher page, generate, download (permission-checked, attachment only),
signed upload, office decisions, paper signature, pending list, bulk regeneration."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.views import View
from django.views.generic import DetailView, FormView, ListView, TemplateView

from agreements import selectors, services
from agreements.forms import PaperSignedForm, RegenerateForm, RejectForm, SignedUploadForm
from agreements.models import SignedAgreement
from portal.scoping import programmes_for
from portal.views.mixins import OfficeRequiredMixin, RoleRequiredMixin, RuleViolationFormMixin
from vouchers.selectors import vouchers_visible_to


def _attachment(field_file, filename: str) -> FileResponse:
    """Serve a stored file as a download, never inline and never cached by proxies."""
    try:
        handle = field_file.open("rb")
    except (FileNotFoundError, ValueError) as exc:
        raise Http404 from exc
    response = FileResponse(
        handle, as_attachment=True, filename=filename, content_type="application/pdf"
    )
    response["Cache-Control"] = "private, no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


class VoucherMixin:
    """The voucher from the URL, found only among those the user may see (else 404)."""

    @cached_property
    def voucher(self):
        return get_object_or_404(
            vouchers_visible_to(self.request.user), pk=self.kwargs["voucher_pk"]
        )

    def detail_url(self) -> str:
        return reverse("agreements:detail", args=[self.voucher.pk])


class AgreementDetailView(LoginRequiredMixin, VoucherMixin, TemplateView):
    """The agreement page of one voucher (office, applicants of the organisation, assigned
    facilitators)."""

    template_name = "agreements/agreement_detail.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        voucher = self.voucher
        context = super().get_context_data(**kwargs)
        versions = selectors.versions_of(voucher)
        page = None
        current = None
        if user.is_office:
            page = Paginator(versions, settings.PAGINATE_BY).get_page(self.request.GET.get("page"))
            if page.number == 1 and page.object_list:
                current = page.object_list[0]
        if current is None:
            current = versions.first()
        signed = []
        if user.has_perm("agreements.view_signed_agreement", voucher):
            signed = list(selectors.signed_copies_of(voucher)[: settings.PAGINATE_BY])
        context.update(
            voucher=voucher,
            current_version=current,
            versions_page=page,
            signed_copies=signed,
            latest_signed=signed[0] if signed else None,
            pending=next((s for s in signed if s.is_pending), None),
            can_generate=user.has_perm("agreements.generate_agreement", voucher),
            can_upload=current is not None
            and user.has_perm("agreements.upload_signed_agreement", voucher),
            can_decide=user.has_perm("agreements.decide_signed_agreement", voucher),
        )
        return context


class GenerateView(OfficeRequiredMixin, VoucherMixin, View):
    """POST: office generates a new version (rendering runs in the request)."""

    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        version = services.generate_agreement(self.voucher, by=request.user)
        messages.success(
            request,
            _("Version %(number)s der Vereinbarung wurde erzeugt.") % {"number": version.number},
        )
        return redirect(self.detail_url())


class VersionDownloadView(LoginRequiredMixin, View):
    """A version's PDF, only for those who may see the voucher (else 404)."""

    def get(self, request, pk):
        version = get_object_or_404(selectors.versions_visible_to(request.user), pk=pk)
        return _attachment(version.pdf, version.download_name)


class SignedDownloadView(LoginRequiredMixin, View):
    def get(self, request, pk):
        signed = get_object_or_404(
            selectors.signed_agreements_visible_to(request.user).exclude(file=""), pk=pk
        )
        return _attachment(signed.file, signed.download_name)


class UploadSignedView(RoleRequiredMixin, VoucherMixin, RuleViolationFormMixin, FormView):
    """The applicant uploads the signed scan of the current version."""

    allowed_roles = ("applicant",)
    form_class = SignedUploadForm
    template_name = "agreements/upload_signed.html"

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context.update(
            voucher=self.voucher,
            current_version=services.latest_version(self.voucher),
            can_upload=self.request.user.has_perm(
                "agreements.upload_signed_agreement", self.voucher
            ),
        )
        return context

    def post(self, request, *args, **kwargs):
        self.voucher  # noqa: B018 - 404 for another organisation before the file is looked at
        return super().post(request, *args, **kwargs)

    def run_service(self, form):
        services.upload_signed_agreement(
            self.voucher, by=self.request.user, file=form.cleaned_data["file"]
        )
        messages.success(
            self.request,
            _(
                "Vielen Dank. Die unterschriebene Vereinbarung wurde hochgeladen; das Programmbüro "
                "prüft sie und bestätigt sie Ihnen per E-Mail."
            ),
        )
        return redirect(self.detail_url())


class SignedDecisionMixin(OfficeRequiredMixin):
    @cached_property
    def signed(self) -> SignedAgreement:
        return get_object_or_404(
            selectors.signed_agreements_visible_to(self.request.user).select_related(
                "voucher__organisation", "version"
            ),
            pk=self.kwargs["pk"],
        )

    def detail_url(self) -> str:
        return reverse("agreements:detail", args=[self.signed.voucher_id])


class ConfirmSignedView(SignedDecisionMixin, View):
    http_method_names = ["post"]

    def post(self, request, *args, **kwargs):
        services.confirm_signed_agreement(self.signed, by=request.user)
        messages.success(
            request,
            _("Die unterschriebene Vereinbarung ist bestätigt; der Gutschein ist jetzt aktiv."),
        )
        return redirect(self.detail_url())


class RejectSignedView(SignedDecisionMixin, RuleViolationFormMixin, FormView):
    form_class = RejectForm
    template_name = "agreements/reject_signed.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(signed=self.signed, voucher=self.signed.voucher, **kwargs)

    def run_service(self, form):
        services.reject_signed_agreement(
            self.signed, by=self.request.user, reason=form.cleaned_data["reason"]
        )
        messages.success(
            self.request,
            _(
                "Die hochgeladene Vereinbarung wurde zurückgewiesen; die Organisation ist informiert."
            ),
        )
        return redirect(self.detail_url())


class PaperSignedView(OfficeRequiredMixin, VoucherMixin, RuleViolationFormMixin, FormView):
    form_class = PaperSignedForm
    template_name = "agreements/paper_signed.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(
            voucher=self.voucher, current_version=services.latest_version(self.voucher), **kwargs
        )

    def run_service(self, form):
        services.mark_signed_on_paper(
            self.voucher, by=self.request.user, note=form.cleaned_data["note"]
        )
        messages.success(
            self.request,
            _("Die Unterschrift auf Papier ist vermerkt; der Gutschein ist jetzt aktiv."),
        )
        return redirect(self.detail_url())


class PendingListView(OfficeRequiredMixin, ListView):
    """Uploaded signed copies waiting for the office's decision."""

    template_name = "agreements/pending_list.html"
    context_object_name = "pending"

    def get_paginate_by(self, queryset):
        return settings.PAGINATE_BY

    def get_queryset(self):
        return selectors.pending_signed_agreements(self.request.user)


class RegenerateView(OfficeRequiredMixin, RuleViolationFormMixin, FormView):
    """Start a bulk regeneration for a programme (a Celery task; progress on the next page)."""

    form_class = RegenerateForm
    template_name = "agreements/regenerate.html"

    def get_context_data(self, **kwargs):
        programmes = (
            programmes_for(self.request.user)
            .annotate(waiting=Count("vouchers", filter=Q(vouchers__status="issued")))
            .order_by("name")
        )
        runs = selectors.regeneration_runs(self.request.user)[:10]
        return super().get_context_data(programmes=programmes, runs=runs, **kwargs)

    def run_service(self, form):
        run = services.start_regeneration(form.cleaned_data["programme"], by=self.request.user)
        return redirect(run.get_absolute_url())


class RegenerationDetailView(OfficeRequiredMixin, DetailView):
    """Progress of a bulk regeneration; the htmx partial polls while it runs."""

    context_object_name = "run"

    def get_queryset(self):
        return selectors.regeneration_runs(self.request.user)

    def get_template_names(self):
        if getattr(self.request, "htmx", False):
            return ["agreements/partials/regeneration_progress.html"]
        return ["agreements/regeneration_detail.html"]


class RegenerationResumeView(OfficeRequiredMixin, View):
    """POST: enqueue a run again that did not start (broker was down) or stopped."""

    http_method_names = ["post"]

    def post(self, request, pk):
        run = get_object_or_404(selectors.regeneration_runs(request.user), pk=pk)
        if run.is_finished:
            messages.info(request, _("Diese Neuerzeugung ist bereits abgeschlossen."))
        elif services.enqueue_regeneration(run.pk):
            messages.success(request, _("Die Neuerzeugung wurde erneut gestartet."))
        else:
            messages.error(
                request,
                _("Die Neuerzeugung konnte nicht gestartet werden. Bitte versuchen Sie es später."),
            )
        return redirect(run.get_absolute_url())
