"""Process plans, admission prerequisites, project groups, meetings and attendance."""

from .admission import AdministrationContact, CouncilDecision
from .events import Event, EventInvitation, Participation
from .groups import GroupMember
from .plans import Milestone, PlanTemplate, ProcessPlan, TemplateMilestone

__all__ = [
    "AdministrationContact",
    "CouncilDecision",
    "Event",
    "EventInvitation",
    "GroupMember",
    "Milestone",
    "Participation",
    "PlanTemplate",
    "ProcessPlan",
    "TemplateMilestone",
]
