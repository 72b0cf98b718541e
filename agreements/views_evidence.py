"""Pages of the evidence a funder accepts (rule 13): the proof of use (draft, sign-off,
download), the organisation's closing statement and the audit folder download. Cases are
found only among those the user may see (else 404); services check role and operator."""

from __future__ import annotations

import tempfile

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.utils.functional import cached_property
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView

from agreements.models import ProofOfUse
from agreements.proof_of_use import MAX_STATEMENT_LENGTH
from agreements.services import (
    accept_proof_of_use,
    generate_proof_of_use,
    submit_closing_statement,
    write_audit_folder,
)
from agreements.views import _attachment
from portal.errors import RuleViolation
from portal.views.mixins import OfficeRequiredMixin, RoleRequiredMixin
from vouchers.selectors import vouchers_visible_to

# The ZIP stays in memory up to this size, then spills to a temporary file.
SPOOL_BYTES = 8 * 1024 * 1024
CHUNK = 64 * 1024


class CaseMixin:
    @cached_property
    def voucher(self):
        return get_object_or_404(
            vouchers_visible_to(self.request.user).select_related("programme", "organisation"),
            pk=self.kwargs["voucher_pk"],
        )


def _chunks(spool):
    """Read the spooled ZIP in chunks; closes it when done or when the response is dropped."""
    try:
        spool.seek(0)
        yield from iter(lambda: spool.read(CHUNK), b"")
    finally:
        spool.close()


class AuditFolderView(OfficeRequiredMixin, CaseMixin, View):
    """The case's audit folder as a ZIP download (the operator's office)."""

    def get(self, request, *args, **kwargs):
        voucher = self.voucher  # 404 before anything is opened
        spool = tempfile.SpooledTemporaryFile(max_size=SPOOL_BYTES)  # noqa: SIM115 - closed by _chunks
        try:
            write_audit_folder(voucher, by=request.user, fileobj=spool)
        except BaseException:
            spool.close()
            raise
        response = StreamingHttpResponse(_chunks(spool), content_type="application/zip")
        response["Content-Disposition"] = f'attachment; filename="Pruefakte-{voucher.code}.zip"'
        response["Cache-Control"] = "private, no-store"
        return response


class GenerateProofView(OfficeRequiredMixin, CaseMixin, View):
    def post(self, request, *args, **kwargs):
        try:
            proof = generate_proof_of_use(self.voucher, by=request.user)
        except RuleViolation as exc:
            messages.error(request, exc.message)
        else:
            messages.success(
                request,
                _("Der Verwendungsnachweis (Version %(number)d) ist erstellt.")
                % {"number": proof.number},
            )
        return HttpResponseRedirect(self.voucher.get_absolute_url())


def _proofs_visible_to(user):
    """Office: its operators' cases; applicants: the accepted proofs of their organisation."""
    qs = ProofOfUse.objects.select_related("voucher").filter(
        voucher__in=vouchers_visible_to(user).values("pk")
    )
    if user.role in ("office", "admin"):
        return qs
    if user.role == "applicant":
        return qs.filter(status=ProofOfUse.Status.ACCEPTED)
    return qs.none()


class AcceptProofView(OfficeRequiredMixin, View):
    def post(self, request, pk):
        proof = get_object_or_404(_proofs_visible_to(request.user), pk=pk)
        try:
            accept_proof_of_use(proof, by=request.user)
        except RuleViolation as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, _("Der Verwendungsnachweis ist freigegeben."))
        return HttpResponseRedirect(proof.voucher.get_absolute_url())


class ProofDownloadView(LoginRequiredMixin, View):
    def get(self, request, pk):
        proof = get_object_or_404(_proofs_visible_to(request.user), pk=pk)
        return _attachment(proof.pdf, proof.download_name)


class ClosingStatementForm(forms.Form):
    text = forms.CharField(
        label=gettext_lazy("Ihr Abschlussbericht"),
        help_text=gettext_lazy(
            "Was hat die Begleitung bewirkt, was geht weiter? Der Bericht wird Teil des "
            "Verwendungsnachweises."
        ),
        max_length=MAX_STATEMENT_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8, "class": "form-control"}),
    )


class ClosingStatementView(RoleRequiredMixin, CaseMixin, FormView):
    allowed_roles = ("applicant",)
    form_class = ClosingStatementForm
    template_name = "agreements/closing_statement_form.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(voucher=self.voucher, **kwargs)

    def form_valid(self, form):
        try:
            submit_closing_statement(
                self.voucher, by=self.request.user, text=form.cleaned_data["text"]
            )
        except RuleViolation as exc:
            form.add_error(None, exc.message)
            response = self.form_invalid(form)
            response.status_code = 400
            return response
        messages.success(self.request, _("Vielen Dank, Ihr Abschlussbericht ist gespeichert."))
        return HttpResponseRedirect(self.voucher.get_absolute_url())
