"""Facilitator directory (Übersicht der Prozessbegleiter*innen / Sparring-Partner*innen),
profile pages and a rate-limited contact form that never exposes the facilitator's address."""

from __future__ import annotations

import logging

import django_filters
from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from portal.audit import log_action
from portal.fields import bounded_filter
from portal.hooks import open_cases_expression
from portal.models import FacilitatorProfile, Language, Method, Programme, Region, Topic
from portal.notifications import build_mail
from portal.views.mixins import RoleRequiredMixin

# Ids beyond the 64-bit range are refused as invalid choices (not a database error).
ModelChoiceFilter = bounded_filter(django_filters.ModelChoiceFilter)

logger = logging.getLogger(__name__)

ALL_ROLES = ("applicant", "office", "admin", "facilitator")
CONTACT_LIMIT = 5  # messages per user …
CONTACT_WINDOW = 60 * 60  # … per hour


def directory_queryset():
    """Active profiles with everything the cards show, in a constant number of queries."""
    return (
        FacilitatorProfile.objects.filter(active=True, user__is_active=True)
        .select_related("user")
        .prefetch_related("topics", "methods", "regions", "languages", "programmes")
        .annotate(open_cases=open_cases_expression())
        .order_by("user__last_name", "user__first_name", "pk")
    )


def _topic_choices():
    names = Topic.objects.order_by("name").values_list("name", flat=True).distinct()
    return [(n, n) for n in names]


class FacilitatorFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(method="search", label=gettext_lazy("Name oder Stichwort"))
    programme = ModelChoiceFilter(
        field_name="programmes",
        queryset=Programme.objects.order_by("name"),
        label=gettext_lazy("Programm"),
        method="by_programme",
    )
    topic = django_filters.ChoiceFilter(
        field_name="topics__name", choices=_topic_choices, label=gettext_lazy("Thema")
    )
    method = ModelChoiceFilter(
        field_name="methods", queryset=Method.objects.all(), label=gettext_lazy("Methode")
    )
    region = ModelChoiceFilter(
        field_name="regions", queryset=Region.objects.all(), label=gettext_lazy("Bundesland")
    )
    language = ModelChoiceFilter(
        field_name="languages", queryset=Language.objects.all(), label=gettext_lazy("Sprache")
    )

    class Meta:
        model = FacilitatorProfile
        fields = ["q", "programme", "topic", "method", "region", "language"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(user__first_name__icontains=value)
            | Q(user__last_name__icontains=value)
            | Q(bio__icontains=value)
        )

    def by_programme(self, queryset, name, value):
        # Profiles without any programme offer every programme.
        return queryset.filter(Q(programmes=value) | Q(programmes__isnull=True))

    def filter_queryset(self, queryset):
        # Several to-many filters may join the same profile twice.
        return super().filter_queryset(queryset).distinct()


class ContactForm(forms.Form):
    subject = forms.CharField(label=gettext_lazy("Betreff"), max_length=150)
    message = forms.CharField(
        label=gettext_lazy("Ihre Nachricht"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 6}),
        help_text=gettext_lazy(
            "Beschreiben Sie kurz Ihr Anliegen. Bitte keine sensiblen personenbezogenen Daten."
        ),
        error_messages={"required": gettext_lazy("Bitte schreiben Sie eine Nachricht.")},
    )


class FacilitatorDirectoryView(RoleRequiredMixin, View):
    allowed_roles = ALL_ROLES
    template_name = "portal/facilitator_directory.html"

    def get(self, request):
        directory_filter = FacilitatorFilter(request.GET, queryset=directory_queryset())
        page = Paginator(directory_filter.qs, settings.PAGINATE_BY).get_page(
            request.GET.get("seite")
        )
        params = request.GET.copy()
        params.pop("seite", None)
        return render(
            request,
            self.template_name,
            {"filter": directory_filter, "page": page, "query_string": params.urlencode()},
        )


def _rate_key(user) -> str:
    return f"facilitator-contact:{user.pk}"


def contact_allowed(user) -> bool:
    return cache.get(_rate_key(user), 0) < CONTACT_LIMIT


def count_contact(user) -> None:
    key = _rate_key(user)
    if cache.add(key, 1, CONTACT_WINDOW):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.add(key, 1, CONTACT_WINDOW)


def send_contact_mail(profile: FacilitatorProfile, sender, subject: str, message: str) -> None:
    """Email the facilitator after commit. The sender's address is the reply-to and shown in
    the text; the facilitator's address is never shown to the sender."""
    context = {"facilitator": profile, "sender": sender, "subject": subject, "message": message}
    mail = build_mail("facilitator_contact", [profile.user.email], context)
    mail.reply_to = [sender.email]

    def _send():
        try:
            mail.send()
        except Exception:
            # The message is logged as sent in the audit trail; a mail server outage must
            # not turn the page into a 500.
            logger.exception("contact email to facilitator %s could not be sent", profile.pk)

    transaction.on_commit(_send)


class FacilitatorDetailView(RoleRequiredMixin, View):
    allowed_roles = ALL_ROLES
    template_name = "portal/facilitator_detail.html"

    def get_profile(self):
        return get_object_or_404(directory_queryset(), pk=self.kwargs["pk"])

    def render(self, request, profile, form, status=200):
        can_contact = request.user.pk != profile.user_id
        return render(
            request,
            self.template_name,
            {
                "profile": profile,
                "form": form,
                "can_contact": can_contact,
                "rate_limited": not contact_allowed(request.user),
            },
            status=status,
        )

    def get(self, request, *args, **kwargs):
        return self.render(request, self.get_profile(), ContactForm())

    def post(self, request, *args, **kwargs):
        profile = self.get_profile()
        form = ContactForm(request.POST)
        if request.user.pk == profile.user_id:
            form.add_error(None, _("Sie können sich nicht selbst schreiben."))
            return self.render(request, profile, form, status=400)
        if not contact_allowed(request.user):
            form.is_valid()
            form.add_error(
                None,
                _(
                    "Sie haben in der letzten Stunde bereits %(limit)d Nachrichten gesendet. "
                    "Bitte versuchen Sie es später erneut."
                )
                % {"limit": CONTACT_LIMIT},
            )
            return self.render(request, profile, form, status=429)
        if not form.is_valid():
            return self.render(request, profile, form, status=400)
        with transaction.atomic():
            count_contact(request.user)
            log_action(request.user, "facilitator.contacted", profile)
            send_contact_mail(
                profile, request.user, form.cleaned_data["subject"], form.cleaned_data["message"]
            )
        messages.success(
            request,
            _("Ihre Nachricht ist versandt. %(name)s antwortet Ihnen per E-Mail.")
            % {"name": profile.name},
        )
        return redirect(profile)
