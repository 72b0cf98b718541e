"""Hooks by which upper floors give the ground floor what it shows but must not import.

The ground floor (``portal``) never imports the apps above it. When one of its pages needs a
figure that belongs to an upper app (the facilitator directory's "open cases" count comes from
the vouchers), that app registers a provider here in its ``AppConfig.ready``."""

from __future__ import annotations

from collections.abc import Callable

from django.db.models import Expression, IntegerField, Value

_open_cases_provider: Callable[[], Expression] | None = None


def register_open_cases(provider: Callable[[], Expression]) -> None:
    """``provider()`` returns an expression for a ``FacilitatorProfile`` queryset that counts
    the profile's open cases (``OuterRef("pk")`` is the profile)."""
    global _open_cases_provider
    _open_cases_provider = provider


def open_cases_expression() -> Expression:
    """The registered open-cases count, or 0 when no app provides one."""
    if _open_cases_provider is None:
        return Value(0, output_field=IntegerField())
    return _open_cases_provider()


_contingent_changer: Callable | None = None


def register_contingent_changer(changer: Callable) -> None:
    """``changer(period, *, by, contingent)``: the vouchers app's ``change_contingent``."""
    global _contingent_changer
    _contingent_changer = changer


def change_contingent() -> Callable | None:
    return _contingent_changer
