"""Callables that configure django-axes (see the settings' "Security hardening" section)."""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
import math

from axes.helpers import get_cool_off
from django.conf import settings
from django.shortcuts import render


def _valid_ip(value: str) -> bool:
    try:
        ipaddress.ip_address(value)
    except ValueError:
        return False
    return True


def client_ip(request) -> str | None:
    """The client's address. ``X-Forwarded-For`` counts only behind ``TRUSTED_PROXY_COUNT``
    trusted proxies (each appends the address it saw), and then only the entry that many
    hops from the right: what a client writes into the header itself is ignored."""
    remote = request.META.get("REMOTE_ADDR") or None
    count = int(getattr(settings, "TRUSTED_PROXY_COUNT", 0) or 0)
    if count > 0:
        forwarded = [
            part.strip()
            for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")
            if part.strip()
        ]
        if len(forwarded) >= count and _valid_ip(forwarded[-count]):
            return forwarded[-count]
    return remote


def username_from_request(request, credentials) -> str | None:
    """The email address of the login attempt, case-insensitive (one account, one counter)."""
    value = (credentials or {}).get("username")
    if value is None and request is not None:
        value = request.POST.get("username")
    value = str(value or "").strip().lower()
    return value or None


def client_str(username, ip_address, user_agent, path_info, request) -> str:
    """What axes writes into its log lines: a keyed pseudonym of account and address, so
    repeated attempts can be correlated without logging the email or the IP address."""
    raw = f"{username or ''}|{ip_address or ''}".encode()
    digest = hmac.new(settings.SECRET_KEY.encode(), raw, hashlib.sha256).hexdigest()
    return f"client={digest[:12]}"


def lockout_response(request, original_response=None, credentials=None):
    """The German 429 page shown while an account is locked for this address."""
    cool_off = get_cool_off(request)
    minutes = math.ceil(cool_off.total_seconds() / 60) if cool_off else None
    response = render(
        request,
        "security/lockout.html",
        {"minutes": minutes},
        status=settings.AXES_HTTP_RESPONSE_CODE,
    )
    if cool_off:
        response["Retry-After"] = str(int(cool_off.total_seconds()))
    return response
