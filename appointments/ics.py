"""iCalendar files of the sparring calendar (``icalendar``): invitations with a stable UID
per appointment (METHOD:REQUEST, then METHOD:CANCEL with the same UID) and private feeds.
Times go out in Europe/Berlin with its VTIMEZONE, so calendar apps place them right across
the daylight-saving change."""

from __future__ import annotations

import zoneinfo
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, vCalAddress, vText

from appointments.models import Appointment

PRODID = "-//Portal Prozessbegleitung//Sparring-Kalender//DE"


def local(value):
    """Europe/Berlin (the portal's time zone) — what the calendar apps are sent."""
    return value.astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE))


def uid_of(appointment: Appointment) -> str:
    """Stable for the appointment's whole life: the same UID cancels what it invited."""
    host = urlsplit(settings.SITE_URL).hostname or "portal.invalid"
    return f"{appointment.uid}@{host}"


def _address(email: str, name: str, role: str | None = None) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    address.params["cn"] = vText(name)
    if role:
        address.params["role"] = vText(role)
        address.params["partstat"] = vText("ACCEPTED")
    return address


def _summary(appointment: Appointment) -> str:
    return f"Sparring: {appointment.organisation.name} / {appointment.facilitator.name}"


def event_for(appointment: Appointment, *, cancelled: bool = False) -> Event:
    slot = appointment.slot
    event = Event()
    event.add("uid", uid_of(appointment))
    event.add("dtstamp", timezone.now())
    event.add("dtstart", local(slot.starts_at))
    event.add("dtend", local(slot.ends_at))
    event.add("summary", _summary(appointment))
    # A cancellation must win over the invitation in every client: a higher SEQUENCE.
    event.add("sequence", 1 if cancelled else 0)
    event.add("status", "CANCELLED" if cancelled else "CONFIRMED")
    if slot.format == "video":
        event.add("location", slot.video_link or "Video")
        if slot.video_link:
            event.add("url", slot.video_link)
        description = f"Videokonferenz: {slot.video_link}" if slot.video_link else "Video"
    else:
        event.add("location", "Telefon")
        description = f"Telefon. {slot.phone_note}".strip()
    event.add("description", description)
    facilitator = appointment.facilitator.user
    event.add(
        "organizer", _address(facilitator.email, facilitator.get_full_name() or facilitator.email)
    )
    member = appointment.booked_by
    if member is not None and member.email:
        event.add(
            "attendee",
            _address(
                member.email,
                f"{member.get_full_name() or member.email} ({appointment.organisation.name})",
                "REQ-PARTICIPANT",
            ),
        )
    return event


def _calendar(method: str | None) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    if method:
        calendar.add("method", method)
    return calendar


def invitation(appointment: Appointment, *, method: str = "REQUEST") -> bytes:
    """The ICS attached to an invitation (``REQUEST``) or a cancellation (``CANCEL``)."""
    calendar = _calendar(method)
    calendar.add_component(event_for(appointment, cancelled=method == "CANCEL"))
    calendar.add_missing_timezones()
    return calendar.to_ical()


def feed(appointments, *, name: str) -> bytes:
    """A private feed (METHOD:PUBLISH) of ``appointments``."""
    calendar = _calendar("PUBLISH")
    calendar.add("x-wr-calname", name)
    for appointment in appointments:
        calendar.add_component(event_for(appointment))
    calendar.add_missing_timezones()
    return calendar.to_ical()
