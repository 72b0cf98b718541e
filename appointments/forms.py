"""Forms of the sparring calendar; the services check the rules, the forms only shapes."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.utils.translation import gettext_lazy as _

from appointments.models import CalendarSettings, Format
from portal.fields import BoundedModelChoiceField

WEEKDAY_CHOICES = [
    (0, _("Montag")),
    (1, _("Dienstag")),
    (2, _("Mittwoch")),
    (3, _("Donnerstag")),
    (4, _("Freitag")),
    (5, _("Samstag")),
    (6, _("Sonntag")),
]


class ProgrammeChoiceMixin(forms.Form):
    def __init__(self, *args, programmes=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["programme"].queryset = programmes


class SlotForm(ProgrammeChoiceMixin):
    programme = BoundedModelChoiceField(queryset=None, label=_("Programm"))
    date = forms.DateField(label=_("Datum"), widget=forms.DateInput(attrs={"type": "date"}))
    time = forms.TimeField(label=_("Uhrzeit"), widget=forms.TimeInput(attrs={"type": "time"}))
    format = forms.ChoiceField(label=_("Format"), choices=Format.choices)
    video_link = forms.URLField(
        label=_("Link zur Videokonferenz"), required=False, assume_scheme="https"
    )
    phone_note = forms.CharField(label=_("Hinweis zum Telefonat"), max_length=200, required=False)


class SeriesForm(ProgrammeChoiceMixin):
    programme = BoundedModelChoiceField(queryset=None, label=_("Programm"))
    first_day = forms.DateField(label=_("von"), widget=forms.DateInput(attrs={"type": "date"}))
    last_day = forms.DateField(label=_("bis"), widget=forms.DateInput(attrs={"type": "date"}))
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Wochentage"),
        choices=WEEKDAY_CHOICES,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
    )
    time = forms.TimeField(label=_("Uhrzeit"), widget=forms.TimeInput(attrs={"type": "time"}))
    exceptions = forms.CharField(
        label=_("Ausnahmen"),
        required=False,
        max_length=1000,
        help_text=_("Tage ohne Termin, durch Kommas getrennt, z. B. 24.12.2026, 31.12.2026"),
    )
    format = forms.ChoiceField(label=_("Format"), choices=Format.choices)

    def clean_exceptions(self) -> list[dt.date]:
        days = []
        for part in self.cleaned_data["exceptions"].split(","):
            part = part.strip()
            if not part:
                continue
            try:
                days.append(dt.datetime.strptime(part, "%d.%m.%Y").date())  # noqa: DTZ007
            except ValueError:
                raise forms.ValidationError(
                    _("Bitte geben Sie die Tage im Format TT.MM.JJJJ an.")
                ) from None
        return days


class CalendarSettingsForm(forms.ModelForm):
    video_link = forms.URLField(
        label=_("Link zur Videokonferenz"), required=False, assume_scheme="https"
    )

    class Meta:
        model = CalendarSettings
        fields = ["format", "video_link", "phone_note", "buffer_minutes", "daily_max"]


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Begründung"), max_length=1000, required=False)


class HeldForm(forms.Form):
    notes = forms.CharField(
        label=_("Notizen/Ergebnis"), max_length=2000, required=False, widget=forms.Textarea
    )
