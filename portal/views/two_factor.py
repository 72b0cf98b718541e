"""The second factor's pages (``konto/zwei-faktor/…``): overview, set-up with QR code, code
entry after the password, new backup codes, switching off (office staff only)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.mixins import AccessMixin
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import FormView, TemplateView

from portal.security import two_factor


class CodeForm(forms.Form):
    code = forms.CharField(
        label=gettext_lazy("Code"),
        max_length=32,
        strip=True,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True, "spellcheck": "false"}
        ),
    )


def throttled_message(exc: two_factor.Throttled) -> str:
    if exc.locked_until:
        when = formats.time_format(timezone.localtime(exc.locked_until), "H:i:s")
        return _(
            "Zu viele ungültige Codes. Bitte warten Sie bis %(time)s Uhr und versuchen Sie es "
            "dann erneut."
        ) % {"time": when}
    return _("Zu viele ungültige Codes. Bitte warten Sie einen Moment.")


def backup_codes_page(request, codes: list[str]):
    response = render(request, "registration/two_factor_backup_codes.html", {"codes": codes})
    response["Cache-Control"] = "no-store"
    return response


class TwoFactorUserMixin(AccessMixin):
    """Office staff and admins; anonymous → login, other roles → 403."""

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        if not two_factor.available_for(request.user):
            raise PermissionDenied
        return super().dispatch(request, *args, **kwargs)


class RefusedCodeIs400:
    def form_invalid(self, form):
        response = super().form_invalid(form)
        response.status_code = 400
        return response


class TwoFactorOverviewView(TwoFactorUserMixin, TemplateView):
    template_name = "registration/two_factor.html"

    def get_context_data(self, **kwargs):
        user = self.request.user
        return super().get_context_data(
            device=two_factor.confirmed_device(user),
            backup_codes_left=two_factor.backup_codes_left(user),
            required=two_factor.required_for(user),
            **kwargs,
        )


class TwoFactorSetupView(TwoFactorUserMixin, RefusedCodeIs400, FormView):
    """Scan the QR code (or type the key), then confirm with the first code from the app."""

    template_name = "registration/two_factor_setup.html"
    form_class = CodeForm

    def dispatch(self, request, *args, **kwargs):
        if (
            request.user.is_authenticated
            and request.session.get(two_factor.STATE_KEY) == two_factor.VERIFY
        ):
            return redirect("two_factor_verify")  # a device exists: its code comes first
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        device = two_factor.pending_device(self.request.user)
        return super().get_context_data(
            qr=two_factor.qr_data_uri(device),
            secret=two_factor.secret_for_display(device),
            required=two_factor.required_for(self.request.user),
            renewal=two_factor.confirmed_device(self.request.user) is not None,
            next=self.request.GET.get("next", ""),
            **kwargs,
        )

    def form_valid(self, form):
        device = two_factor.pending_device(self.request.user)
        try:
            codes = two_factor.confirm_setup(self.request, device, form.cleaned_data["code"])
        except two_factor.Throttled as exc:
            form.add_error("code", throttled_message(exc))
            return self.form_invalid(form)
        if codes is None:
            form.add_error(
                "code",
                _(
                    "Der Code passt nicht. Prüfen Sie, ob die Uhrzeit Ihres Geräts stimmt, und "
                    "geben Sie den aktuell angezeigten Code ein."
                ),
            )
            return self.form_invalid(form)
        messages.success(self.request, _("Die Zwei-Faktor-Anmeldung ist eingerichtet."))
        return backup_codes_page(self.request, codes)


class TwoFactorVerifyView(RefusedCodeIs400, FormView):
    """After the password: the code from the app or a backup code."""

    template_name = "registration/two_factor_verify.html"
    form_class = CodeForm

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return redirect("login")
        if request.session.get(two_factor.STATE_KEY) != two_factor.VERIFY:
            return redirect(two_factor.safe_next(request, request.GET.get("next")))
        return super().dispatch(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        return super().get_context_data(next=self.request.GET.get("next", ""), **kwargs)

    def form_valid(self, form):
        try:
            device = two_factor.verify_code(self.request.user, form.cleaned_data["code"])
        except two_factor.Throttled as exc:
            form.add_error("code", throttled_message(exc))
            return self.form_invalid(form)
        if device is None:
            form.add_error(
                "code",
                _(
                    "Der Code ist ungültig oder abgelaufen. Geben Sie den Code ein, den Ihre "
                    "App gerade anzeigt, oder einen Ihrer Ersatzcodes."
                ),
            )
            return self.form_invalid(form)
        two_factor.mark_verified(self.request, device)
        if device.__class__.__name__ == "StaticDevice":
            left = two_factor.backup_codes_left(self.request.user)
            messages.warning(
                self.request,
                _(
                    "Sie haben sich mit einem Ersatzcode angemeldet; noch %(left)d Ersatzcodes "
                    "übrig. Erzeugen Sie neue unter „Zwei-Faktor-Anmeldung“, wenn sie "
                    "knapp werden."
                )
                % {"left": left},
            )
        return redirect(two_factor.safe_next(self.request, self.request.POST.get("next")))


class TwoFactorBackupCodesView(TwoFactorUserMixin, View):
    """POST: replace the backup codes with ten new ones (shown once)."""

    http_method_names = ["post"]

    def post(self, request):
        if two_factor.confirmed_device(request.user) is None:
            messages.error(request, _("Richten Sie zuerst die Zwei-Faktor-Anmeldung ein."))
            return redirect("two_factor")
        return backup_codes_page(request, two_factor.regenerate_backup_codes(request.user))


class TwoFactorDisableView(TwoFactorUserMixin, RefusedCodeIs400, FormView):
    """Office staff may switch the second factor off again, confirmed with a current code.
    Admins may not: for them it is required."""

    template_name = "registration/two_factor_disable.html"
    form_class = CodeForm

    def dispatch(self, request, *args, **kwargs):
        user = request.user
        if user.is_authenticated and two_factor.available_for(user):
            if two_factor.required_for(user):
                raise PermissionDenied
            if two_factor.confirmed_device(user) is None:
                return redirect("two_factor")
        return super().dispatch(request, *args, **kwargs)

    def form_valid(self, form):
        try:
            device = two_factor.verify_code(self.request.user, form.cleaned_data["code"])
        except two_factor.Throttled as exc:
            form.add_error("code", throttled_message(exc))
            return self.form_invalid(form)
        if device is None:
            form.add_error("code", _("Der Code ist ungültig oder abgelaufen."))
            return self.form_invalid(form)
        two_factor.disable(self.request)
        messages.success(self.request, _("Die Zwei-Faktor-Anmeldung ist abgeschaltet."))
        return redirect("two_factor")
