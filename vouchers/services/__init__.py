"""Services of the vouchers app (the service contract's ``vouchers.services``)."""

from vouchers.services.allocation import approve_application, assign_facilitators
from vouchers.services.applications import (
    confirm_region_flags,
    create_draft,
    declare_region_flags,
    eligibility_problem,
    eligible_programmes,
    reject_application,
    request_follow_up,
    save_draft,
    start_review,
    submit_application,
    waitlist_application,
    withdraw_application,
)
from vouchers.services.closing import activate_voucher, close_voucher, request_closing
from vouchers.services.matching import suggest_facilitators
from vouchers.services.queue import contingent_status, ranked_queue

__all__ = [
    "activate_voucher",
    "approve_application",
    "assign_facilitators",
    "close_voucher",
    "confirm_region_flags",
    "contingent_status",
    "create_draft",
    "declare_region_flags",
    "eligibility_problem",
    "eligible_programmes",
    "ranked_queue",
    "reject_application",
    "request_closing",
    "request_follow_up",
    "save_draft",
    "start_review",
    "submit_application",
    "suggest_facilitators",
    "waitlist_application",
    "withdraw_application",
]
