"""Hooks by which the work floor gives the vouchers app what its pages show.

The applicant dashboard shows each voucher's remaining hours or units, which the session log
(one floor up) computes. ``sessions_log`` registers its selectors here in ``AppConfig.ready``;
without it the dashboard simply shows no usage."""

from __future__ import annotations

from collections.abc import Callable

_annotate_usage: Callable | None = None
_usage_of: Callable | None = None


def register_usage(*, annotate: Callable, usage_of: Callable) -> None:
    global _annotate_usage, _usage_of
    _annotate_usage, _usage_of = annotate, usage_of


def with_usage(queryset):
    """Annotate cap usage from the session log, if that app provides it (same query)."""
    return _annotate_usage(queryset) if _annotate_usage else queryset


def attach_usage(vouchers) -> None:
    if _usage_of is None:
        return
    for voucher in vouchers:
        voucher.usage = _usage_of(voucher)
