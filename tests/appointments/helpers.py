"""Reading the ICS attachment of a sent email back with ``icalendar``."""

from __future__ import annotations

from icalendar import Calendar


def ics_of(message) -> Calendar:
    """The calendar attached to ``message`` (Django ``EmailMessage`` or a parsed email)."""
    if hasattr(message, "attachments"):  # django.core.mail
        for part in message.attachments:
            if (
                getattr(part, "get_content_type", None)
                and part.get_content_type() == "text/calendar"
            ):
                return Calendar.from_ical(part.get_payload(decode=True))
        raise AssertionError("no text/calendar attachment")
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            return Calendar.from_ical(part.get_payload(decode=True))
    raise AssertionError("no text/calendar attachment")


def event_of(calendar: Calendar):
    [event] = calendar.walk("VEVENT")
    return event
