"""A programme period with hand-countable data for the dashboard figures (see test_figures).

Programme P (Prozessbegleitung), period "Jahr 2025" (contingent 10), report day 01.06.2025.

vouchers of the period     org  flags  earlier voucher in P        status             tier
  vA  issued 01.02., signed 11.02. (10 d), valid until 20.06. (ends ≤30 d)
                            A    rural  only a cancelled one (2024) active             1
  vB  issued 01.03., not signed           B    weak   —            issued (reserved)  1
  vC  issued 10.01., signed 14.01. (4 d)  C    —      —            closed             2
  vD  issued 01.04., signed 21.04. (20 d), valid until 15.07. (44 d)
                            D    —      closed 2024 voucher         active             4
  vE  issued 15.03., signed 17.03. (2 d), valid until 01.06. (today)
                            E    rural  2024 voucher                closing_requested  3
  vX  issued 15.02.         F    rural  —                           cancelled          –
"""

from __future__ import annotations

import datetime as dt
import itertools
from types import SimpleNamespace

from django.utils import timezone

from portal.models import ProgrammePeriod
from sessions_log.models import SessionEntry
from tests.factories import (
    ApplicationFactory,
    FacilitatorFactory,
    OrganisationFactory,
    ProgrammeFactory,
    VoucherFactory,
)
from vouchers.models import Application, FeedbackRequest, FeedbackResponse

TODAY = dt.date(2025, 6, 1)
_nonce = itertools.count(1)


def at(y, m, d, h=10, minute=0):
    return dt.datetime(y, m, d, h, minute, tzinfo=timezone.get_current_timezone())


def voucher(
    programme, period, org, status, issued, *, activated=None, valid=None, closed=None, **kw
):
    return VoucherFactory(
        programme=programme,
        period=period,
        organisation=org,
        status=status,
        issued_at=issued,
        activated_at=activated,
        valid_until=valid or dt.date(2025, 12, 31),
        closed_at=closed,
        **kw,
    )


def feedback(v, *, sent=True, answer=None, email=None, name=""):
    req = FeedbackRequest.objects.create(
        voucher=v,
        recipient_email=email or f"fb{next(_nonce)}@example.org",
        recipient_name=name,
        nonce=f"nonce-{next(_nonce)}",
        sent_at=at(2025, 5, 20) if sent else None,
        answered_at=at(2025, 5, 25) if answer else None,
    )
    if answer:
        sat, goals, structure, rec = answer
        FeedbackResponse.objects.create(
            request=req,
            satisfaction=sat,
            goals_reached=goals,
            structure_useful=structure,
            would_recommend=rec,
            what_helped="Die klare Struktur.",
        )
    return req


def build():
    s = SimpleNamespace()
    s.programme = p = ProgrammeFactory(kind="prozessbegleitung", name="Prozessbegleitung Test")
    other = ProgrammeFactory(kind="prozessbegleitung", name="Anderes Programm")
    s.period = ProgrammePeriod.objects.create(
        programme=p,
        name="Jahr 2025",
        start=dt.date(2025, 1, 1),
        end=dt.date(2025, 12, 31),
        contingent=10,
    )
    s.period_2024 = ProgrammePeriod.objects.create(
        programme=p,
        name="Jahr 2024",
        start=dt.date(2024, 1, 1),
        end=dt.date(2024, 12, 31),
        contingent=10,
    )
    other_period = other.current_period()
    s.org_a = OrganisationFactory(name="Stadt A", rural=True, bundesland="BW")
    s.org_b = OrganisationFactory(name="Stadt B", structurally_weak=True, bundesland="BY")
    s.org_c = OrganisationFactory(name="Stadt C", bundesland="BW")
    s.org_d = OrganisationFactory(name="Stadt D", bundesland="NW")
    s.org_e = OrganisationFactory(name="Stadt E", rural=True, bundesland="BY")
    s.org_f = OrganisationFactory(name="Stadt F", rural=True, bundesland="SN")
    s.facilitator = FacilitatorFactory()

    # Earlier vouchers (2024) and another programme.
    voucher(p, s.period_2024, s.org_a, "cancelled", at(2024, 6, 1))
    voucher(
        p,
        s.period_2024,
        s.org_d,
        "closed",
        at(2024, 5, 1),
        activated=at(2024, 5, 3),
        closed=at(2024, 11, 1),
    )
    voucher(
        p,
        s.period_2024,
        s.org_e,
        "feedback_received",
        at(2024, 3, 1),
        activated=at(2024, 3, 2),
        closed=at(2024, 9, 1),
    )
    voucher(
        other,
        other_period,
        s.org_a,
        "closed",
        at(2024, 2, 1),
        activated=at(2024, 2, 2),
        closed=at(2024, 8, 1),
    )

    per = s.period
    s.vA = voucher(
        p,
        per,
        s.org_a,
        "active",
        at(2025, 2, 1),
        activated=at(2025, 2, 11),
        valid=dt.date(2025, 6, 20),
        facilitators=[s.facilitator],
    )
    s.vB = voucher(p, per, s.org_b, "issued", at(2025, 3, 1))
    s.vC = voucher(
        p,
        per,
        s.org_c,
        "closed",
        at(2025, 1, 10),
        activated=at(2025, 1, 14),
        closed=at(2025, 5, 1),
        facilitators=[s.facilitator],
    )
    s.vD = voucher(
        p,
        per,
        s.org_d,
        "active",
        at(2025, 4, 1),
        activated=at(2025, 4, 21),
        valid=dt.date(2025, 7, 15),
    )
    s.vE = voucher(
        p,
        per,
        s.org_e,
        "closing_requested",
        at(2025, 3, 15),
        activated=at(2025, 3, 17),
        valid=dt.date(2025, 6, 1),
    )
    s.vX = voucher(p, per, s.org_f, "cancelled", at(2025, 2, 15))

    # Applications of P in 2025 (and two that do not count).
    def app(org, status, submitted, decided=None, v=None, **kw):
        a = ApplicationFactory(
            programme=p,
            organisation=org,
            status=status,
            submitted_at=submitted,
            decided_at=decided,
            **kw,
        )
        if v is not None:
            v.application = a
            v.save(update_fields=["application"])
        return a

    s.app_a = app(s.org_a, "approved", at(2025, 1, 20), at(2025, 2, 1), s.vA)  # 12 days
    s.app_b = app(s.org_b, "approved", at(2025, 2, 19), at(2025, 3, 1), s.vB)  # 10 days
    s.app_c = app(s.org_c, "approved", at(2025, 1, 5), at(2025, 1, 10), s.vC)  # 5 days
    s.app_rejected = app(
        OrganisationFactory(name="Stadt G"), "rejected", at(2025, 3, 1), at(2025, 3, 2)
    )  # 1 day
    s.app_open = app(OrganisationFactory(name="Stadt H", rural=True), "submitted", at(2025, 5, 10))
    s.app_wait = app(
        OrganisationFactory(name="Stadt I"), "waitlisted", at(2025, 4, 1), at(2025, 4, 5)
    )
    s.app_draft = app(OrganisationFactory(name="Stadt J"), "draft", None)
    Application.objects.filter(pk=s.app_draft.pk).update(created_at=at(2025, 5, 5))
    app(OrganisationFactory(name="Stadt K"), "submitted", at(2024, 12, 20))  # before the period
    ApplicationFactory(
        programme=other, status="submitted", submitted_at=at(2025, 3, 3)
    )  # other programme

    # Sessions: 570 minutes on the period's not-cancelled vouchers, 45 on the cancelled one.
    for v, minutes in ((s.vA, 120), (s.vA, 60), (s.vC, 300), (s.vD, 90), (s.vX, 45)):
        SessionEntry.objects.create(
            voucher=v,
            facilitator=s.facilitator,
            date=dt.date(2025, 3, 3),
            minutes=minutes,
            activity="workshop",
            format="vor_ort",
            status="confirmed",  # only confirmed hours count as delivered (rule 10)
        )

    # Feedback: 4 sent, 3 answered on counted vouchers; the cancelled voucher's answer is ignored.
    feedback(s.vC, answer=(5, 4, 3, True))
    feedback(s.vC, answer=(3, 2, 5, False))
    feedback(s.vC)
    feedback(s.vC, sent=False)
    feedback(s.vE, answer=(4, 4, 4, True))
    feedback(s.vX, answer=(1, 1, 1, False))
    return s
