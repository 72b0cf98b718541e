"""Request-level safeguards.

- ``SessionSecurityMiddleware`` (after the auth and message middleware): ends sessions of
  deactivated or deleted accounts, and sessions idle longer than ``SESSION_IDLE_TIMEOUT`` or
  older than ``SESSION_ABSOLUTE_TIMEOUT`` since the login.
- ``SecurityEventMiddleware``: throttles password reset requests; turns a lost database
  connection into a German 503 page (the transaction is rolled back, nothing half-written);
  logs refused authorisations (403) and unknown objects (404) without personal data.
"""

from __future__ import annotations

import logging
import time

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import SESSION_KEY, logout
from django.core.exceptions import PermissionDenied
from django.db import InterfaceError, OperationalError
from django.http import Http404, HttpResponse
from django.shortcuts import render
from django.template.loader import render_to_string
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from portal.security import throttle
from portal.security.axes import client_ip
from portal.security.events import LOGIN_AT, SEEN_AT, log_event

logger = logging.getLogger("portal.security")

DATABASE_ERRORS = (OperationalError, InterfaceError)
# The "last seen" time is written at most once a minute (one session write, not one per
# request).
TOUCH_INTERVAL = 60
RETRY_AFTER_SECONDS = 60
PASSWORD_RESET_VIEWS = {"password_reset"}


def service_unavailable() -> HttpResponse:
    """The 503 page. Rendered without the request (no context processors, no user, no
    session): it must not need the database that has just failed."""
    response = HttpResponse(render_to_string("503.html"), status=503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    response["Cache-Control"] = "no-store"
    return response


def _view_name(request) -> str:
    match = getattr(request, "resolver_match", None)
    return match.view_name if match else "-"


def _user_id(request):
    user = getattr(request, "user", None)
    try:
        return user.pk if user is not None and user.is_authenticated else None
    except DATABASE_ERRORS:
        return None


class SessionSecurityMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            self.enforce(request)
        except DATABASE_ERRORS as exc:
            logger.error("event=database_unavailable where=session error=%s", type(exc).__name__)
            return service_unavailable()
        return self.get_response(request)

    def enforce(self, request) -> None:
        session = request.session
        if not request.user.is_authenticated:
            if SESSION_KEY in session:
                # Logged in once, but the account is now deactivated or deleted (Django's
                # backend no longer returns it): end the session for good.
                user_id = session.get(SESSION_KEY)
                session.flush()
                log_event("session_ended", user_id=user_id, reason="account_inactive")
            return
        now = time.time()
        login_at = session.get(LOGIN_AT)
        seen_at = session.get(SEEN_AT)
        if login_at is None:  # a session from before this middleware: start counting now
            session[LOGIN_AT] = session[SEEN_AT] = now
            return
        reason = None
        if now - login_at > settings.SESSION_ABSOLUTE_TIMEOUT:
            reason = "absolute_timeout"
            text = _(
                "Ihre Anmeldung ist abgelaufen. Aus Sicherheitsgründen melden wir Sie nach "
                "%(hours)d Stunden ab. Bitte melden Sie sich erneut an."
            ) % {"hours": settings.SESSION_ABSOLUTE_TIMEOUT // 3600}
        elif seen_at is not None and now - seen_at > settings.SESSION_IDLE_TIMEOUT:
            reason = "idle_timeout"
            text = _(
                "Sie wurden nach %(minutes)d Minuten ohne Aktivität abgemeldet. Bitte melden "
                "Sie sich erneut an."
            ) % {"minutes": settings.SESSION_IDLE_TIMEOUT // 60}
        if reason:
            user_id = request.user.pk
            logout(request)
            log_event("session_expired", user_id=user_id, reason=reason)
            messages.info(request, text)
            return
        if seen_at is None or now - seen_at >= TOUCH_INTERVAL:
            session[SEEN_AT] = now


class SecurityEventMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        if request.method == "POST" and _view_name(request) in PASSWORD_RESET_VIEWS:
            return self.throttle_password_reset(request)
        if request.method == "POST" and _view_name(request) == "login":
            return self.throttle_login(request)
        return None

    def throttle_login(self, request):
        """One client address may fail ``LOGIN_FAILURE_LIMIT_PER_IP`` logins per window across
        all accounts; then its further attempts get 429. Other addresses (the account's owner)
        are not affected."""
        failures = throttle.count(throttle.login_failures_key(client_ip(request)))
        if failures < settings.LOGIN_FAILURE_LIMIT_PER_IP:
            return None
        log_event("login_throttled_ip", level=logging.WARNING)
        window = settings.LOGIN_FAILURE_WINDOW
        response = render(request, "security/throttled.html", {"minutes": window // 60}, status=429)
        response["Retry-After"] = str(window)
        return response

    def throttle_password_reset(self, request):
        """At most N requests per hour per email address and per client address. The same
        page answers whether or not an account exists (no enumeration)."""
        window = settings.PASSWORD_RESET_WINDOW
        email = request.POST.get("email", "").strip().lower()[:254]
        allowed = throttle.hit(
            throttle.key_for("reset-ip", client_ip(request) or "-"),
            limit=settings.PASSWORD_RESET_LIMIT_PER_IP,
            window=window,
        )
        if email:
            allowed = (
                throttle.hit(
                    throttle.key_for("reset-email", email),
                    limit=settings.PASSWORD_RESET_LIMIT_PER_EMAIL,
                    window=window,
                )
                and allowed
            )
        if allowed:
            return None
        log_event("password_reset_throttled", level=logging.WARNING)
        response = render(
            request,
            "security/throttled.html",
            {"minutes": window // 60},
            status=429,
        )
        response["Retry-After"] = str(window)
        return response

    def process_exception(self, request, exception):
        if isinstance(exception, DATABASE_ERRORS):
            logger.error(
                "event=database_unavailable view=%s error=%s",
                _view_name(request),
                type(exception).__name__,
            )
            return service_unavailable()
        if isinstance(exception, PermissionDenied):
            log_event(
                "access_denied",
                user_id=_user_id(request),
                level=logging.WARNING,
                view=_view_name(request),
                method=request.method,
            )
        elif isinstance(exception, Http404):
            log_event(
                "not_found",
                user_id=_user_id(request),
                view=_view_name(request),
                method=request.method,
            )
        return None


# Pages without personal data that shared caches may keep (anonymous visitors only).
PUBLIC_PAGES = {"start", "accessibility", "privacy", "imprint", "login", "register"}


class NoStoreMiddleware:
    """``Cache-Control: private, no-store`` on every response that may carry personal data:
    everything a logged-in person sees, every download and export, the feedback form — all but
    the public pages above when nobody is logged in. An allow-list, so a new page is protected
    without anyone remembering it. (Static files are answered by WhiteNoise before this.)"""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        anonymous = not (user is not None and user.is_authenticated)
        if anonymous and _view_name(request) in PUBLIC_PAGES:
            return response
        patch_cache_control(response, private=True, no_store=True)
        if "public" in response.get("Cache-Control", ""):
            response["Cache-Control"] = "private, no-store"
        return response
