"""The feedback form (no login; the signed link is the key)."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

YES, NO = "yes", "no"
_TRUTHY = {"yes", "ja", "true", "1", "on", "y", "j"}
_FALSY = {"no", "nein", "false", "0", "off", "n"}


class YesNoField(forms.TypedChoiceField):
    """Ja/Nein as radio buttons; also accepts true/false, 1/0, ja/nein when posted."""

    def __init__(self, **kwargs):
        super().__init__(
            choices=[(YES, _("Ja")), (NO, _("Nein"))],
            coerce=lambda value: value == YES,
            widget=forms.RadioSelect,
            **kwargs,
        )

    def to_python(self, value):
        value = super().to_python(value).strip().lower()
        if value in _TRUTHY:
            return YES
        if value in _FALSY:
            return NO
        return value


def _scale(label, low, high, help_text=""):
    choices = [
        ("1", _("1 – %(text)s") % {"text": low}),
        ("2", "2"),
        ("3", "3"),
        ("4", "4"),
        ("5", _("5 – %(text)s") % {"text": high}),
    ]
    return forms.TypedChoiceField(
        label=label,
        choices=choices,
        coerce=int,
        widget=forms.RadioSelect,
        help_text=help_text,
        error_messages={"required": _("Bitte wählen Sie einen Wert von 1 bis 5.")},
    )


class FeedbackForm(forms.Form):
    satisfaction = _scale(
        _("Wie zufrieden sind Sie mit der Prozessbegleitung?"),
        _("gar nicht zufrieden"),
        _("sehr zufrieden"),
    )
    goals_reached = _scale(
        _("Wie weit haben Sie die Ziele der Begleitung erreicht?"),
        _("gar nicht"),
        _("vollständig"),
    )
    would_recommend = YesNoField(
        label=_("Würden Sie die Prozessbegleitung weiterempfehlen?"),
        error_messages={"required": _("Bitte wählen Sie „Ja“ oder „Nein“.")},
    )
    structure_useful = _scale(
        _("Wie nützlich ist die in der Begleitung erarbeitete Struktur für Ihr Netzwerk?"),
        _("gar nicht nützlich"),
        _("sehr nützlich"),
        help_text=_("Zum Beispiel Zuständigkeiten, Abläufe oder Formate der Zusammenarbeit."),
    )
    what_helped = forms.CharField(
        label=_("Was hat Ihnen besonders geholfen?"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Freiwillig. Bitte nennen Sie keine Namen."),
    )
    what_to_improve = forms.CharField(
        label=_("Was sollten wir verbessern?"),
        required=False,
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Freiwillig. Bitte nennen Sie keine Namen."),
    )

    RATING_FIELDS = ("satisfaction", "goals_reached", "would_recommend", "structure_useful")
    TEXT_FIELDS = ("what_helped", "what_to_improve")
