"""A small fixed-window rate limit on the cache (shared when ``CACHE_URL`` points to a shared
cache). If the cache cannot be reached the request is allowed: a rate limit must not take
the password reset down with it."""

from __future__ import annotations

import hashlib
import logging

from django.core.cache import cache

logger = logging.getLogger("portal.security")


def key_for(scope: str, value: str) -> str:
    """A cache key that does not contain the value itself (email addresses, IPs)."""
    digest = hashlib.sha256(value.encode()).hexdigest()[:32]
    return f"security:rate:{scope}:{digest}"


def hit(key: str, *, limit: int, window: int) -> bool:
    """Count one event for ``key``; True while at most ``limit`` events fell into the
    current ``window`` (seconds)."""
    try:
        if cache.add(key, 1, window):
            count = 1
        else:
            try:
                count = cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.add(key, 1, window)
                count = 1
    except Exception:  # the cache backend is down: fail open, but say so
        logger.warning("event=rate_limit_unavailable")
        return True
    return count <= limit


def count(key: str) -> int:
    """The events counted for ``key`` in its current window (0 if the cache is down)."""
    try:
        return int(cache.get(key) or 0)
    except Exception:
        logger.warning("event=rate_limit_unavailable")
        return 0


def login_failures_key(ip: str | None) -> str:
    return key_for("login-failed-ip", ip or "-")


def registration_allowed(*, ip: str | None, email: str) -> bool:
    """Count one registration for the client address and the email's domain; False when
    either is over its limit (``REGISTRATION_LIMIT_PER_*`` per ``REGISTRATION_WINDOW``)."""
    from django.conf import settings

    window = settings.REGISTRATION_WINDOW
    domain = email.rpartition("@")[2].strip().lower() or "-"
    by_ip = hit(
        key_for("register-ip", ip or "-"), limit=settings.REGISTRATION_LIMIT_PER_IP, window=window
    )
    by_domain = hit(
        key_for("register-domain", domain),
        limit=settings.REGISTRATION_LIMIT_PER_DOMAIN,
        window=window,
    )
    return by_ip and by_domain
