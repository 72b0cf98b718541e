"""The work-floor pages in Chromium (issues 15, 17, 18): the municipality books a sparring
slot and the facilitator marks it held; the team marks a milestone of the process plan done and
the partner registers for a network meeting; the office downloads a case's audit folder. Each
new page is checked with axe-core."""

from __future__ import annotations

import datetime as dt
import io
import zipfile

import pytest
from django.urls import reverse
from django.utils import timezone

from appointments.models import Appointment
from appointments.services import publish_slot
from programme_work.models import Milestone, Participation
from programme_work.services.events import create_event, invite_partners
from programme_work.services.plans import plan_for
from sessions_log.models import SessionEntry
from tests.factories import (
    FacilitatorFactory,
    OperatorFactory,
    OrganisationFactory,
    ProgrammeFactory,
    UserFactory,
    VoucherFactory,
)

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _next_weekday_at(hour: int) -> dt.datetime:
    day = timezone.localdate() + dt.timedelta(days=2)
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return timezone.make_aware(dt.datetime.combine(day, dt.time(hour, 0)))


def test_a_slot_is_booked_and_held(browser):
    programme = ProgrammeFactory(kind="virtuell")
    organisation = OrganisationFactory(approved=True)
    voucher = VoucherFactory(
        organisation=organisation,
        programme=programme,
        issued_at=timezone.now() - dt.timedelta(days=30),
    )
    partner = FacilitatorFactory()
    slot = publish_slot(by=partner.user, programme=programme, starts_at=_next_weekday_at(10))
    member = organisation.members.get()

    browser.login(member)
    browser.get(reverse("appointments:calendar") + f"?woche={slot.starts_at.date().isoformat()}")
    assert "Sparring" in browser.text()
    browser.assert_accessible("Sparring-Kalender (Kommune)")
    browser.submit(f"form[action='{reverse('appointments:book', args=[slot.pk])}'] [type=submit]")
    appointment = Appointment.objects.get(slot=slot)
    assert appointment.status == Appointment.Status.BOOKED
    assert partner in voucher.facilitators.all()

    # The hour has passed: the facilitator confirms it took place.
    later = timezone.now() - dt.timedelta(days=1)
    type(slot).objects.filter(pk=slot.pk).update(
        starts_at=later, ends_at=later + dt.timedelta(hours=1)
    )
    Appointment.objects.filter(pk=appointment.pk).update(starts_at=later)
    browser.login(partner.user)
    browser.get(reverse("appointments:calendar"))
    browser.assert_accessible("Sparring-Kalender (Prozessbegleiter*in)")
    browser.submit(
        f"form[action='{reverse('appointments:held', args=[appointment.pk])}'] [type=submit]"
    )
    appointment.refresh_from_db()
    assert appointment.status == Appointment.Status.HELD
    entry = SessionEntry.objects.get(voucher=voucher)
    assert (entry.minutes, entry.units, entry.activity) == (60, 1, "sparring")


def test_a_milestone_is_done_and_a_partner_registers_for_a_meeting(browser):
    operator = OperatorFactory(name="Führungsakademie")
    programme = ProgrammeFactory(kind="begleitprozess", operator=operator)
    team = [FacilitatorFactory(), FacilitatorFactory()]
    case = VoucherFactory(programme=programme, status="active", facilitators=team)
    office = UserFactory(role="office", operators=[operator])
    plan = plan_for(case)
    milestone = plan.milestones.order_by("position", "pk").first()

    browser.login(team[0].user)
    browser.get(reverse("programme_work:plan", args=[case.pk]))
    browser.assert_accessible("Prozessplan (Team)")
    browser.get(reverse("programme_work:milestone_done", args=[milestone.pk]))
    browser.assert_accessible("Meilenstein abhaken")
    browser.fill("#id_done_on", timezone.localdate().strftime("%d.%m.%Y"))
    browser.fill("#id_note", "Gespräch mit der Bürgermeisterin geführt.")
    browser.submit("main form [type=submit]")
    milestone.refresh_from_db()
    assert milestone.status == Milestone.Status.DONE

    start = timezone.now() + dt.timedelta(days=14)
    event = create_event(
        programme,
        by=office,
        title="Netzwerktreffen Frühjahr",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=6),
        place="Stuttgart",
        registration_deadline=start - dt.timedelta(days=2),
    )
    invite_partners(event, by=office)
    member = case.organisation.members.get()
    browser.login(member)
    browser.get(reverse("programme_work:event_detail", args=[event.pk]))
    browser.assert_accessible("Netzwerktreffen (Partner)")
    browser.find("input[name=response][value=registered]").click()
    browser.submit("main form [type=submit]")
    participation = Participation.objects.get(event=event, voucher=case)
    assert participation.response == Participation.Response.REGISTERED


def test_the_office_downloads_the_audit_folder(browser, live_server):
    programme = ProgrammeFactory()
    office = UserFactory(role="office", operators=[programme.operator])
    case = VoucherFactory(programme=programme, status="active", facilitators=[FacilitatorFactory()])
    browser.login(office)
    browser.get(case.get_absolute_url())
    browser.assert_accessible("Fallseite mit Nachweisen")
    link = browser.find(f"a[href='{reverse('agreements:audit_folder', args=[case.pk])}']")
    assert link.is_displayed()
    # The download itself, in the browser with its session: a ZIP whose manifest is inside.
    size, head, kind = browser.driver.execute_async_script(
        """
        const done = arguments[arguments.length - 1];
        fetch(arguments[0], {credentials: "same-origin"})
          .then(r => r.arrayBuffer().then(b => done([b.byteLength,
              Array.from(new Uint8Array(b.slice(0, 2))), r.headers.get("Content-Type")])))
          .catch(e => done([0, [], String(e)]));
        """,
        link.get_attribute("href"),
    )
    assert size > 0
    assert head == [0x50, 0x4B], "a ZIP starts with PK"
    assert kind == "application/zip"
    from django.test import Client

    client = Client()
    client.force_login(office)
    response = client.get(reverse("agreements:audit_folder", args=[case.pk]))
    data = b"".join(response.streaming_content) if response.streaming else response.content
    names = zipfile.ZipFile(io.BytesIO(data)).namelist()
    assert "MANIFEST.sha256" in names


def test_the_new_office_pages_are_accessible(browser):
    """axe-core on the office's new pages: inbox and outbox, the sparring bookings, process
    plans and meetings with attendance, the allocation log; and the hours to confirm."""
    operator = OperatorFactory(name="Führungsakademie")
    process = ProgrammeFactory(kind="begleitprozess", operator=operator)
    sparring = ProgrammeFactory(kind="virtuell", operator=operator)
    team = [FacilitatorFactory(), FacilitatorFactory()]
    case = VoucherFactory(programme=process, status="active", facilitators=team)
    plan_for(case)
    office = UserFactory(role="office", operators=[operator])
    start = timezone.now() + dt.timedelta(days=10)
    event = create_event(
        process,
        by=office,
        title="Transferworkshop",
        starts_at=start,
        ends_at=start + dt.timedelta(hours=4),
        place="Karlsruhe",
    )
    from sessions_log.services import log_session

    log_session(
        case,
        by=team[0].user,
        date=timezone.localdate(),
        minutes=90,
        activity="workshop",
        format="vor_ort",
    )
    browser.login(office)
    pages = [
        ("Eingang", reverse("inbox")),
        ("Postausgang", reverse("outbox")),
        ("Sparring-Buchungen", reverse("appointments:office") + f"?programm={sparring.pk}"),
        ("Prozesspläne", reverse("programme_work:progress")),
        ("Anwesenheit", reverse("programme_work:attendance", args=[process.pk])),
        ("Veranstaltungen", reverse("programme_work:events")),
        ("Neue Veranstaltung", reverse("programme_work:event_create")),
        ("Veranstaltung (Büro)", reverse("programme_work:event_detail", args=[event.pk])),
        ("Vergabeprotokoll (Büro)", reverse("allocation_log:detail", args=[process.slug])),
    ]
    problems = []
    for name, url in pages:
        browser.get(url)
        assert browser.find("h1").text, f"{name}: no heading ({browser.path})"
        try:
            browser.assert_accessible(name)
        except AssertionError as exc:
            problems.append(str(exc))
    browser.login(case.organisation.members.get())
    browser.get(reverse("sessions_log:confirm_hours"))
    try:
        browser.assert_accessible("Stunden bestätigen")
    except AssertionError as exc:
        problems.append(str(exc))
    assert not problems, "\n\n".join(problems)
