"""Security events in the log: event name, user id and technical fields only — never an
email address, a name or an IP address (those are personal data).

One line per event on the ``portal.security`` logger, e.g.
``event=login_failed user_id=42`` or ``event=access_denied user_id=7 view=vouchers:queue``."""

from __future__ import annotations

import logging
import time

from django.contrib.auth import get_user_model
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed

logger = logging.getLogger("portal.security")

# Keys in the session, written at login and refreshed by the session middleware.
LOGIN_AT = "security_login_at"
SEEN_AT = "security_seen_at"


def log_event(event: str, *, user_id=None, level: int = logging.INFO, **fields) -> None:
    """Log ``event`` with the user id and plain technical ``fields`` (no personal data)."""
    parts = [f"event={event}", f"user_id={user_id if user_id is not None else '-'}"]
    parts += [f"{key}={value}" for key, value in fields.items()]
    logger.log(level, " ".join(parts))


def user_id_for_login(username) -> int | None:
    """The id of the account a login attempt named (the email address is never logged)."""
    if not username:
        return None
    return (
        get_user_model()
        .objects.filter(email__iexact=str(username).strip())
        .values_list("pk", flat=True)
        .first()
    )


def on_login(sender, request, user, **kwargs) -> None:
    if request is not None and hasattr(request, "session"):
        now = time.time()
        request.session[LOGIN_AT] = now
        request.session[SEEN_AT] = now
    log_event("login_success", user_id=user.pk)


def on_logout(sender, request, user, **kwargs) -> None:
    log_event("logout", user_id=getattr(user, "pk", None))


def on_login_failed(sender, credentials, request=None, **kwargs) -> None:
    locked = bool(getattr(request, "axes_locked_out", False))
    if request is not None:
        # Failures per client address across all accounts (SecurityEventMiddleware refuses
        # further attempts from that address once the limit is reached).
        from django.conf import settings

        from portal.security import throttle
        from portal.security.axes import client_ip

        throttle.hit(
            throttle.login_failures_key(client_ip(request)),
            limit=settings.LOGIN_FAILURE_LIMIT_PER_IP,
            window=settings.LOGIN_FAILURE_WINDOW,
        )
    log_event(
        "login_failed",
        user_id=user_id_for_login((credentials or {}).get("username")),
        level=logging.WARNING,
        locked_out=str(locked).lower(),
    )


def on_locked_out(sender, request=None, username=None, ip_address=None, **kwargs) -> None:
    log_event("lockout", user_id=user_id_for_login(username), level=logging.WARNING)


def connect() -> None:
    from axes.signals import user_locked_out

    user_logged_in.connect(on_login, dispatch_uid="portal.security.login")
    user_logged_out.connect(on_logout, dispatch_uid="portal.security.logout")
    user_login_failed.connect(on_login_failed, dispatch_uid="portal.security.login_failed")
    user_locked_out.connect(on_locked_out, dispatch_uid="portal.security.locked_out")
