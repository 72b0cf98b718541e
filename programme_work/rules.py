"""Permissions named ``programme_work.<verb>_<model>`` (django-rules)."""

import rules

from portal.predicates import is_office
from programme_work.predicates import (
    is_case_member,
    is_case_office,
    is_open_case,
    is_team_member,
)

rules.add_perm("programme_work.view_processplan", is_case_office | is_team_member | is_case_member)
rules.add_perm(
    "programme_work.change_processplan", (is_case_office | is_team_member) & is_open_case
)
rules.add_perm(
    "programme_work.change_groupmember",
    (is_case_office | is_team_member | is_case_member) & is_open_case,
)
rules.add_perm("programme_work.manage_event", is_office)
