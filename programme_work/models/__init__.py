"""Process plans, admission prerequisites, project groups, meetings and attendance."""

from .admission import AdministrationContact, CouncilDecision
from .calls import Call, CallApplication, Criterion, ReviewAssignment, Score
from .events import Event, EventInvitation, Participation
from .groups import GroupMember
from .plans import Milestone, PlanTemplate, ProcessPlan, TemplateMilestone

__all__ = [
    "AdministrationContact",
    "Call",
    "CallApplication",
    "CouncilDecision",
    "Criterion",
    "Event",
    "EventInvitation",
    "GroupMember",
    "Milestone",
    "Participation",
    "PlanTemplate",
    "ProcessPlan",
    "ReviewAssignment",
    "Score",
    "TemplateMilestone",
]
