"""Network meetings, transfer workshops and workshops (M34): created and announced by the
office, answered by the partners, attendance recorded by the office after the event.

Partners of a programme: the organisations with an admitted open case in it. Each contact of
such an organisation (its applicant members with an email, plus the fixed contact person in
the administration) gets exactly one invitation per event: the invitation rows are created in
the office's transaction, the Celery task sends them after commit and claims each row with a
conditional UPDATE before sending (a repeated or duplicated task finds nothing to send)."""

from __future__ import annotations

import datetime as dt
import logging
from email.mime.text import MIMEText

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit import log_action
from portal.errors import InvalidTransition, RuleViolation
from portal.notifications import build_mail
from portal.scoping import require_office_for
from portal.tasking import task
from programme_work import ics
from programme_work.models import Event, EventInvitation, Participation
from programme_work.services.common import clean_text
from vouchers.models import Voucher

logger = logging.getLogger(__name__)
P = Participation
MAX_PERSONS = 20
# The event row is the capacity's lock. Tests switch it off (and hold writers after counting
# via ``_after_count``) to show that the race is real without it.
LOCK_EVENT_ROW = True


def _after_count() -> None:
    """Test hook between counting the places and taking one."""


def _validate(starts_at, ends_at, capacity, registration_deadline) -> None:
    if not starts_at or not ends_at or ends_at <= starts_at:
        raise RuleViolation(_("Das Ende muss nach dem Beginn liegen."))
    if capacity is not None and not 1 <= capacity <= 10000:
        raise RuleViolation(_("Bitte geben Sie eine Platzzahl zwischen 1 und 10000 an."))
    if registration_deadline and registration_deadline > starts_at:
        raise RuleViolation(_("Der Anmeldeschluss muss vor dem Beginn liegen."))


def create_event(
    programme,
    *,
    by,
    title: str,
    starts_at: dt.datetime,
    ends_at: dt.datetime,
    kind: str = Event.Kind.NETWORK,
    place: str = "",
    video_link: str = "",
    description: str = "",
    mandatory: bool = True,
    capacity: int | None = None,
    registration_deadline: dt.datetime | None = None,
) -> Event:
    """Office of the programme's operator: a new event of the programme."""
    require_office_for(by, programme)
    title = clean_text(title, limit=200)
    if not title:
        raise RuleViolation(_("Bitte geben Sie einen Titel an."))
    if kind not in Event.Kind.values:
        raise RuleViolation(_("Unbekannte Art der Veranstaltung."))
    _validate(starts_at, ends_at, capacity, registration_deadline)
    with transaction.atomic():
        event = Event.objects.create(
            programme=programme,
            title=title,
            kind=kind,
            starts_at=starts_at,
            ends_at=ends_at,
            place=clean_text(place, limit=300),
            video_link=clean_text(video_link, limit=200),
            description=clean_text(description, limit=4000),
            mandatory=mandatory,
            capacity=capacity,
            registration_deadline=registration_deadline,
            created_by=by,
        )
        log_action(by, "event.created", event, data={"title": title, "mandatory": mandatory})
    return event


def partner_cases(programme):
    """The admitted open cases of the programme, with what the invitations need."""
    return (
        Voucher.objects.filter(programme=programme, status__in=Voucher.OPEN_STATUSES)
        .select_related("organisation", "application__administration_contact")
        .order_by("organisation__name", "pk")
    )


def contacts_of(voucher: Voucher, members_by_org: dict) -> list[tuple[str, str]]:
    """(email, name) of each contact of the case's organisation, without duplicates."""
    found = [(u.email, u.get_full_name()) for u in members_by_org.get(voucher.organisation_id, [])]
    contact = (
        getattr(voucher.application, "administration_contact", None)
        if voucher.application_id
        else None
    )
    if contact is not None:
        found.append((contact.email, contact.name))
    seen: set[str] = set()
    result = []
    for email, name in found:
        email = (email or "").strip()
        if email and email.lower() not in seen:
            seen.add(email.lower())
            result.append((email, name))
    return result


def invite_partners(event: Event, *, by) -> int:
    """Office: invite every partner of the programme (new partners only on a second call).
    The emails leave after commit by Celery. Returns the number of new invitations."""
    from portal.models import User

    require_office_for(by, event.programme)
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if locked.cancelled:
            raise InvalidTransition(_("Die Veranstaltung ist abgesagt."))
        if locked.ends_at <= timezone.now():
            raise InvalidTransition(_("Die Veranstaltung ist bereits vorbei."))
        cases = list(partner_cases(locked.programme))
        members_by_org: dict[int, list] = {}
        for member in User.objects.filter(
            organisation_id__in={c.organisation_id for c in cases},
            role=User.Role.APPLICANT,
            is_active=True,
        ).exclude(email=""):
            members_by_org.setdefault(member.organisation_id, []).append(member)
        existing = {p.organisation_id: p for p in Participation.objects.filter(event=locked)}
        known = set(
            EventInvitation.objects.filter(participation__event=locked).values_list(
                "participation_id", "email"
            )
        )
        created = 0
        for case in cases:
            participation = existing.get(case.organisation_id)
            if participation is None:
                participation = Participation.objects.create(
                    event=locked, organisation_id=case.organisation_id, voucher=case
                )
                existing[case.organisation_id] = participation
            for email, name in contacts_of(case, members_by_org):
                if (participation.pk, email) in known:
                    continue
                EventInvitation.objects.create(
                    participation=participation, email=email, name=name[:200]
                )
                known.add((participation.pk, email))
                created += 1
        locked.invited_at = timezone.now()
        locked.save(update_fields=["invited_at"])
        log_action(by, "event.invited", locked, data={"new_invitations": created})
        event_id = locked.pk
        transaction.on_commit(
            lambda: task("programme_work.tasks.send_event_invitations").delay(event_id=event_id)
        )
    event.invited_at = locked.invited_at
    return created


def _attachment(event: Event, invitation: EventInvitation) -> MIMEText:
    body = ics.invitation(event, attendee_email=invitation.email, attendee_name=invitation.name)
    part = MIMEText(body.decode("utf-8"), "calendar", "utf-8")
    part.set_param("method", "REQUEST")
    part.add_header("Content-Disposition", "attachment", filename="einladung.ics")
    return part


def send_invitations(event_id: int) -> int:
    """Send every invitation of the event not sent yet, each exactly once. Returns how many
    this run sent; an SMTP error gives the row back and propagates (the task retries)."""
    event = Event.objects.select_related("programme__operator").filter(pk=event_id).first()
    if event is None:
        return 0
    pending = list(
        EventInvitation.objects.filter(participation__event=event, sent_at__isnull=True)
        .select_related("participation__organisation")
        .order_by("pk")
    )
    sent = 0
    for invitation in pending:
        claimed = EventInvitation.objects.filter(pk=invitation.pk, sent_at__isnull=True).update(
            sent_at=timezone.now()
        )
        if claimed != 1:
            continue
        try:
            context = {
                "event": event,
                "programme": event.programme,
                "operator": event.programme.operator,
                "invitation": invitation,
                "organisation": invitation.participation.organisation,
            }
            message = build_mail("event_invitation", [invitation.email], context)
            message.attach(_attachment(event, invitation))
            sent += message.send()
        except Exception:
            EventInvitation.objects.filter(pk=invitation.pk).update(sent_at=None)
            raise
    return sent


def _participation_for(event: Event, by) -> Participation:
    if getattr(by, "role", None) != "applicant" or not by.organisation_id:
        raise InvalidTransition(_("Nur eingeladene Partnerorganisationen können sich anmelden."))
    participation = Participation.objects.filter(
        event=event, organisation_id=by.organisation_id
    ).first()
    if participation is None:
        raise InvalidTransition(
            _("Ihre Organisation ist zu dieser Veranstaltung nicht eingeladen.")
        )
    return participation


def respond(
    event: Event, *, by, response: str, reason: str = "", persons: int = 1
) -> Participation:
    """A member of an invited organisation registers (within capacity and deadline) or
    excuses the organisation with a reason. The event row is the capacity's lock."""
    if response not in (P.Response.REGISTERED, P.Response.EXCUSED):
        raise RuleViolation(_("Bitte wählen Sie Anmeldung oder Entschuldigung."))
    reason = clean_text(reason, limit=2000)
    if response == P.Response.EXCUSED and not reason:
        raise RuleViolation(_("Bitte nennen Sie den Grund Ihrer Entschuldigung."))
    if not 1 <= int(persons) <= MAX_PERSONS:
        raise RuleViolation(
            _("Bitte melden Sie zwischen 1 und %(max)s Personen an.") % {"max": MAX_PERSONS}
        )
    _participation_for(event, by)
    with transaction.atomic():
        events_qs = Event.objects.select_for_update() if LOCK_EVENT_ROW else Event.objects
        locked = events_qs.get(pk=event.pk)
        if not locked.registration_open:
            raise RuleViolation(
                _("Die Anmeldung ist geschlossen (Anmeldeschluss: %(deadline)s).")
                % {
                    "deadline": timezone.localtime(
                        locked.registration_deadline or locked.starts_at
                    ).strftime("%d.%m.%Y %H:%M")
                }
            )
        participation = Participation.objects.get(event=locked, organisation_id=by.organisation_id)
        if response == P.Response.REGISTERED and participation.response != P.Response.REGISTERED:
            taken = Participation.objects.filter(
                event=locked, response=P.Response.REGISTERED
            ).count()
            if locked.capacity is not None and taken >= locked.capacity:
                raise RuleViolation(
                    _("Die Veranstaltung ist ausgebucht: alle %(capacity)s Plätze sind vergeben.")
                    % {"capacity": locked.capacity}
                )
            _after_count()
        before = participation.response
        participation.response = response
        participation.reason = reason if response == P.Response.EXCUSED else ""
        participation.persons = int(persons)
        participation.responded_at = timezone.now()
        participation.responded_by = by
        participation.save()
        log_action(
            by,
            "event.booked" if response == P.Response.REGISTERED else "event.declined",
            locked,
            from_state=before,
            to_state=response,
            reason=participation.reason,
            data={"organisation": by.organisation_id, "persons": participation.persons},
        )
    return participation


def record_attendance(event: Event, *, by, attendance: dict[int, str]) -> int:
    """Office, once the event has begun: attendance per partner organisation
    (``{organisation_id: "present" | "excused" | "absent" | ""}``). Returns rows changed."""
    require_office_for(by, event.programme)
    allowed = set(P.Attendance.values)
    if any(value not in allowed for value in attendance.values()):
        raise RuleViolation(_("Unbekannter Anwesenheitsstatus."))
    with transaction.atomic():
        locked = Event.objects.select_for_update().get(pk=event.pk)
        if locked.starts_at > timezone.now():
            raise InvalidTransition(
                _("Die Anwesenheit kann erst ab Beginn der Veranstaltung erfasst werden.")
            )
        changed = {}
        now = timezone.now()
        for participation in Participation.objects.filter(
            event=locked, organisation_id__in=list(attendance)
        ):
            value = attendance[participation.organisation_id]
            if participation.attendance != value:
                changed[participation.organisation_id] = [participation.attendance, value]
                participation.attendance = value
                participation.recorded_at, participation.recorded_by = now, by
                participation.save(update_fields=["attendance", "recorded_at", "recorded_by"])
        if changed:
            log_action(by, "event.held", locked, data={"attendance": changed})
    return len(changed)


def add_participant(event: Event, *, by, voucher: Voucher) -> Participation:
    """Office: add one partner case to an event by hand (e.g. admitted after the invitation)."""
    require_office_for(by, event.programme)
    if voucher.programme_id != event.programme_id:
        raise RuleViolation(_("Der Fall gehört zu einem anderen Programm."))
    try:
        with transaction.atomic():
            return Participation.objects.create(
                event=event, organisation_id=voucher.organisation_id, voucher=voucher
            )
    except IntegrityError:
        return Participation.objects.get(event=event, organisation_id=voucher.organisation_id)
