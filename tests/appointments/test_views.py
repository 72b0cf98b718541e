"""The calendar pages end to end through the test client."""

from __future__ import annotations

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from appointments.models import Appointment, FeedToken, Slot
from appointments.services import book, feed_token_for, revoke_feed_token
from tests.appointments.conftest import future, move_to_past
from tests.factories import (
    FacilitatorFactory,
    OperatorFactory,
    OrganisationFactory,
    ProgrammeFactory,
    SlotFactory,
    UserFactory,
    VoucherFactory,
)

pytestmark = pytest.mark.django_db
CALENDAR = reverse("appointments:calendar")


def _week_param(slot) -> dict:
    day = timezone.localtime(slot.starts_at).date()
    return {"woche": (day - dt.timedelta(days=day.weekday())).isoformat()}


def test_applicant_sees_free_slots_and_units_left(client, sparring_case, make_slot):
    slot = make_slot(sparring_case["outside"])
    client.force_login(sparring_case["member"])
    response = client.get(CALENDAR, _week_param(slot))
    assert response.status_code == 200
    text = response.content.decode()
    assert "Noch 12 von 12 Einheiten frei" in text
    assert reverse("appointments:book", args=[slot.pk]) in text
    assert "Sparring-Kalender" in text  # nav link for an admitted organisation


def test_book_through_the_page(client, sparring_case, make_slot):
    slot = make_slot(sparring_case["outside"])
    client.force_login(sparring_case["member"])
    response = client.post(reverse("appointments:book", args=[slot.pk]))
    assert response.status_code == 302
    assert Appointment.objects.get().slot == slot
    again = client.post(reverse("appointments:book", args=[slot.pk]), follow=True)
    assert "bereits gebucht" in again.content.decode()
    assert Appointment.objects.count() == 1


def test_foreign_slot_is_404(client, sparring_case):
    foreign = SlotFactory(programme=ProgrammeFactory(kind="virtuell"))
    client.force_login(sparring_case["member"])
    assert client.post(reverse("appointments:book", args=[foreign.pk])).status_code == 404


def _fill(case, n):
    programme = case["programme"]
    for i in range(n):
        facilitator = FacilitatorFactory()
        slot = SlotFactory(facilitator=facilitator, programme=programme, starts_at=future(49 + i))
        if i % 3 == 0:
            other = OrganisationFactory()
            VoucherFactory(organisation=other, programme=programme)
            book(slot, by=other.members.get())
    for i in range(min(n, 5)):
        book(
            SlotFactory(programme=programme, starts_at=future(30 + i)),
            by=case["member"],
        )


def test_calendar_query_count_constant(client, sparring_case, django_assert_max_num_queries):
    client.force_login(sparring_case["member"])
    params = {"woche": (timezone.localdate() + dt.timedelta(days=2)).isoformat()}
    _fill(sparring_case, 3)
    client.get(CALENDAR, params)  # creates the feed token once
    with django_assert_max_num_queries(16) as small:
        assert client.get(CALENDAR, params).status_code == 200
    _fill(sparring_case, 30)
    with django_assert_max_num_queries(16) as large:
        response = client.get(CALENDAR, params)
    assert response.status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


def test_facilitator_page_publish_and_close(client, sparring_case, make_slot):
    facilitator = sparring_case["outside"]
    client.force_login(facilitator.user)
    assert client.get(CALENDAR).status_code == 200
    day = timezone.localdate() + dt.timedelta(days=3)
    response = client.post(
        reverse("appointments:publish"),
        {
            "programme": sparring_case["programme"].pk,
            "date": day.isoformat(),
            "time": "10:00",
            "format": "telefon",
            "phone_note": "Ich rufe Sie an.",
        },
    )
    assert response.status_code == 302
    slot = Slot.objects.get(facilitator=facilitator)
    assert timezone.localtime(slot.starts_at).time() == dt.time(10, 0)
    appointment = book(slot, by=sparring_case["member"])
    move_to_past(appointment)
    page = client.get(CALENDAR).content.decode()
    assert reverse("appointments:held", args=[appointment.pk]) in page
    client.post(reverse("appointments:held", args=[appointment.pk]), {"notes": "gut"})
    appointment.refresh_from_db()
    assert appointment.status == "held"
    assert appointment.session_entry.notes == "gut"


def test_series_through_the_page(client, facilitator, virtual_programme):
    client.force_login(facilitator.user)
    first = timezone.localdate() + dt.timedelta(days=1)
    response = client.post(
        reverse("appointments:publish_series"),
        {
            "programme": virtual_programme.pk,
            "first_day": first.isoformat(),
            "last_day": (first + dt.timedelta(days=13)).isoformat(),
            "weekdays": ["1", "3"],
            "time": "14:00",
            "exceptions": "",
            "format": "video",
        },
    )
    assert response.status_code == 302
    assert Slot.objects.filter(facilitator=facilitator).count() == 4


def test_feed_needs_a_valid_token_and_lists_only_own(client, sparring_case, make_slot):
    case = sparring_case
    mine = book(make_slot(case["outside"]), by=case["member"])
    other = OrganisationFactory()
    VoucherFactory(organisation=other, programme=case["programme"])
    theirs = book(make_slot(case["outside"]), by=other.members.get())
    token = feed_token_for(case["member"])
    response = client.get(reverse("appointments:feed", args=[token.token]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    uids = [str(e["uid"]) for e in Calendar.from_ical(response.content).walk("VEVENT")]
    assert len(uids) == 1
    assert uids[0].startswith(str(mine.uid))
    assert not any(u.startswith(str(theirs.uid)) for u in uids)
    # The facilitator's feed has both.
    facilitator_feed = feed_token_for(case["outside"].user)
    body = client.get(reverse("appointments:feed", args=[facilitator_feed.token])).content
    assert len(Calendar.from_ical(body).walk("VEVENT")) == 2

    assert client.get(reverse("appointments:feed", args=["falsch"])).status_code == 404
    new = revoke_feed_token(by=case["member"])
    assert client.get(reverse("appointments:feed", args=[token.token])).status_code == 404
    assert client.get(reverse("appointments:feed", args=[new.token])).status_code == 200
    assert FeedToken.objects.filter(organisation=case["voucher"].organisation).count() == 2


def test_office_view_scoped_and_csv(client, sparring_case, make_slot):
    case = sparring_case
    book(make_slot(case["outside"]), by=case["member"])
    make_slot(case["outside"])  # offered, not booked
    office = UserFactory(role="office", operators=[case["programme"].operator])
    client.force_login(office)
    response = client.get(reverse("appointments:office"))
    assert response.status_code == 200
    assert response.context["weeks"][0]["booked"] == 1
    assert response.context["utilisation"][0]["percent"] == 50  # 1 of 2 slots booked
    csv = client.get(reverse("appointments:office_csv"))
    assert csv.status_code == 200
    assert "Woche ab" in csv.content.decode("utf-8-sig")
    # Another operator's staff: sees nothing and gets a 404 for the programme.
    stranger = UserFactory(role="office", operators=[OperatorFactory()])
    client.force_login(stranger)
    assert client.get(reverse("appointments:office")).context["weeks"] == []
    url = reverse("appointments:office") + f"?programm={case['programme'].pk}"
    assert client.get(url).status_code == 404


def test_applicant_cannot_reach_office_view(client, sparring_case):
    client.force_login(sparring_case["member"])
    assert client.get(reverse("appointments:office")).status_code == 403
