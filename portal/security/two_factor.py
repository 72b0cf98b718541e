"""Two-factor login (TOTP, RFC 6238) for the programme office and the admins.

- Office staff may switch it on; for admins (role *admin*, superusers, staff with access to
  the Django admin) it is required: until they have set up an authenticator app, every page
  sends them to the set-up page.
- After the password, a user with a confirmed device enters a six-digit code (or one of ten
  single-use backup codes) before any other page opens.
- Devices are django-otp's ``TOTPDevice`` and ``StaticDevice`` (backup codes); django-otp
  throttles wrong codes (the wait doubles with every failure).

The state lives in the session, so ``TwoFactorMiddleware`` costs no query per request:
``otp_device_id`` (django-otp's key) once the second factor is verified, and ``STATE_KEY``
(``"verify"`` or ``"setup"``) while it is outstanding, written at login.
"""

from __future__ import annotations

from urllib.parse import urlencode

import django_otp
import segno
from django.contrib.auth.signals import user_logged_in
from django.db import transaction
from django.http import HttpResponseRedirect
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from portal.audit import log_action
from portal.notifications import send_mail_on_commit
from portal.security.events import log_event

STATE_KEY = "two_factor_state"
VERIFY = "verify"
SETUP = "setup"
BACKUP_CODE_COUNT = 10
DEVICE_NAME = "Authenticator-App"
BACKUP_DEVICE_NAME = "Ersatzcodes"

# Pages an unverified user may still open: the second-factor pages themselves, logout and
# the language switch.
ALWAYS_OPEN = {"logout", "set_language", "two_factor_verify"}
OPEN_DURING_SETUP = {"two_factor_setup"}


# --- who ------------------------------------------------------------------------------------
def available_for(user) -> bool:
    """Office staff and admins can use a second factor (others are not offered one)."""
    return bool(user.is_authenticated and (user.is_office or required_for(user)))


def required_for(user) -> bool:
    """Admins must use one: role admin, superusers and staff who reach the Django admin."""
    return bool(user.is_authenticated and (user.is_portal_admin or user.is_staff))


def confirmed_device(user) -> TOTPDevice | None:
    return TOTPDevice.objects.filter(user=user, confirmed=True).order_by("-pk").first()


def is_verified(request) -> bool:
    return bool(request.session.get(django_otp.DEVICE_ID_SESSION_KEY))


def initial_state(user) -> str | None:
    """What the user still owes after the password: ``VERIFY``, ``SETUP`` or nothing."""
    if not available_for(user):
        return None
    if TOTPDevice.objects.filter(user=user, confirmed=True).exists():
        return VERIFY
    return SETUP if required_for(user) else None


def on_login(sender, request, user, **kwargs) -> None:
    """After the password (``user_logged_in``): note in the session what is still owed."""
    if request is None or not hasattr(request, "session"):
        return
    request.session.pop(django_otp.DEVICE_ID_SESSION_KEY, None)
    state = initial_state(user)
    if state:
        request.session[STATE_KEY] = state
    else:
        request.session.pop(STATE_KEY, None)


def connect() -> None:
    user_logged_in.connect(on_login, dispatch_uid="portal.security.two_factor.on_login")


# --- the middleware ---------------------------------------------------------------------------
def safe_next(request, candidate: str | None) -> str:
    """``candidate`` if it points into this site, else the overview page."""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return reverse("home")


class TwoFactorMiddleware:
    """Sends a logged-in user who still owes the second factor to the code page (or, for an
    admin without a device, to the set-up page). Placed after the session security
    middleware; uses only the session and the already loaded user."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or is_verified(request):
            return None
        session = request.session
        state = session.get(STATE_KEY)
        if state is None and required_for(user):
            # A session from before the set-up was required, or a role changed: decide now.
            state = initial_state(user)
            if state:
                session[STATE_KEY] = state
        if state not in (VERIFY, SETUP):
            return None
        name = request.resolver_match.url_name if request.resolver_match else None
        if name in ALWAYS_OPEN or (state == SETUP and name in OPEN_DURING_SETUP):
            return None
        target = reverse("two_factor_verify" if state == VERIFY else "two_factor_setup")
        if request.method == "GET" and not request.headers.get("HX-Request"):
            target += "?" + urlencode({"next": request.get_full_path()})
        log_event("two_factor_required", user_id=user.pk, state=state, view=name or "-")
        response = HttpResponseRedirect(target)
        if request.headers.get("HX-Request"):
            response["HX-Redirect"] = target
        return response


# --- verification -----------------------------------------------------------------------------
class Throttled(Exception):
    """Too many wrong codes: the device refuses codes until ``locked_until``."""

    def __init__(self, locked_until=None):
        super().__init__("throttled")
        self.locked_until = locked_until


def _normalise(code: str) -> str:
    return "".join(str(code).split()).replace("-", "").lower()


def _check(device, code: str) -> bool:
    """Verify ``code`` on ``device`` under its row lock (django-otp throttles failures)."""
    allowed, info = device.verify_is_allowed()
    if not allowed:
        raise Throttled((info or {}).get("locked_until"))
    return django_otp.verify_token(device.user, device.persistent_id, code) is not None


def verify_code(user, code: str):
    """The device that accepts ``code`` (the app's six digits or a backup code), or None.
    Raises ``Throttled`` while wrong codes are being refused."""
    code = _normalise(code)
    if code.isdigit():
        device = confirmed_device(user)
        return device if device is not None and _check(device, code) else None
    backup = StaticDevice.objects.filter(user=user, confirmed=True).first()
    return backup if backup is not None and _check(backup, code) else None


def record_verified(session, device) -> None:
    """Write into ``session`` that ``device`` has verified its user."""
    session.pop(STATE_KEY, None)
    session[django_otp.DEVICE_ID_SESSION_KEY] = device.persistent_id


def mark_verified(request, device) -> None:
    """The second factor is done: remember it in a new session key."""
    if device.user_id != request.user.pk:
        raise ValueError("device of another user")
    request.session.cycle_key()
    record_verified(request.session, device)
    request.user.otp_device = device
    log_event("two_factor_verified", user_id=request.user.pk, method=type(device).__name__)


# --- set-up, backup codes, switching off -----------------------------------------------------
def pending_device(user) -> TOTPDevice:
    """The unconfirmed device of a set-up in progress (the same key on every reload)."""
    device = TOTPDevice.objects.filter(user=user, confirmed=False).order_by("-pk").first()
    if device is None:
        device = TOTPDevice.objects.create(user=user, name=DEVICE_NAME, confirmed=False)
    return device


def secret_for_display(device: TOTPDevice) -> str:
    """The key in Base32, in groups of four, for typing into an app by hand."""
    from base64 import b32encode

    text = b32encode(device.bin_key).decode("ascii").rstrip("=")
    return " ".join(text[i : i + 4] for i in range(0, len(text), 4))


def qr_data_uri(device: TOTPDevice) -> str:
    """The ``otpauth://`` address as an SVG QR code (a data: URI; nothing leaves the site)."""
    return segno.make(device.config_url, error="m").svg_data_uri(scale=5, border=2)


def _new_backup_codes(user) -> list[str]:
    StaticDevice.objects.filter(user=user).delete()
    device = StaticDevice.objects.create(user=user, name=BACKUP_DEVICE_NAME, confirmed=True)
    codes = [StaticToken.random_token() for _ in range(BACKUP_CODE_COUNT)]
    StaticToken.objects.bulk_create(StaticToken(device=device, token=c) for c in codes)
    return codes


def confirm_setup(request, device: TOTPDevice, code: str) -> list[str] | None:
    """Finish the set-up if ``code`` comes from the app: the device becomes the user's only
    one, the session counts as verified, and ten new backup codes are returned (shown once).
    None if the code is wrong."""
    user = request.user
    with transaction.atomic():
        device = TOTPDevice.objects.select_for_update().get(pk=device.pk, user=user)
        allowed, info = device.verify_is_allowed()
        if not allowed:
            raise Throttled((info or {}).get("locked_until"))
        if not device.verify_token(_normalise(code)):
            return None
        renewed = TOTPDevice.objects.filter(user=user, confirmed=True).exists()
        TOTPDevice.objects.filter(user=user).exclude(pk=device.pk).delete()
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        codes = _new_backup_codes(user)
        log_action(user, "two_factor.renewed" if renewed else "two_factor.enabled", user)
        send_mail_on_commit("two_factor_enabled", [user.email], {"user": user, "renewed": renewed})
    mark_verified(request, device)
    log_event("two_factor_enabled", user_id=user.pk, renewed=renewed)
    return codes


def regenerate_backup_codes(user) -> list[str]:
    with transaction.atomic():
        codes = _new_backup_codes(user)
        log_action(user, "two_factor.backup_codes_renewed", user)
    log_event("two_factor_backup_codes_renewed", user_id=user.pk)
    return codes


def backup_codes_left(user) -> int:
    return StaticToken.objects.filter(device__user=user, device__confirmed=True).count()


def disable(request) -> None:
    """Switch the second factor off (office staff only; required for admins)."""
    user = request.user
    with transaction.atomic():
        TOTPDevice.objects.filter(user=user).delete()
        StaticDevice.objects.filter(user=user).delete()
        log_action(user, "two_factor.disabled", user)
        send_mail_on_commit("two_factor_disabled", [user.email], {"user": user})
    request.session.pop(django_otp.DEVICE_ID_SESSION_KEY, None)
    request.session.pop(STATE_KEY, None)
    log_event("two_factor_disabled", user_id=user.pk)
