"""Exceptions of the service contract.

Services raise these; views turn them into a German message on the page (see
``portal.middleware.RuleViolationMiddleware`` and ``portal.views.mixins``) — never a 500.
"""

from django.utils.translation import gettext as _


class RuleViolation(Exception):
    """A business rule refused the step. ``message`` is German text for the user."""

    default_message = "Dieser Schritt ist nach den Programmregeln nicht möglich."

    def __init__(self, message: str | None = None, **details):
        self.message = str(message) if message else _(self.default_message)
        self.details = details
        super().__init__(self.message)

    def __str__(self) -> str:
        return self.message


class InvalidTransition(RuleViolation):
    """Wrong state or wrong role for a step."""

    default_message = "Dieser Schritt ist im aktuellen Status oder mit Ihrer Rolle nicht möglich."


class ContingentExhausted(RuleViolation):
    """No voucher left in the programme period."""

    default_message = "Das Kontingent an Gutscheinen für diesen Zeitraum ist ausgeschöpft."


class CapExceeded(RuleViolation):
    """A logged entry would exceed a cap; names what remains."""

    default_message = "Der Eintrag überschreitet das verfügbare Kontingent."

    def __init__(
        self,
        message: str | None = None,
        *,
        remaining_minutes: int | None = None,
        remaining_units: int | None = None,
        **details,
    ):
        self.remaining_minutes = remaining_minutes
        self.remaining_units = remaining_units
        super().__init__(message, **details)
