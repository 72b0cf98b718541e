"""Permissions named ``sessions_log.<verb>_<model>`` (django-rules)."""

import rules

from portal.predicates import is_office
from sessions_log.predicates import (
    entry_voucher_not_closed,
    is_entry_author,
    voucher_is_active,
    voucher_is_closable,
)
from vouchers.predicates import is_assigned_facilitator, is_member_of_organisation

# Object: the voucher.
rules.add_perm(
    "sessions_log.view_sessionentry",
    is_office | is_member_of_organisation | is_assigned_facilitator,
)
rules.add_perm(
    "sessions_log.add_sessionentry", (is_office | is_assigned_facilitator) & voucher_is_active
)
rules.add_perm("sessions_log.request_closing", is_assigned_facilitator & voucher_is_active)
rules.add_perm("sessions_log.confirm_closing", is_office & voucher_is_closable)
rules.add_perm("sessions_log.view_office_list", is_office)
# Object: the entry.
rules.add_perm(
    "sessions_log.change_sessionentry", (is_office | is_entry_author) & entry_voucher_not_closed
)
rules.add_perm(
    "sessions_log.delete_sessionentry", (is_office | is_entry_author) & entry_voucher_not_closed
)
