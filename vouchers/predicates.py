"""Object predicates for applications and vouchers (same logic as ``selectors``)."""

import rules


@rules.predicate
def is_member_of_organisation(user, obj) -> bool:
    return bool(
        obj is not None
        and user.is_authenticated
        and user.role == "applicant"
        and user.organisation_id
        and user.organisation_id == obj.organisation_id
    )


@rules.predicate
def is_assigned_facilitator(user, voucher) -> bool:
    return bool(
        voucher is not None
        and user.is_authenticated
        and user.role == "facilitator"
        and voucher.facilitators.filter(user=user).exists()
    )


@rules.predicate
def is_draft(user, application) -> bool:
    return application is not None and application.status == "draft"


@rules.predicate
def is_withdrawable(user, application) -> bool:
    return application is not None and application.status in application.WITHDRAWABLE_STATUSES


@rules.predicate
def is_open_application(user, application) -> bool:
    return application is not None and application.status in application.OPEN_STATUSES


@rules.predicate
def allows_follow_up(user, voucher) -> bool:
    return bool(voucher is not None and voucher.is_closed and voucher.programme.allows_follow_up)
