"""Object predicates of the session log (django-rules). Same logic as ``selectors``."""

import rules

from vouchers.models import Voucher

EDITABLE_VOUCHER_STATUSES = (Voucher.Status.ACTIVE, Voucher.Status.CLOSING_REQUESTED)


@rules.predicate
def voucher_is_active(user, voucher) -> bool:
    return bool(voucher is not None and voucher.status == Voucher.Status.ACTIVE)


@rules.predicate
def voucher_is_closable(user, voucher) -> bool:
    return bool(voucher is not None and voucher.status in EDITABLE_VOUCHER_STATUSES)


@rules.predicate
def entry_voucher_not_closed(user, entry) -> bool:
    return bool(entry is not None and entry.voucher.status in EDITABLE_VOUCHER_STATUSES)


@rules.predicate
def is_entry_author(user, entry) -> bool:
    """The facilitator who logged the entry (entries are logged for a facilitator)."""
    return bool(
        entry is not None
        and user.is_authenticated
        and user.role == "facilitator"
        and entry.facilitator.user_id == user.pk
    )
