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


# fn(voucher) -> None, raising a RuleViolation when the case may not close yet (e.g. the
# session log while entries wait for confirmation, rule 10).
_close_checks: list[Callable] = []


def register_close_check(fn: Callable) -> None:
    if fn not in _close_checks:
        _close_checks.append(fn)


def run_close_checks(voucher) -> None:
    """Every registered check; the first that refuses raises its ``RuleViolation``."""
    for check in _close_checks:
        check(voucher)


# fn(application, facilitators) -> None, raising a RuleViolation when the office may not admit
# yet (programme_work: the council decision and the team of two of an accompanied process).
_admission_checks: list[Callable] = []


def register_admission_check(fn: Callable) -> None:
    if fn not in _admission_checks:
        _admission_checks.append(fn)


def run_admission_checks(application, facilitators) -> None:
    """Every registered check; the first that refuses raises its ``RuleViolation``."""
    for check in _admission_checks:
        check(application, facilitators)


def with_usage(queryset):
    """Annotate cap usage from the session log, if that app provides it (same query)."""
    return _annotate_usage(queryset) if _annotate_usage else queryset


def attach_usage(vouchers) -> None:
    if _usage_of is None:
        return
    for voucher in vouchers:
        voucher.usage = _usage_of(voucher)
