"""Forms of the Antrag, the decision and the queue. Business rules stay in the services; the
forms check what a person can fix in the form itself (required fields, dates)."""

from __future__ import annotations

from django import forms
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext_lazy as _

from portal.fields import BoundedModelChoiceField, BoundedModelMultipleChoiceField
from portal.models import FacilitatorProfile, Language, Programme
from portal.required import mark_required
from vouchers.models import Application

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


class FacilitatorChoiceField(BoundedModelChoiceField):
    def label_from_instance(self, obj):
        return obj.name


class FacilitatorMultipleChoiceField(BoundedModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return obj.name


def facilitators_for(programme: Programme):
    """Active facilitators offering ``programme`` (or not restricted to any programme)."""
    through = FacilitatorProfile.programmes.through
    return (
        FacilitatorProfile.objects.filter(active=True, user__is_active=True)
        .filter(
            Exists(
                through.objects.filter(facilitatorprofile_id=OuterRef("pk"), programme=programme)
            )
            | ~Exists(through.objects.filter(facilitatorprofile_id=OuterRef("pk")))
        )
        .select_related("user")
        .order_by("user__last_name", "user__first_name")
    )


class ApplicationForm(forms.ModelForm):
    """The Antrag. ``submitting=True`` (button "Antrag absenden") asks for everything the
    office needs; saving a draft accepts an incomplete form."""

    structurally_weak = forms.BooleanField(
        label=_("Unsere Organisation liegt in einer strukturschwachen Region."), required=False
    )
    rural = forms.BooleanField(
        label=_("Unsere Organisation liegt in einer ländlichen Region."), required=False
    )
    flags_justification = forms.CharField(
        label=_("Kurze Begründung der Regionsangaben"),
        help_text=_(
            "Zum Beispiel: Einwohnerzahl, Lage, Förderkulisse. Das Programmbüro prüft Ihre Angaben."
        ),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    class Meta:
        model = Application
        field_classes = {
            "topics": BoundedModelMultipleChoiceField,
            "preferred_language": BoundedModelChoiceField,
        }
        fields = [
            "topics",
            "topics_other",
            "challenge",
            "goals",
            "desired_start",
            "desired_end",
            "desired_format",
            "preferred_facilitator",
            "preferred_language",
            "contact_name",
            "contact_email",
            "contact_phone",
            "consent",
        ]
        labels = {
            "topics": _("Themen der Begleitung"),
            "topics_other": _("Spezifische Themenfelder"),
            "challenge": _("Vor welcher Herausforderung stehen Sie aktuell?"),
            "goals": _("Was möchten Sie mit der Begleitung erreichen?"),
            "desired_start": _("Gewünschter Beginn"),
            "desired_end": _("Gewünschtes Ende"),
            "desired_format": _("Gewünschtes Format"),
            "preferred_facilitator": _("Wunsch-Prozessbegleiter*in"),
            "consent": _(
                "Ich habe den Datenschutzhinweis gelesen und stimme der Verarbeitung meiner "
                "Angaben für die Bearbeitung des Antrags zu."
            ),
        }
        help_texts = {
            "topics": _("Wählen Sie ein oder mehrere Themen."),
            "topics_other": _(
                "Zum Beispiel: intergenerationales Zusammenarbeiten, Beteiligung von Jugendlichen, "
                "Digitalisierung."
            ),
            "challenge": _("Beschreiben Sie kurz die Ausgangslage in Ihrem Netzwerk."),
            "desired_start": _("Zum Beispiel 15.03.2027"),
        }
        widgets = {
            "topics": forms.CheckboxSelectMultiple,
            "challenge": forms.Textarea(attrs={"rows": 5}),
            "goals": forms.Textarea(attrs={"rows": 4}),
            "desired_start": DATE_WIDGET,
            "desired_end": DATE_WIDGET,
            "desired_format": forms.RadioSelect,
        }

    def __init__(self, *args, programme: Programme, organisation, submitting=False, **kwargs):
        super().__init__(*args, **kwargs)
        self.programme = programme
        self.organisation = organisation
        self.submitting = submitting
        self.fields["topics"].queryset = programme.topics.order_by("order", "name")
        self.fields["preferred_facilitator"] = FacilitatorChoiceField(
            queryset=facilitators_for(programme),
            required=False,
            label=self._meta.labels["preferred_facilitator"],
            help_text=(
                _("Wählen Sie Ihre Sparring-Partner*in aus der Übersicht (freie Wahl).")
                if programme.applicant_chooses
                else _("Optional. Das Programmbüro vermittelt passgenau.")
            ),
            empty_label=_("– keine Angabe –"),
        )
        # German is the empty choice ("Deutsch"): listed once, not again as a language row.
        self.fields["preferred_language"].queryset = Language.objects.exclude(code="de").order_by(
            "name"
        )
        self.fields["preferred_language"].empty_label = _("Deutsch")
        self.fields["desired_format"].choices = Application.Format.choices
        self.fields["desired_format"].required = False
        if not self.is_bound:
            self.initial.setdefault("structurally_weak", organisation.structurally_weak)
            self.initial.setdefault("rural", organisation.rural)
            self.initial.setdefault("flags_justification", organisation.flags_justification)
        if not programme.topics.filter(is_free_text=True).exists():
            self.fields.pop("topics_other")
        # Marked as required: what "Antrag absenden" asks for (a draft may leave it empty).
        submit_required = ["topics", "challenge", "goals", "contact_name", "contact_email"]
        submit_required.append("consent")
        if programme.applicant_chooses:
            submit_required.append("preferred_facilitator")
        mark_required(self, submit_required)

    def clean(self):
        data = super().clean()
        start, end = data.get("desired_start"), data.get("desired_end")
        if start and end and end < start:
            self.add_error("desired_end", _("Das Ende darf nicht vor dem Beginn liegen."))
        if (data.get("structurally_weak") or data.get("rural")) and not (
            data.get("flags_justification") or ""
        ).strip():
            self.add_error(
                "flags_justification",
                _("Bitte begründen Sie kurz, warum Ihre Region strukturschwach oder ländlich ist."),
            )
        if self.submitting:
            self._require_for_submission(data)
        return data

    def _require_for_submission(self, data) -> None:
        required = {
            "topics": _("Bitte wählen Sie mindestens ein Thema."),
            "challenge": _("Bitte beschreiben Sie Ihre aktuelle Herausforderung."),
            "goals": _("Bitte beschreiben Sie die Ziele der Begleitung."),
            "contact_name": _("Bitte nennen Sie eine Ansprechperson."),
            "contact_email": _("Bitte geben Sie die E-Mail-Adresse der Ansprechperson an."),
            "consent": _("Bitte stimmen Sie dem Datenschutzhinweis zu, um den Antrag abzusenden."),
        }
        if not self.fields["topics"].queryset.exists():
            required.pop("topics")
        if self.programme.applicant_chooses:
            required["preferred_facilitator"] = _(
                "Bitte wählen Sie eine Sparring-Partner*in aus der Übersicht."
            )
        for name, message in required.items():
            if name in self.errors:
                continue
            value = data.get(name)
            if not value or (isinstance(value, str) and not value.strip()):
                self.add_error(name, message)
        topics = data.get("topics") or []
        if (
            "topics_other" in self.fields
            and any(t.is_free_text for t in topics)
            and not (data.get("topics_other") or "").strip()
        ):
            self.add_error("topics_other", _("Bitte nennen Sie die spezifischen Themenfelder."))


class ApproveForm(forms.Form):
    facilitators = FacilitatorMultipleChoiceField(
        queryset=FacilitatorProfile.objects.none(),
        label=_("Prozessbegleitung"),
        help_text=_("Wählen Sie eine Person oder ein Zweier-Team."),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, application: Application, **kwargs):
        super().__init__(*args, **kwargs)
        self.application = application
        self.fields["facilitators"].queryset = facilitators_for(application.programme)
        if application.preferred_facilitator_id and not self.is_bound:
            self.initial["facilitators"] = [application.preferred_facilitator_id]

    def clean_facilitators(self):
        chosen = list(self.cleaned_data["facilitators"])
        if len(chosen) > 2:
            raise forms.ValidationError(_("Bitte wählen Sie höchstens zwei Personen."))
        if not chosen and not self.application.programme.applicant_chooses:
            raise forms.ValidationError(
                _("Bitte wählen Sie eine Prozessbegleiter*in oder ein Zweier-Team.")
            )
        return chosen


class WaitlistForm(forms.Form):
    reason = forms.CharField(
        label=_("Hinweis an die Organisation (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Begründung der Ablehnung"),
        help_text=_("Die Begründung wird der Organisation per E-Mail mitgeteilt."),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Bitte geben Sie eine Begründung an.")},
    )


class RegionFlagsForm(forms.Form):
    structurally_weak = forms.BooleanField(label=_("strukturschwach"), required=False)
    rural = forms.BooleanField(label=_("ländlich"), required=False)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Grund (optional)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )


__all__ = [
    "ApplicationForm",
    "ApproveForm",
    "RegionFlagsForm",
    "RejectForm",
    "WaitlistForm",
    "WithdrawForm",
    "facilitators_for",
]
