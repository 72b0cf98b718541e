"""Who may see and change a case's plan and groups (django-rules predicates; the selectors
apply the same logic as querysets).

- the team: facilitators assigned to the case;
- the municipality: applicant members of the case's organisation;
- the office: staff of the programme's operator (``portal.scoping``), and admins."""

from __future__ import annotations

import rules

from portal.scoping import works_for_object


def _team_ids(voucher) -> set[int]:
    """User ids of the case's team, cached on the instance (one query per page)."""
    cached = getattr(voucher, "_team_user_ids", None)
    if cached is None:
        cached = set(voucher.facilitators.values_list("user_id", flat=True))
        voucher._team_user_ids = cached
    return cached


@rules.predicate
def is_team_member(user, voucher) -> bool:
    return bool(
        voucher is not None
        and user.is_authenticated
        and user.role == "facilitator"
        and user.pk in _team_ids(voucher)
    )


@rules.predicate
def is_case_member(user, voucher) -> bool:
    return bool(
        voucher is not None
        and user.is_authenticated
        and user.role == "applicant"
        and user.organisation_id
        and user.organisation_id == voucher.organisation_id
    )


@rules.predicate
def is_case_office(user, obj) -> bool:
    return bool(obj is not None and works_for_object(user, obj))


@rules.predicate
def is_open_case(user, voucher) -> bool:
    return voucher is not None and voucher.is_open
