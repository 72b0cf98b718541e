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
from vouchers.services.cancellation import cancel_voucher, return_voucher
from vouchers.services.closing import activate_voucher, close_voucher, request_closing
from vouchers.services.matching import suggest_facilitators
from vouchers.services.offers import (
    accept_offer,
    change_contingent,
    decline_offer,
    expire_offers,
    offer_free_place,
)
from vouchers.services.queue import contingent_status, ranked_queue

__all__ = [
    "accept_offer",
    "activate_voucher",
    "approve_application",
    "assign_facilitators",
    "cancel_voucher",
    "change_contingent",
    "close_voucher",
    "confirm_region_flags",
    "contingent_status",
    "create_draft",
    "declare_region_flags",
    "decline_offer",
    "eligibility_problem",
    "eligible_programmes",
    "expire_offers",
    "offer_free_place",
    "ranked_queue",
    "reject_application",
    "request_closing",
    "request_follow_up",
    "return_voucher",
    "save_draft",
    "start_review",
    "submit_application",
    "suggest_facilitators",
    "waitlist_application",
    "withdraw_application",
]
