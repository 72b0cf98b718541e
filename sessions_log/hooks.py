"""Hooks by which an app one floor level beside gives the caps what it reserves.

The sparring calendar (``appointments``) books units before they are logged: booked
appointments (and late cancellations or no-shows the programme counts) use up the 12/5
units of rule 5 just like logged entries (rule 12). ``appointments`` imports the session
log, so the session log may not import it back; instead ``appointments`` registers its
counter here in ``AppConfig.ready``. Without it nothing is reserved."""

from __future__ import annotations

from collections.abc import Callable

# fn(organisation_id, exclude_appointment_id=None) -> (units, units_in_process)
_reserved_units: Callable[..., tuple[int, int]] | None = None
# The same count as one SQL statement (columns ``units``, ``units_in_process``; one ``%s``
# parameter: the organisation's id), so the caps read it in their balance statement.
_reserved_sql: str | None = None


def register_reserved_units(fn: Callable[..., tuple[int, int]], *, sql: str | None = None) -> None:
    global _reserved_units, _reserved_sql
    _reserved_units, _reserved_sql = fn, sql


def reserved_sql() -> str | None:
    return _reserved_sql


def reserved_units(
    organisation_id: int, exclude_appointment_id: int | None = None
) -> tuple[int, int]:
    """(units, units with facilitators in process) the organisation has reserved but not
    logged. Call after taking the organisation's lock, so the count is fresh."""
    if _reserved_units is None:
        return 0, 0
    return _reserved_units(organisation_id, exclude_appointment_id=exclude_appointment_id)
