"""Object predicates for agreements (same logic as ``agreements.selectors``)."""

import rules

from vouchers.predicates import is_assigned_facilitator, is_member_of_organisation


@rules.predicate
def voucher_awaits_signature(user, voucher) -> bool:
    return bool(voucher is not None and voucher.status == "issued")


@rules.predicate
def voucher_not_cancelled(user, voucher) -> bool:
    return bool(voucher is not None and voucher.status != "cancelled")


__all__ = [
    "is_assigned_facilitator",
    "is_member_of_organisation",
    "voucher_awaits_signature",
    "voucher_not_cancelled",
]
