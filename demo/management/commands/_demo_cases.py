"""Cases of the demo: applications and vouchers in every state, written with the ORM, dated in
the past, each with its audit rows (a mixin of the ``seed_demo`` command)."""

from __future__ import annotations

import datetime as dt
import itertools
import re

from portal.models import AuditEntry, Organisation, Programme, User
from sessions_log.models import SessionEntry
from vouchers.models import Application, Voucher

from . import _demo_data as demo
from . import _demo_programmes as platform

A = Application.Status
V = Voucher.Status
_CODE_TAIL = re.compile(r"-(\d+)$")
VOUCHER_STEPS = [
    V.ISSUED,
    V.ACTIVE,
    V.CLOSING_REQUESTED,
    V.CLOSED,
    V.FEEDBACK_SENT,
    V.FEEDBACK_RECEIVED,
]
FEEDBACK_STATUS = {V.FEEDBACK_SENT: "sent", V.FEEDBACK_RECEIVED: "answered"}


def audit(actor, action, target, when, from_state="", to_state="", *, reason="", data=None):
    from django.contrib.contenttypes.models import ContentType

    AuditEntry.objects.create(
        actor=actor,
        action=action,
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        from_state=from_state,
        to_state=to_state,
        reason=reason,
        data={"demo": True, **(data or {})},
        created_at=when,
    )


class CasesMixin:
    """Needs ``now``, ``today``, ``programmes``, ``facilitators`` and ``_office_of``."""

    def _application(self, org: Organisation, step: dict) -> Application:
        programme = self.programmes[step["programme"]]
        office = self._office_of(programme)
        contact = org.members.filter(role=User.Role.APPLICANT).order_by("pk").first()
        status = step["status"]
        n = Application.objects.count()
        challenge, goals = demo.CHALLENGES[n % len(demo.CHALLENGES)]
        days_ago = step.get("days_ago", 1)
        created_at = self.now - dt.timedelta(days=days_ago + 2)
        submitted_at = None if status == A.DRAFT else self.now - dt.timedelta(days=days_ago)
        decided_at = None
        if status in (A.APPROVED, A.REJECTED, A.WAITLISTED):
            decided_at = submitted_at + dt.timedelta(days=min(7, days_ago))
        follow_up_of = None
        if step.get("follow_up"):
            follow_up_of = org.vouchers.filter(programme=programme).order_by("-issued_at").first()
        preferred = self.facilitators.get(step.get("preferred", ""))
        app = Application.objects.create(
            organisation=org,
            programme=programme,
            status=status,
            topics_other="",
            challenge=challenge,
            goals=goals,
            desired_start=self.today + dt.timedelta(days=30),
            desired_end=self.today + dt.timedelta(days=240),
            desired_format="digital" if programme.kind == "virtuell" else "gemischt",
            preferred_facilitator=preferred,
            contact_name=f"{contact.first_name} {contact.last_name}",
            contact_email=contact.email,
            contact_phone="0123 456789",
            consent=True,
            follow_up_of=follow_up_of,
            created_by=contact,
            submitted_at=submitted_at,
            decided_at=decided_at,
            decided_by=office if decided_at else None,
            decision_reason=(
                "Das Vorhaben passt nicht zu den Zielen des Programms: es geht um eine "
                "Schulung, nicht um eine Prozessbegleitung."
                if status == A.REJECTED
                else ""
            ),
        )
        Application.objects.filter(pk=app.pk).update(created_at=created_at)
        app.topics.set(programme.topics.order_by("order")[n % 3 : n % 3 + 2])
        audit(contact, "application.created", app, created_at, to_state=A.DRAFT)
        if submitted_at:
            audit(contact, "application.submitted", app, submitted_at, A.DRAFT, A.SUBMITTED)
        if status == A.IN_REVIEW:
            audit(
                office,
                "application.review_started",
                app,
                submitted_at + dt.timedelta(days=1),
                A.SUBMITTED,
                A.IN_REVIEW,
            )
        elif status == A.WITHDRAWN:
            audit(
                contact,
                "application.withdrawn",
                app,
                submitted_at + dt.timedelta(days=1),
                A.SUBMITTED,
                A.WITHDRAWN,
            )
        elif decided_at:
            audit(
                office,
                f"application.{status}",
                app,
                decided_at,
                A.SUBMITTED,
                status,
                reason=app.decision_reason,
            )
        if status == A.APPROVED:
            self._voucher(org, programme, step["voucher"], decided_at, application=app)
        return app

    def _site(self, org: Organisation, step: dict) -> Voucher:
        """A site admitted to the Entwicklungswerkstatt through its call: a case without an
        Antrag (the call itself is a later feature)."""
        programme = self.programmes[step["programme"]]
        spec = {
            "status": step["site"],
            "facilitators": platform.WERKSTATT_TEAM,
            "sessions": platform.WERKSTATT_SESSIONS if step["site"] != V.ISSUED else [],
        }
        issued_at = self.now - dt.timedelta(days=step["days_ago"])
        return self._voucher(org, programme, spec, issued_at, application=None)

    def _next_code(self, programme: Programme, period) -> str:
        prefix = f"{programme.code_prefix}-{period.start.year}-"
        codes = Voucher.objects.filter(code__startswith=prefix).values_list("code", flat=True)
        numbers = [int(m.group(1)) for c in codes if (m := _CODE_TAIL.search(c))]
        return f"{prefix}{max(numbers, default=0) + 1:04d}"

    def _voucher(
        self, org: Organisation, programme: Programme, spec: dict, issued_at, *, application
    ) -> Voucher:
        office = self._office_of(programme)
        period = programme.current_period()
        target = spec["status"]
        reached = VOUCHER_STEPS[: VOUCHER_STEPS.index(target) + 1]
        valid_until = issued_at.date() + dt.timedelta(days=programme.voucher_validity_days)
        for end in (programme.offer_ends, programme.project_end):
            if end:
                valid_until = min(valid_until, end)
        activated_at = issued_at + dt.timedelta(days=10) if V.ACTIVE in reached else None
        sessions = spec.get("sessions", [])
        last_session = max((s[3] for s in sessions), default=0)
        end_of_work = (activated_at or issued_at) + dt.timedelta(days=last_session + 5)
        closing_requested_at = end_of_work if V.CLOSING_REQUESTED in reached else None
        closed_at = end_of_work + dt.timedelta(days=4) if V.CLOSED in reached else None
        voucher = Voucher.objects.create(
            code=self._next_code(programme, period),
            application=application,
            organisation=org,
            programme=programme,
            period=period,
            status=target,
            cap_minutes=programme.cap_minutes,
            cap_units=programme.cap_units,
            cap_units_in_process=programme.cap_units_in_process,
            valid_until=valid_until,
            issued_at=issued_at,
            issued_by=office,
            activated_at=activated_at,
            closing_requested_at=closing_requested_at,
            closing_report=(
                "Die Steuergruppe arbeitet mit klaren Rollen; das Leitbild ist beschlossen."
                if closing_requested_at
                else ""
            ),
            closed_at=closed_at,
            closed_by=office if closed_at else None,
            feedback_status=FEEDBACK_STATUS.get(target, ""),
        )
        profiles = [self.facilitators[k] for k in spec["facilitators"]]
        voucher.facilitators.set(profiles)
        audit(
            office,
            "voucher.issued",
            voucher,
            issued_at,
            to_state=V.ISSUED,
            data={"code": voucher.code},
        )
        times = {
            V.ACTIVE: activated_at,
            V.CLOSING_REQUESTED: closing_requested_at,
            V.CLOSED: closed_at,
            V.FEEDBACK_SENT: closed_at and closed_at + dt.timedelta(minutes=5),
            V.FEEDBACK_RECEIVED: closed_at and closed_at + dt.timedelta(days=6),
        }
        for before, after in itertools.pairwise(reached):
            actor = office if after in (V.ACTIVE, V.CLOSED) else None
            if after == V.CLOSING_REQUESTED:
                actor = profiles[0].user
            audit(actor, f"voucher.{after}", voucher, times[after], before, after)
        in_process = self._in_process(org, programme)
        for i, (activity, minutes, fmt, offset) in enumerate(sessions):
            day = min((activated_at or issued_at).date() + dt.timedelta(days=offset), self.today)
            profile = profiles[i % len(profiles)]
            SessionEntry.objects.create(
                with_facilitator_in_process=programme.is_virtual and profile.pk in in_process,
                voucher=voucher,
                facilitator=profile,
                date=day,
                minutes=minutes,
                units=minutes // programme.unit_minutes if programme.unit_minutes else 0,
                activity=activity,
                format=fmt,
                participants=8 + i * 3 if fmt == "vor_ort" else None,
                notes="Ergebnisse im Protokoll festgehalten; nächste Schritte vereinbart.",
                created_by=profile.user,
            )
        return voucher

    def _in_process(self, org: Organisation, programme: Programme) -> set[int]:
        """Facilitators accompanying the organisation's process (rule 5): assigned to an open
        case of it in another programme of the same operator, not a sparring one."""
        return set(
            Voucher.objects.filter(
                organisation=org,
                programme__operator=programme.operator_id,
                status__in=Voucher.OPEN_STATUSES,
            )
            .exclude(programme=programme)
            .exclude(programme__kind=Programme.Kind.VIRTUELL)
            .values_list("facilitators", flat=True)
        ) - {None}
