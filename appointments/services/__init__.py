"""Services of the sparring calendar (DESIGN.md rule 12). Views, tasks and the demo call
these; each checks role and state, takes its locks and writes the audit row."""

from appointments.services.booking import (
    book,
    cancel_appointment,
    mark_held,
    mark_no_show,
    reschedule,
)
from appointments.services.feeds import feed_token_for, revoke_feed_token
from appointments.services.slots import (
    publish_series,
    publish_slot,
    update_calendar_settings,
    withdraw_slot,
)

__all__ = [
    "book",
    "cancel_appointment",
    "feed_token_for",
    "mark_held",
    "mark_no_show",
    "publish_series",
    "publish_slot",
    "reschedule",
    "revoke_feed_token",
    "update_calendar_settings",
    "withdraw_slot",
]
