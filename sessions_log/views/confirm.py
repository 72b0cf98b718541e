"""„Stunden bestätigen“ (rule 10): the organisation confirms or disputes its facilitators'
entries; the office resolves a dispute. Entries of another organisation (or operator) are a
404, never a leak."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.generic import FormView, TemplateView

from portal.errors import RuleViolation
from portal.views.mixins import OfficeRequiredMixin, RoleRequiredMixin
from sessions_log.confirmation import MAX_REASON_LENGTH
from sessions_log.models import SessionEntry
from sessions_log.selectors import sessions_visible_to
from sessions_log.services import confirm_entries, dispute_entry, resolve_dispute
from sessions_log.views.common import BadRequestOnInvalidFormMixin

S = SessionEntry.Status


def _organisation_entries(user):
    if not user.organisation_id:
        return SessionEntry.objects.none()
    return SessionEntry.objects.filter(voucher__organisation_id=user.organisation_id)


class ConfirmHoursView(RoleRequiredMixin, TemplateView):
    """The applicant's list of entries awaiting confirmation; POST confirms the ticked ones."""

    allowed_roles = ("applicant",)
    template_name = "sessions_log/confirm_hours.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        entries = list(
            _organisation_entries(self.request.user)
            .filter(status__in=(S.PENDING, S.DISPUTED))
            .select_related("voucher__programme", "facilitator__user")
            .order_by("voucher__code", "date", "pk")
        )
        groups: dict[int, dict] = {}
        for entry in entries:
            group = groups.setdefault(
                entry.voucher_id, {"voucher": entry.voucher, "entries": [], "pending_minutes": 0}
            )
            group["entries"].append(entry)
            if entry.status == S.PENDING:
                group["pending_minutes"] += entry.minutes
        ctx.update(
            groups=list(groups.values()),
            pending=sum(1 for e in entries if e.status == S.PENDING),
        )
        return ctx

    def post(self, request, *args, **kwargs):
        try:
            ids = sorted({int(value) for value in request.POST.getlist("entries")})
        except ValueError:
            raise Http404 from None
        if not ids:
            messages.error(request, _("Bitte wählen Sie mindestens einen Eintrag aus."))
            return HttpResponseRedirect(reverse("sessions_log:confirm_hours"))
        entries = list(_organisation_entries(request.user).filter(pk__in=ids))
        if len(entries) != len(ids):
            raise Http404
        try:
            count = confirm_entries(entries, by=request.user)
        except RuleViolation:
            raise Http404 from None
        messages.success(
            request,
            ngettext("%(count)d Eintrag bestätigt.", "%(count)d Einträge bestätigt.", count)
            % {"count": count},
        )
        return HttpResponseRedirect(reverse("sessions_log:confirm_hours"))


class DisputeForm(forms.Form):
    reason = forms.CharField(
        label=gettext_lazy("Begründung"),
        help_text=gettext_lazy("Was stimmt an diesem Eintrag nicht? Das Programmbüro klärt es."),
        max_length=MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4, "class": "form-control"}),
    )


class DisputeEntryView(RoleRequiredMixin, BadRequestOnInvalidFormMixin, FormView):
    allowed_roles = ("applicant",)
    form_class = DisputeForm
    template_name = "sessions_log/dispute_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.role in self.allowed_roles:
            self.entry = get_object_or_404(
                _organisation_entries(request.user).select_related("voucher", "facilitator__user"),
                pk=kwargs["pk"],
            )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(entry=self.entry, **kwargs)

    def form_valid(self, form):
        try:
            dispute_entry(self.entry, by=self.request.user, reason=form.cleaned_data["reason"])
        except RuleViolation as exc:
            form.add_error(None, exc.message)
            return self.form_invalid(form)
        messages.success(
            self.request,
            _("Ihr Widerspruch ist eingegangen. Das Programmbüro klärt den Eintrag."),
        )
        return HttpResponseRedirect(reverse("sessions_log:confirm_hours"))


class ResolveForm(forms.Form):
    OUTCOMES = (
        ("keep", gettext_lazy("Eintrag unverändert übernehmen")),
        ("change", gettext_lazy("Dauer ändern")),
        ("remove", gettext_lazy("Eintrag entfernen")),
    )
    outcome = forms.ChoiceField(
        label=gettext_lazy("Entscheidung"), choices=OUTCOMES, widget=forms.RadioSelect
    )
    minutes = forms.IntegerField(
        label=gettext_lazy("Neue Dauer (Minuten)"),
        required=False,
        min_value=1,
        max_value=24 * 60,
        widget=forms.NumberInput(attrs={"class": "form-control"}),
    )
    note = forms.CharField(
        label=gettext_lazy("Vermerk"),
        required=False,
        max_length=MAX_REASON_LENGTH,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
    )

    def clean(self):
        data = super().clean()
        if data.get("outcome") == "change" and not data.get("minutes"):
            self.add_error("minutes", _("Bitte geben Sie die neue Dauer in Minuten an."))
        return data


class ResolveDisputeView(OfficeRequiredMixin, BadRequestOnInvalidFormMixin, FormView):
    form_class = ResolveForm
    template_name = "sessions_log/resolve_form.html"

    def dispatch(self, request, *args, **kwargs):
        if request.user.is_authenticated and request.user.role in self.allowed_roles:
            self.entry = get_object_or_404(
                sessions_visible_to(request.user).filter(status=S.DISPUTED), pk=kwargs["pk"]
            )
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(entry=self.entry, **kwargs)

    def form_valid(self, form):
        outcome = form.cleaned_data["outcome"]
        try:
            resolve_dispute(
                self.entry,
                by=self.request.user,
                minutes=form.cleaned_data["minutes"] if outcome == "change" else None,
                remove=outcome == "remove",
                note=form.cleaned_data["note"],
            )
        except RuleViolation as exc:
            form.add_error(None, exc.message)
            return self.form_invalid(form)
        messages.success(
            self.request, _("Der Widerspruch ist geklärt; beide Seiten sind informiert.")
        )
        return HttpResponseRedirect(self.entry.voucher.get_absolute_url())
