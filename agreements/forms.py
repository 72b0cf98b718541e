"""Forms of the agreement pages. The upload uses the same validator as the service."""

from __future__ import annotations

from django import forms
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

from agreements.validators import max_upload_bytes, validate_signed_pdf
from portal.errors import RuleViolation
from portal.fields import BoundedModelChoiceField
from portal.models import Programme


class SignedUploadForm(forms.Form):
    file = forms.FileField(
        label=_("Unterschriebene Vereinbarung (PDF)"),
        widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}),
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["file"].help_text = _(
            "Bitte laden Sie den Scan der unterschriebenen und gestempelten Vereinbarung als "
            "PDF-Datei hoch (höchstens %(limit)s)."
        ) % {"limit": filesizeformat(max_upload_bytes())}
        self.fields["file"].error_messages["required"] = _(
            "Bitte wählen Sie die unterschriebene Vereinbarung als PDF-Datei aus."
        )

    def clean_file(self):
        file = self.cleaned_data["file"]
        try:
            validate_signed_pdf(file)
        except RuleViolation as exc:
            raise forms.ValidationError(exc.message, code="invalid_pdf") from exc
        return file


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Grund der Zurückweisung"),
        help_text=_("Die Antragsteller*innen erhalten diesen Text per E-Mail."),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        error_messages={"required": _("Bitte geben Sie einen Grund für die Zurückweisung an.")},
    )


class PaperSignedForm(forms.Form):
    note = forms.CharField(
        label=_("Vermerk"),
        help_text=_("z. B. „Original am 12.03.2027 per Post eingegangen, abgelegt in Akte 4711“."),
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={
            "required": _(
                "Bitte vermerken Sie, wann und wie die Vereinbarung unterschrieben wurde."
            )
        },
    )


class RegenerateForm(forms.Form):
    programme = BoundedModelChoiceField(
        label=_("Programm"),
        queryset=Programme.objects.order_by("name"),
        help_text=_(
            "Für alle ausgestellten Gutscheine dieses Programms, deren Vereinbarung noch nicht "
            "unterschrieben ist, wird eine neue Version erzeugt."
        ),
        error_messages={"required": _("Bitte wählen Sie ein Programm aus.")},
    )
