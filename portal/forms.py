"""Account forms: login by email, applicant self-registration, membership decisions."""

from __future__ import annotations

from django import forms
from django.contrib.auth import password_validation
from django.contrib.auth.forms import AuthenticationForm
from django.utils.translation import gettext_lazy as _

from portal.fields import BoundedModelChoiceField
from portal.models import Bundesland, Organisation, User
from portal.required import mark_required, plain_label


class EmailAuthenticationForm(AuthenticationForm):
    """Django's login form, labelled for login by email address."""

    username = forms.EmailField(
        label=_("E-Mail-Adresse"),
        widget=forms.EmailInput(attrs={"autofocus": True, "autocomplete": "email"}),
    )

    error_messages = {
        "invalid_login": _(
            "Die E-Mail-Adresse oder das Passwort ist nicht korrekt. Bitte prüfen Sie Ihre Eingabe."
        ),
        "inactive": _("Dieses Konto ist deaktiviert."),
    }


class RegistrationForm(forms.Form):
    """One page: the person, then either an existing organisation or a new one."""

    EXISTING = "existing"
    NEW = "new"

    first_name = forms.CharField(
        label=_("Vorname"), max_length=150, widget=forms.TextInput({"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Nachname"), max_length=150, widget=forms.TextInput({"autocomplete": "family-name"})
    )
    email = forms.EmailField(
        label=_("E-Mail-Adresse"),
        help_text=_(
            "Mit dieser Adresse melden Sie sich an. Wir schreiben Ihnen nur zu Ihren Anträgen."
        ),
        widget=forms.EmailInput({"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Telefon (freiwillig)"),
        max_length=50,
        required=False,
        widget=forms.TextInput({"autocomplete": "tel"}),
    )
    position = forms.CharField(
        label=_("Funktion (freiwillig)"),
        max_length=120,
        required=False,
        help_text=_("z. B. Koordination Engagierte Stadt, Bürgermeisteramt"),
    )
    password1 = forms.CharField(
        label=_("Passwort"),
        strip=False,
        widget=forms.PasswordInput({"autocomplete": "new-password"}),
        help_text=_("Mindestens 10 Zeichen, nicht nur Ziffern, kein häufig verwendetes Passwort."),
    )
    password2 = forms.CharField(
        label=_("Passwort wiederholen"),
        strip=False,
        widget=forms.PasswordInput({"autocomplete": "new-password"}),
    )

    organisation_choice = forms.ChoiceField(
        label=_("Ihre Organisation"),
        choices=[
            (EXISTING, _("Meine Organisation ist bereits im Portal registriert")),
            (NEW, _("Meine Organisation ist neu im Portal")),
        ],
        widget=forms.RadioSelect,
        initial=EXISTING,
    )
    organisation = BoundedModelChoiceField(
        label=_("Organisation auswählen"),
        queryset=Organisation.objects.none(),
        required=False,
        empty_label=_("– bitte auswählen –"),
        help_text=_("Das Programmbüro bestätigt Ihre Zugehörigkeit, bevor Sie die Anträge sehen."),
    )
    org_name = forms.CharField(
        label=_("Name der Organisation"),
        max_length=200,
        required=False,
        help_text=_("z. B. Engagierte Stadt Sendenhorst, Gemeinde Musterdorf, Landkreis Beispiel"),
    )
    org_kind = forms.ChoiceField(
        label=_("Art der Organisation"),
        choices=[("", _("– bitte auswählen –")), *Organisation.Kind.choices],
        required=False,
    )
    org_municipality = forms.CharField(label=_("Gemeinde/Stadt"), max_length=200, required=False)
    org_district = forms.CharField(label=_("Landkreis"), max_length=200, required=False)
    org_bundesland = forms.ChoiceField(
        label=_("Bundesland"),
        choices=[("", _("– bitte auswählen –")), *Bundesland.choices],
        required=False,
    )
    org_street = forms.CharField(
        label=_("Straße und Hausnummer"),
        max_length=200,
        required=False,
        widget=forms.TextInput({"autocomplete": "street-address"}),
    )
    org_postcode = forms.CharField(
        label=_("Postleitzahl"),
        max_length=10,
        required=False,
        widget=forms.TextInput({"autocomplete": "postal-code", "inputmode": "numeric"}),
    )
    org_city = forms.CharField(label=_("Ort"), max_length=120, required=False)
    org_structurally_weak = forms.BooleanField(
        label=_("Unsere Organisation liegt in einer strukturschwachen Region."), required=False
    )
    org_rural = forms.BooleanField(
        label=_("Unsere Organisation liegt in einer ländlichen Region."), required=False
    )
    org_flags_justification = forms.CharField(
        label=_("Begründung der Regionsangaben"),
        required=False,
        max_length=2000,
        widget=forms.Textarea({"rows": 3}),
        help_text=_(
            "Nur nötig, wenn Sie eine der beiden Angaben gewählt haben, z. B. Einwohnerzahl, "
            "Förderkulisse. Das Programmbüro prüft die Angaben."
        ),
    )
    privacy = forms.BooleanField(
        label=_("Ich habe die Datenschutzhinweise gelesen."),
        error_messages={
            "required": _("Bitte bestätigen Sie, dass Sie die Datenschutzhinweise gelesen haben.")
        },
    )

    NEW_ORG_REQUIRED = (
        "org_name",
        "org_kind",
        "org_bundesland",
        "org_street",
        "org_postcode",
        "org_city",
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["organisation"].queryset = Organisation.objects.filter(approved=True).order_by(
            "name"
        )
        mark_required(self, ("organisation", *self.NEW_ORG_REQUIRED))

    def clean_email(self) -> str:
        email = User.objects.normalize_email(self.cleaned_data["email"]).strip()
        if User.objects.filter(email__iexact=email).exists():
            raise forms.ValidationError(
                _(
                    "Zu dieser E-Mail-Adresse gibt es bereits ein Konto. Bitte melden Sie sich an "
                    "oder setzen Sie Ihr Passwort zurück."
                )
            )
        return email

    def clean(self):
        data = super().clean()
        p1, p2 = data.get("password1"), data.get("password2")
        if p1 and p2 and p1 != p2:
            self.add_error("password2", _("Die beiden Passwörter stimmen nicht überein."))
        elif p1:
            probe = User(
                email=data.get("email", ""),
                first_name=data.get("first_name", ""),
                last_name=data.get("last_name", ""),
            )
            try:
                password_validation.validate_password(p1, probe)
            except forms.ValidationError as exc:
                self.add_error("password1", exc)

        choice = data.get("organisation_choice")
        if choice == self.EXISTING:
            if not data.get("organisation"):
                self.add_error(
                    "organisation",
                    _("Bitte wählen Sie Ihre Organisation aus oder legen Sie sie neu an."),
                )
        elif choice == self.NEW:
            for name in self.NEW_ORG_REQUIRED:
                if not data.get(name):
                    self.add_error(
                        name,
                        _("Bitte geben Sie „%(label)s“ an.")
                        % {"label": plain_label(self.fields[name])},
                    )
            name = (data.get("org_name") or "").strip()
            if name and Organisation.objects.filter(name__iexact=name).exists():
                self.add_error(
                    "org_name",
                    _(
                        "Eine Organisation mit diesem Namen ist bereits registriert. Bitte wählen "
                        "Sie sie oben aus der Liste aus."
                    ),
                )
            flagged = data.get("org_structurally_weak") or data.get("org_rural")
            if flagged and not (data.get("org_flags_justification") or "").strip():
                self.add_error(
                    "org_flags_justification",
                    _(
                        "Bitte begründen Sie kurz, warum Ihre Region strukturschwach oder ländlich ist."
                    ),
                )
        return data

    def new_organisation_values(self) -> dict | None:
        if self.cleaned_data.get("organisation_choice") != self.NEW:
            return None
        prefix = "org_"
        return {
            name[len(prefix) :]: value
            for name, value in self.cleaned_data.items()
            if name.startswith(prefix)
        }


class MembershipRejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Begründung (intern)"),
        required=False,
        max_length=1000,
        widget=forms.Textarea({"rows": 2}),
    )
