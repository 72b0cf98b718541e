"""Forms of the session log. Single-entry rules come from ``sessions_log.validators`` (the
same functions the services call); caps are checked by the service and shown as a field error."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from portal.errors import CapExceeded, RuleViolation
from portal.fields import BoundedModelChoiceField
from portal.models import FacilitatorProfile
from sessions_log import validators
from sessions_log.models import Activity, Format, SessionEntry

A = Activity
ACTIVITY_GROUPS = (
    (
        _("Prozessschritte"),
        (
            A.GESPRAECH_SPITZE,
            A.AUFTAKT,
            A.KONSULTATION,
            A.ANALYSE,
            A.STEUERGRUPPE,
            A.PRAESENTATION,
            A.QUARTALSTREFFEN,
            A.WIRKSAMKEIT,
        ),
    ),
    (
        _("Bausteine der Vereinbarung"),
        (
            A.BAUSTEIN_KONZEPTION,
            A.BAUSTEIN_COMMITMENT,
            A.BAUSTEIN_ZUKUNFTSBILD,
            A.BAUSTEIN_PROJEKTPLAN,
            A.BAUSTEIN_INTEGRATIONSPLAN,
            A.BAUSTEIN_UMSETZUNG,
            A.BAUSTEIN_NETZWERK,
        ),
    ),
    (_("Weitere Tätigkeiten"), (A.VORBEREITUNG, A.WORKSHOP, A.SPARRING, A.SONSTIGES)),
)


def activity_choices(*, virtual: bool) -> list:
    groups = [
        (label, [(a.value, a.label) for a in members if not (virtual and a == A.SPARRING)])
        for label, members in ACTIVITY_GROUPS
    ]
    if virtual:
        # Sparring first: it is what Virtuelle Begleitung logs almost always.
        groups = [(_("Sparring"), [(A.SPARRING.value, A.SPARRING.label)]), *groups]
    return [("", _("Bitte wählen")), *groups]


def _to_validation_error(exc: RuleViolation) -> forms.ValidationError:
    return forms.ValidationError(exc.message)


class FacilitatorChoiceField(BoundedModelChoiceField):
    def label_from_instance(self, obj: FacilitatorProfile) -> str:
        return obj.name


class SessionForm(forms.Form):
    """Log or correct one session. Prozessbegleitung asks for minutes, Virtuelle Begleitung
    for units of 60 minutes. Office staff choose the facilitator they log for."""

    facilitator = FacilitatorChoiceField(
        label=_("Prozessbegleiter*in"),
        queryset=FacilitatorProfile.objects.none(),
        help_text=_("Für wen tragen Sie die Sitzung ein?"),
    )
    date = forms.DateField(
        label=_("Datum der Sitzung"),
        help_text=_("Zum Beispiel 22.11.2026. Das Datum darf nicht in der Zukunft liegen."),
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    minutes = forms.IntegerField(
        label=_("Dauer in Minuten"),
        min_value=1,
        help_text=_(
            "Vor- und Nachbereitung zählt als Arbeitszeit. Zum Beispiel 90 für 1,5 Stunden."
        ),
    )
    units = forms.IntegerField(
        label=_("Anzahl Sparring-Einheiten"),
        min_value=1,
        help_text=_("Eine Einheit dauert 60 Minuten."),
    )
    activity = forms.ChoiceField(label=_("Tätigkeit"), choices=())
    format = forms.ChoiceField(label=_("Format"), choices=Format.choices, widget=forms.RadioSelect)
    participants = forms.IntegerField(
        label=_("Zahl der Teilnehmenden"),
        min_value=1,
        max_value=validators.MAX_PARTICIPANTS,
        required=False,
    )
    notes = forms.CharField(
        label=_("Kurze Notiz / Ergebnis"),
        required=False,
        max_length=validators.MAX_NOTES_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Was wurde besprochen oder vereinbart? Bitte keine sensiblen Personendaten."),
    )

    def __init__(self, *args, voucher, user, entry: SessionEntry | None = None, **kwargs):
        self.voucher = voucher
        self.programme = voucher.programme
        self.is_virtual = self.programme.is_virtual
        self.unit_minutes = validators.unit_minutes(self.programme)
        if entry is not None:
            initial = {
                "facilitator": entry.facilitator_id,
                "date": entry.date,
                "minutes": entry.minutes,
                "units": entry.units,
                "activity": entry.activity,
                "format": entry.format,
                "participants": entry.participants,
                "notes": entry.notes,
            }
        else:
            initial = {
                "date": timezone.localdate(),
                "activity": A.SPARRING if self.is_virtual else "",
                "format": Format.VIDEO if self.is_virtual else "",
            }
        kwargs["initial"] = {**initial, **kwargs.get("initial", {})}
        super().__init__(*args, **kwargs)
        self.duration_field = "units" if self.is_virtual else "minutes"
        del self.fields["minutes" if self.is_virtual else "units"]
        if self.is_virtual and self.unit_minutes != validators.DEFAULT_UNIT_MINUTES:
            self.fields["units"].help_text = _("Eine Einheit dauert %(unit)d Minuten.") % {
                "unit": self.unit_minutes
            }
        if user.role in ("office", "admin"):
            self.fields["facilitator"].queryset = voucher.facilitators.select_related("user")
        else:
            del self.fields["facilitator"]
        self.fields["activity"].choices = activity_choices(virtual=self.is_virtual)
        # Rule 9: the form says the allowed range (from issue of the case to its end date,
        # never after today) and the date picker offers only that range.
        first, last = validators.case_date_range(voucher)
        self.fields["date"].widget.attrs.update(min=first.isoformat(), max=last.isoformat())
        self.fields["date"].help_text = _(
            "Zwischen dem %(first)s (Ausstellung) und dem %(last)s; nicht in der Zukunft."
        ) % {"first": first.strftime("%d.%m.%Y"), "last": last.strftime("%d.%m.%Y")}
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.RadioSelect):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, forms.Select):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")
        self.fields["minutes" if not self.is_virtual else "units"].widget.attrs.update(
            {"class": "form-control w-auto", "inputmode": "numeric"}
        )

    def clean_date(self):
        try:
            return validators.validate_case_date(self.cleaned_data["date"], self.voucher)
        except RuleViolation as exc:
            raise _to_validation_error(exc) from None

    def clean(self):
        cleaned = super().clean()
        if self.is_virtual and cleaned.get("units"):
            cleaned["minutes"] = cleaned["units"] * self.unit_minutes
        if cleaned.get("minutes"):
            try:
                validators.validate_minutes(cleaned["minutes"], self.programme)
            except RuleViolation as exc:
                self.add_error(self.duration_field, exc.message)
        return cleaned

    def service_kwargs(self) -> dict:
        data = self.cleaned_data
        kwargs = {
            "date": data["date"],
            "minutes": data["minutes"],
            "activity": data["activity"],
            "format": data["format"],
            "participants": data.get("participants"),
            "notes": data.get("notes", ""),
        }
        if "facilitator" in self.fields:
            kwargs["facilitator"] = data["facilitator"]
        return kwargs

    def add_rule_violation(self, exc: RuleViolation) -> None:
        """Show a service's refusal next to the field it concerns (caps → the duration)."""
        field = exc.details.get("field")
        if isinstance(exc, CapExceeded) or field == "minutes":
            field = self.duration_field
        self.add_error(field if field in self.fields else None, exc.message)


def _textarea(rows: int = 5):
    return forms.Textarea(attrs={"rows": rows, "class": "form-control"})


class ClosingRequestForm(forms.Form):
    """The facilitator's closing report (results, agreed next steps, follow-up)."""

    report = forms.CharField(
        label=_("Ergebnisse der Begleitung"),
        help_text=_("Was wurde erreicht? Zwei bis fünf Sätze genügen."),
        widget=_textarea(6),
        max_length=5000,
    )
    next_steps = forms.CharField(
        label=_("Vereinbarte nächste Schritte"),
        required=False,
        widget=_textarea(4),
        max_length=3000,
    )
    recommendation = forms.CharField(
        label=_("Empfehlung zur Weiterbegleitung"),
        help_text=_("Ist eine weitere Begleitung sinnvoll? Wenn ja, wozu?"),
        required=False,
        widget=_textarea(3),
        max_length=3000,
    )


class CloseVoucherForm(forms.Form):
    """Office confirms the closing; the report may be completed or corrected."""

    report = forms.CharField(
        label=_("Abschlussbericht"),
        help_text=_(
            "Vom Programmbüro ergänzt oder korrigiert; leer lassen, um den Bericht der "
            "Prozessbegleitung zu übernehmen."
        ),
        required=False,
        widget=_textarea(6),
        max_length=5000,
    )
