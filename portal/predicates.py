"""Role predicates (django-rules). Object predicates live in each app's predicates module."""

import rules


@rules.predicate
def is_applicant(user) -> bool:
    return bool(user and user.is_authenticated and user.role == "applicant")


@rules.predicate
def is_office(user) -> bool:
    """Programme office staff; admins may do everything the office does."""
    return bool(user and user.is_authenticated and user.role in ("office", "admin"))


@rules.predicate
def is_facilitator(user) -> bool:
    return bool(user and user.is_authenticated and user.role == "facilitator")


@rules.predicate
def is_admin(user) -> bool:
    return bool(user and user.is_authenticated and (user.role == "admin" or user.is_superuser))
