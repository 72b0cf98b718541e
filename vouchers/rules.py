"""Permissions named ``vouchers.<verb>_<model>`` (django-rules)."""

import rules

from portal.predicates import is_applicant, is_office
from vouchers.predicates import (
    allows_follow_up,
    is_assigned_facilitator,
    is_draft,
    is_member_of_organisation,
    is_withdrawable,
)

rules.add_perm("vouchers.add_application", is_applicant)
rules.add_perm("vouchers.view_application", is_office | is_member_of_organisation)
rules.add_perm("vouchers.change_application", is_member_of_organisation & is_draft)
rules.add_perm("vouchers.submit_application", is_member_of_organisation & is_draft)
rules.add_perm("vouchers.withdraw_application", is_member_of_organisation & is_withdrawable)
rules.add_perm("vouchers.decide_application", is_office)
rules.add_perm("vouchers.view_queue", is_office)
rules.add_perm(
    "vouchers.view_voucher", is_office | is_member_of_organisation | is_assigned_facilitator
)
rules.add_perm("vouchers.request_follow_up", is_member_of_organisation & allows_follow_up)
rules.add_perm("vouchers.close_voucher", is_office)
rules.add_perm("vouchers.view_audit", is_office)
