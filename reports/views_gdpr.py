"""Data protection tools for admins: find a person, export their data, anonymise them."""

from __future__ import annotations

import json

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.generic import TemplateView, View

from portal.audit import log_action
from portal.models import User
from reports import gdpr
from reports.views import ReportNavMixin


class AdminRequiredMixin(AccessMixin):
    """Admins only (anonymous → login, everybody else → 403)."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not request.user.is_portal_admin:
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class PersonSearchForm(forms.Form):
    q = forms.CharField(
        label=gettext_lazy("E-Mail-Adresse oder Name"),
        max_length=200,
        help_text=gettext_lazy("Mindestens drei Zeichen."),
        min_length=3,
        widget=forms.TextInput(attrs={"class": "form-control", "autocomplete": "off"}),
    )


class GdprView(AdminRequiredMixin, ReportNavMixin, TemplateView):
    template_name = "reports/gdpr.html"
    max_results = 25

    def get(self, request, *args, **kwargs):
        form = PersonSearchForm(request.GET or None)
        people = []
        if form.is_valid():
            q = form.cleaned_data["q"].strip()
            people = list(
                User.objects.filter(
                    Q(email__icontains=q) | Q(first_name__icontains=q) | Q(last_name__icontains=q)
                )
                .select_related("organisation")
                .order_by("last_name", "first_name", "email")[: self.max_results]
            )
        status = 400 if form.is_bound and not form.is_valid() else 200
        return self.render_to_response(
            self.get_context_data(
                form=form,
                people=people,
                searched=form.is_bound,
                retention_days=settings.RETENTION_DAYS_AFTER_CLOSE,
            ),
            status=status,
        )


class GdprExportView(AdminRequiredMixin, View):
    def get(self, request, pk):
        person = get_object_or_404(User, pk=pk)
        data = gdpr.export_person_data(person)
        log_action(request.user, "person.data_exported", person, data={"user_id": person.pk})
        response = HttpResponse(
            json.dumps(data, cls=DjangoJSONEncoder, ensure_ascii=False, indent=2),
            content_type="application/json; charset=utf-8",
        )
        response["Content-Disposition"] = f'attachment; filename="personendaten-{person.pk}.json"'
        return response


class GdprAnonymiseView(AdminRequiredMixin, TemplateView):
    """GET shows what will happen; POST (with the confirmation box ticked) anonymises."""

    template_name = "reports/gdpr_anonymise.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["person"] = get_object_or_404(
            User.objects.select_related("organisation"), pk=self.kwargs["pk"]
        )
        ctx["already"] = gdpr.is_anonymised(ctx["person"])
        return ctx

    def post(self, request, pk):
        person = get_object_or_404(User, pk=pk)
        if person.pk == request.user.pk:
            messages.error(request, _("Sie können Ihr eigenes Konto hier nicht anonymisieren."))
            return redirect(reverse("reports:gdpr_anonymise", args=[pk]))
        if request.POST.get("confirm") != "yes":
            ctx = self.get_context_data(pk=pk)
            ctx["error"] = _("Bitte bestätigen Sie, dass die Daten unwiderruflich gelöscht werden.")
            return self.render_to_response(ctx, status=400)
        gdpr.anonymise_person(person, by=request.user)
        messages.success(
            request,
            _("Die Kontaktdaten wurden gelöscht. Zahlen, Stunden und Rangstufen bleiben erhalten."),
        )
        return redirect(reverse("reports:gdpr"))
