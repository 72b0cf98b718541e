"""Process plans: seeded templates in the seeds' wording, a plan for each admitted case,
the team's changes audited, overdue milestones."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from portal.errors import InvalidTransition, RuleViolation
from portal.models import AuditEntry, Programme
from programme_work.models import Milestone, PlanTemplate, TemplateMilestone
from programme_work.plan_texts import BAUSTEINE, SCHRITTE
from programme_work.services import plans
from tests.factories import FacilitatorFactory, UserFactory, VoucherFactory

pytestmark = pytest.mark.django_db

SEED_003_STEPS = [
    "Gespräch mit kommunaler Spitze",
    "Auftakttreffen der Steuergruppe",
    "Konsultationsworkshop",
    "Zweites Treffen der Steuergruppe",
    "Analyseworkshop",
    "Treffen der Steuergruppe",
    "Gespräch mit kommunaler Spitze",
    "Präsentation der Ergebnisse",
    "Quartalstreffen der Steuergruppe",
    "Wirksamkeit überprüfen",
]


def _seed_text(number: str) -> str:
    from pathlib import Path

    from django.conf import settings

    seeds = Path(settings.BASE_DIR).parent / "shared" / "seeds"
    found = list(seeds.glob(f"{number}_*.txt"))
    if not found:
        pytest.skip("seed documents not available")
    return " ".join(found[0].read_text(encoding="utf-8").split())


def test_migration_seeded_the_fueak_and_nrw_templates():
    ibe = Programme.objects.get(slug="integration-durch-be")
    steps = PlanTemplate.objects.get(programme=ibe, key="schritte")
    assert steps.is_default
    assert [i.title for i in steps.items.all()] == SEED_003_STEPS
    bausteine = PlanTemplate.objects.get(programme=ibe, key="bausteine")
    titles = [i.title for i in bausteine.items.all()]
    assert len(titles) == 9
    assert titles[0] == "Baustein 1: Gemeinsame Konzeption"
    assert titles[1] == "Baustein 2: Politisches Commitment"
    assert titles[6] == "Baustein 7: Netzwerktreffen und Öffentlichkeitsarbeit"
    ews = Programme.objects.get(slug="entwicklungswerkstatt")
    assert PlanTemplate.objects.get(programme=ews).name == (
        "Anregungen für die Strategie- und Strukturentwicklung vor Ort"
    )


def test_template_descriptions_are_the_seeds_words():
    seed_002, seed_003 = _seed_text("002"), _seed_text("003")
    for _section, title, description in SCHRITTE:
        assert title in seed_003
        assert description in seed_003, title
    for _section, title, description in BAUSTEINE:
        # Each description is the seed's text, sentence by sentence.
        for sentence in description.split(". "):
            assert sentence.rstrip(".") in seed_002, (title, sentence)
    assert TemplateMilestone.objects.filter(title="Wirksamkeit überprüfen").exists()


def test_admitted_case_gets_its_plan_once(case):
    plan = plans.plan_for(case)
    assert [m.title for m in plan.milestones.all()] == SEED_003_STEPS
    assert plans.plan_for(case).pk == plan.pk
    assert plan.milestones.count() == 10
    assert AuditEntry.objects.filter(action="plan.created", target_id=case.pk).count() == 1


def test_voucher_programme_gets_no_plan(programme):
    assert plans.plan_for(VoucherFactory(programme=programme)) is None


def test_team_changes_are_audited_with_who_what_why(case, team):
    member = team[0].user
    plan = plans.plan_for(case)
    first, second = list(plan.milestones.all())[:2]
    plans.update_milestone(
        first, by=member, title=first.title, planned_on=dt.date(2030, 3, 1), reason="Termin steht"
    )
    added = plans.add_milestone(
        case, by=member, title="Bürgerforum", reason="Wunsch der Steuerungsgruppe"
    )
    plans.move_milestone(added, by=member, direction="up")
    plans.drop_milestone(second, by=member, reason="Bereits im Vorjahr erfolgt")
    plans.complete_milestone(first, by=member, done_on=timezone.localdate(), note="Zusage des BM")

    entries = AuditEntry.objects.filter(target_id=case.pk, actor=member).order_by("pk")
    actions = [e.action for e in entries]
    assert actions == [
        "milestone.updated",
        "milestone.created",
        "milestone.updated",
        "milestone.cancelled",
        "milestone.done",
    ]
    assert entries[0].reason == "Termin steht"
    assert entries[0].data["changes"]["planned_on"] == [None, "2030-03-01"]
    assert entries[1].reason == "Wunsch der Steuerungsgruppe"
    assert entries[3].reason == "Bereits im Vorjahr erfolgt"
    assert entries[4].data["note"] == "Zusage des BM"
    second.refresh_from_db()
    assert second.status == Milestone.Status.DROPPED
    titles = [m.title for m in plan.milestones.order_by("position")]
    assert titles[-2:] == ["Bürgerforum", SEED_003_STEPS[-1]]


def test_dropping_needs_a_reason(case, team):
    milestone = plans.plan_for(case).milestones.first()
    with pytest.raises(RuleViolation, match="begründen"):
        plans.drop_milestone(milestone, by=team[0].user, reason="  ")


@pytest.mark.parametrize("who", ["foreign_facilitator", "member", "other_office"])
def test_only_team_and_operator_office_change_the_plan(case, who):
    milestone = plans.plan_for(case).milestones.first()
    user = {
        "foreign_facilitator": lambda: FacilitatorFactory().user,
        "member": lambda: case.organisation.members.first(),
        "other_office": lambda: UserFactory(role="office"),
    }[who]()
    with pytest.raises(InvalidTransition):
        plans.complete_milestone(milestone, by=user, done_on=timezone.localdate())
    with pytest.raises(InvalidTransition):
        plans.add_milestone(case, by=user, title="X")


def test_operator_office_may_adapt(case, fueak_office):
    assert plans.add_milestone(case, by=fueak_office, title="Pressegespräch").pk


def test_overdue_is_open_with_a_past_planned_date(case, team):
    plan = plans.plan_for(case)
    first, second, third = list(plan.milestones.all())[:3]
    yesterday = timezone.localdate() - dt.timedelta(days=1)
    plans.update_milestone(first, by=team[0].user, planned_on=yesterday)
    plans.update_milestone(second, by=team[0].user, planned_on=yesterday)
    plans.complete_milestone(second, by=team[0].user, done_on=yesterday)
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.is_overdue()
    assert not second.is_overdue()
    assert not third.is_overdue()


def test_done_date_not_in_future(case, team):
    milestone = plans.plan_for(case).milestones.first()
    with pytest.raises(RuleViolation, match="Zukunft"):
        plans.complete_milestone(
            milestone, by=team[0].user, done_on=timezone.localdate() + dt.timedelta(days=1)
        )


def test_add_from_other_template_of_programme(case, team):
    plans.plan_for(case)  # installs the programme's templates
    baustein = TemplateMilestone.objects.get(
        template__programme=case.programme, title="Baustein 2: Politisches Commitment"
    )
    added = plans.add_milestone(case, by=team[0].user, source=baustein)
    assert added.title == baustein.title
    assert added.description.startswith("Der Gemeinderat")
