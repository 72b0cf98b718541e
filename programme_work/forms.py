"""Forms of the process work. The rules stay in the services; the forms check what a person
can fix in the form itself (required fields, lengths, number bounds)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from portal.fields import BoundedModelChoiceField
from programme_work.models import Event, GroupMember, Participation, TemplateMilestone

DATE_WIDGET = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATETIME_WIDGET = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
REASON = {"max_length": 2000, "widget": forms.Textarea(attrs={"rows": 2})}


class AdministrationContactForm(forms.Form):
    name = forms.CharField(label=_("Name"), max_length=200)
    function = forms.CharField(label=_("Funktion/Amt"), max_length=200, required=False)
    email = forms.EmailField(label=_("E-Mail"))
    phone = forms.CharField(label=_("Telefon"), max_length=50, required=False)


class CouncilDecisionForm(forms.Form):
    file = forms.FileField(
        label=_("Beschluss als PDF"),
        help_text=_("Gemeinderats- bzw. Kreistagsbeschluss, eingescannt als PDF."),
    )
    decided_on = forms.DateField(
        label=_("Datum des Beschlusses"), required=False, widget=DATE_WIDGET
    )


class MilestoneAddForm(forms.Form):
    source = BoundedModelChoiceField(
        label=_("aus einer Vorlage"),
        queryset=TemplateMilestone.objects.none(),
        required=False,
        help_text=_("Oder geben Sie unten einen eigenen Titel an."),
    )
    title = forms.CharField(label=_("Titel"), max_length=200, required=False)
    description = forms.CharField(
        label=_("Beschreibung"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    planned_on = forms.DateField(label=_("geplant am"), required=False, widget=DATE_WIDGET)
    reason = forms.CharField(
        label=_("Warum wird der Meilenstein ergänzt?"), required=False, **REASON
    )

    def __init__(self, *args, programme=None, **kwargs):
        super().__init__(*args, **kwargs)
        if programme is not None:
            self.fields["source"].queryset = TemplateMilestone.objects.filter(
                template__programme=programme
            ).select_related("template")

    def clean(self):
        data = super().clean()
        if not data.get("source") and not (data.get("title") or "").strip():
            self.add_error(
                "title", _("Bitte wählen Sie eine Vorlage oder geben Sie einen Titel an.")
            )
        return data


class MilestoneEditForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    description = forms.CharField(
        label=_("Beschreibung"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    planned_on = forms.DateField(label=_("geplant am"), required=False, widget=DATE_WIDGET)
    reason = forms.CharField(label=_("Grund der Änderung"), required=False, **REASON)


class MilestoneDoneForm(forms.Form):
    done_on = forms.DateField(label=_("erledigt am"), widget=DATE_WIDGET)
    note = forms.CharField(
        label=_("Kurze Notiz zum Ergebnis"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class MilestoneDropForm(forms.Form):
    reason = forms.CharField(label=_("Warum entfällt der Meilenstein?"), **REASON)


class GroupMemberForm(forms.ModelForm):
    class Meta:
        model = GroupMember
        fields = ["group", "name", "organisation", "sector", "role", "email"]


class EventForm(forms.ModelForm):
    starts_at = forms.DateTimeField(label=_("Beginn"), widget=DATETIME_WIDGET)
    ends_at = forms.DateTimeField(label=_("Ende"), widget=DATETIME_WIDGET)
    registration_deadline = forms.DateTimeField(
        label=_("Anmeldeschluss"), required=False, widget=DATETIME_WIDGET
    )
    video_link = forms.URLField(label=_("Videolink"), required=False, assume_scheme="https")
    capacity = forms.IntegerField(
        label=_("Plätze (Organisationen)"),
        required=False,
        min_value=1,
        max_value=10000,
        help_text=_("leer: unbegrenzt"),
    )

    class Meta:
        model = Event
        fields = [
            "title",
            "kind",
            "starts_at",
            "ends_at",
            "place",
            "video_link",
            "description",
            "mandatory",
            "capacity",
            "registration_deadline",
        ]


class ResponseForm(forms.Form):
    response = forms.ChoiceField(
        label=_("Ihre Rückmeldung"),
        choices=[
            (Participation.Response.REGISTERED, _("Wir nehmen teil")),
            (Participation.Response.EXCUSED, _("Wir können nicht teilnehmen (entschuldigt)")),
        ],
        widget=forms.RadioSelect,
    )
    persons = forms.IntegerField(label=_("Anzahl Personen"), min_value=1, max_value=20, initial=1)
    reason = forms.CharField(
        label=_("Grund der Entschuldigung"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
