"""The ICS attached to a meeting invitation (``icalendar``): one stable UID per event, the
operator's office as organiser, the invited contact as attendee, times in Europe/Berlin with
its VTIMEZONE."""

from __future__ import annotations

import zoneinfo
from urllib.parse import urlsplit

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, vCalAddress, vText
from icalendar import Event as IcsEvent

from programme_work.models import Event

PRODID = "-//Portal Prozessbegleitung//Netzwerktreffen//DE"


def _berlin(value):
    return value.astimezone(zoneinfo.ZoneInfo(settings.TIME_ZONE))


def uid_of(event: Event) -> str:
    host = urlsplit(settings.SITE_URL).hostname or "portal.invalid"
    return f"event-{event.uid}@{host}"


def _address(email: str, name: str) -> vCalAddress:
    address = vCalAddress(f"mailto:{email}")
    address.params["cn"] = vText(name)
    return address


def invitation(event: Event, *, attendee_email: str = "", attendee_name: str = "") -> bytes:
    """METHOD:REQUEST with the event; ``event.programme.operator`` must be loaded."""
    operator = event.programme.operator
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("method", "REQUEST")
    item = IcsEvent()
    item.add("uid", uid_of(event))
    item.add("dtstamp", timezone.now())
    item.add("dtstart", _berlin(event.starts_at))
    item.add("dtend", _berlin(event.ends_at))
    item.add("summary", event.title)
    item.add("sequence", 0)
    item.add("status", "CANCELLED" if event.cancelled else "CONFIRMED")
    location = event.place or event.video_link
    if location:
        item.add("location", location)
    if event.video_link:
        item.add("url", event.video_link)
    item.add("description", event.description or event.title)
    item.add(
        "organizer",
        _address(operator.notification_address, operator.office_name or operator.name),
    )
    if attendee_email:
        attendee = _address(attendee_email, attendee_name or attendee_email)
        attendee.params["role"] = vText("REQ-PARTICIPANT" if event.mandatory else "OPT-PARTICIPANT")
        attendee.params["partstat"] = vText("NEEDS-ACTION")
        item.add("attendee", attendee)
    calendar.add_component(item)
    calendar.add_missing_timezones()
    return calendar.to_ical()
