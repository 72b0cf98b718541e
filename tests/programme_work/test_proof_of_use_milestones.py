"""The proof of use of an accompanied process lists the milestones of its plan (issue 17
with the process plan of issue 15): done ones as reached, dropped ones left out."""

import datetime as dt

import pytest
from django.utils import timezone

from agreements.proof_of_use import build_proof_snapshot
from programme_work.services.plans import complete_milestone, drop_milestone, plan_for

pytestmark = pytest.mark.django_db


def test_the_sachbericht_lists_reached_and_open_milestones(case, fueak_office):
    plan = plan_for(case)
    first, second, third, *_ = list(plan.milestones.order_by("position", "pk"))
    done_on = timezone.localdate() - dt.timedelta(days=1)
    complete_milestone(first, by=fueak_office, done_on=done_on, note="Gespräch geführt.")
    drop_milestone(second, by=fueak_office, reason="Entfällt nach Absprache.")
    snapshot = build_proof_snapshot(case, number=1, by=fueak_office)
    listed = snapshot["milestones"]
    assert len(listed) == plan.milestones.count() - 1  # the dropped one is left out
    assert listed[0] == {
        "title": first.title,
        "done": True,
        "done_on": done_on.strftime("%d.%m.%Y"),
    }
    assert listed[1]["title"] == third.title
    assert listed[1]["done"] is False
