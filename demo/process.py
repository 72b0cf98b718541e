"""Demo data of the accompanied process (issue 15): the FüAk's admitted cases get process
plans in several stages (some milestones done, dates planned, one overdue, one dropped),
project groups, two held network meetings with attendance and one upcoming; one open Antrag
gets its contact person and council decision so that the office can admit it.
Idempotent: each part is skipped when it exists."""

from __future__ import annotations

import datetime as dt
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from portal.models import Programme, User
from programme_work.models import CouncilDecision, Event, GroupMember, Milestone, Participation
from programme_work.services import admission, events, groups, plans
from vouchers.models import Application, Voucher

SLUG = "integration-durch-be"
MEETINGS = [
    # title, kind, days from today, mandatory
    ("1. Netzwerktreffen: Auftakt der Projektpartner", Event.Kind.NETWORK, -120, True),
    ("2. Netzwerktreffen und Transferworkshop", Event.Kind.TRANSFER, -30, True),
    ("3. Netzwerktreffen: Abschluss und Ergebnistransfer", Event.Kind.NETWORK, 40, True),
]
GROUP = [
    ("steuerungsgruppe", "Bürgermeisterin (Vorsitz)", "Rathaus", "verwaltung"),
    ("steuerungsgruppe", "Integrationsbeauftragter", "Amt für Soziales", "verwaltung"),
    (
        "steuerungsgruppe",
        "Vertreterin des Freundeskreises Asyl",
        "Freundeskreis Asyl",
        "zivilgesellschaft",
    ),
    ("resonanzgruppe", "Sprecher des Integrationsbeirats", "Integrationsbeirat", "migration"),
]
DONE_BY_STAGE = [2, 5, 8]


def _office(programme: Programme) -> User | None:
    return (
        User.objects.filter(role=User.Role.OFFICE, operators=programme.operator_id)
        .order_by("pk")
        .first()
        or User.objects.filter(role=User.Role.ADMIN).order_by("pk").first()
    )


def _blank_pdf() -> bytes:
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def _plan(voucher: Voucher, stage: int, office: User, today: dt.date) -> None:
    plan = plans.plan_for(voucher)
    if plan.milestones.exclude(status=Milestone.Status.OPEN).exists():
        return
    team = voucher.facilitators.select_related("user").first()
    by = team.user if team else office
    milestones = list(plan.milestones.order_by("position"))
    done = DONE_BY_STAGE[stage % len(DONE_BY_STAGE)]
    start = max(voucher.issued_at.date(), today - dt.timedelta(days=200))
    for index, milestone in enumerate(milestones):
        planned = start + dt.timedelta(days=21 * (index + 1))
        if index < done:
            planned = min(planned, today - dt.timedelta(days=1))
            plans.update_milestone(milestone, by=by, planned_on=planned)
            plans.complete_milestone(
                milestone, by=by, done_on=planned, note="Mit der Steuerungsgruppe abgestimmt."
            )
        elif index == done:  # the next one is overdue
            plans.update_milestone(milestone, by=by, planned_on=today - dt.timedelta(days=5))
        elif index == done + 1 and stage % 3 == 1:
            plans.drop_milestone(
                milestone,
                by=by,
                reason="Die Geflüchteten wurden bereits im Auftaktworkshop angehört.",
            )
        else:
            plans.update_milestone(
                milestone, by=by, planned_on=max(planned, today + dt.timedelta(days=7 * index))
            )


def _groups(voucher: Voucher, office: User) -> None:
    if GroupMember.objects.filter(voucher=voucher).exists():
        return
    for group, role, organisation, sector in GROUP:
        groups.add_member(
            voucher,
            by=office,
            group=group,
            name=role,
            organisation=organisation,
            sector=sector,
            role=role,
        )


def _meetings(programme: Programme, cases: list[Voucher], office: User, now) -> None:
    for number, (title, kind, days, mandatory) in enumerate(MEETINGS):
        if Event.objects.filter(programme=programme, title=title).exists():
            continue
        start = (now + dt.timedelta(days=max(days, 1))).replace(
            hour=10, minute=0, second=0, microsecond=0
        )
        event = events.create_event(
            programme,
            by=office,
            title=title,
            kind=kind,
            starts_at=start,
            ends_at=start + dt.timedelta(hours=5),
            place="Führungsakademie Baden-Württemberg, Karlsruhe",
            description="Austausch über Erfahrungen, Ergebnisse, Erfolgsfaktoren und Qualitätssicherung.",
            mandatory=mandatory,
            capacity=40,
        )
        for case in cases:  # by hand: the demo sends no emails
            events.add_participant(event, by=office, voucher=case)
        if days >= 0:
            continue
        start = (now + dt.timedelta(days=days)).replace(hour=10, minute=0, second=0, microsecond=0)
        Event.objects.filter(pk=event.pk).update(
            starts_at=start,
            ends_at=start + dt.timedelta(hours=5),
            invited_at=start - dt.timedelta(days=30),
        )
        event.refresh_from_db()
        marks = {}
        for index, case in enumerate(cases):
            # The last partner missed the second meeting (flagged), another was excused.
            if number == 1 and index == len(cases) - 1:
                marks[case.organisation_id] = Participation.Attendance.ABSENT
            elif number == 1 and index == 0 and len(cases) > 2:
                marks[case.organisation_id] = Participation.Attendance.EXCUSED
            else:
                marks[case.organisation_id] = Participation.Attendance.PRESENT
        events.record_attendance(event, by=office, attendance=marks)


def _ready_to_admit(programme: Programme) -> None:
    application = (
        Application.objects.filter(programme=programme, status=Application.Status.IN_REVIEW)
        .order_by("pk")
        .first()
    )
    if application is None or CouncilDecision.objects.filter(application=application).exists():
        return
    member = application.organisation.contacts().first()
    if member is None:
        return
    admission.save_administration_contact(
        application,
        by=member,
        name="Sabine Kurz",
        function="Stabsstelle Bürgerbeteiligung",
        email="sabine.kurz@verwaltung.example",
    )
    admission.upload_council_decision(
        application,
        by=member,
        file=SimpleUploadedFile("beschluss.pdf", _blank_pdf(), "application/pdf"),
        decided_on=timezone.localdate() - dt.timedelta(days=40),
    )


def seed_process() -> None:
    programme = Programme.objects.select_related("operator").filter(slug=SLUG).first()
    if programme is None:
        return
    office = _office(programme)
    if office is None:
        return
    now, today = timezone.now(), timezone.localdate()
    with transaction.atomic():
        cases = list(
            Voucher.objects.filter(programme=programme, status__in=Voucher.OPEN_STATUSES)
            .select_related("programme", "organisation")
            .order_by("issued_at", "pk")
        )
        for stage, voucher in enumerate(cases):
            _plan(voucher, stage, office, today)
            _groups(voucher, office)
        if cases:
            _meetings(programme, cases, office, now)
        _ready_to_admit(programme)
