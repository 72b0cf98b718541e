"""Role predicates (django-rules). Object predicates live in each app's predicates module."""

import rules

from portal.scoping import works_for_object


@rules.predicate
def is_applicant(user) -> bool:
    return bool(user and user.is_authenticated and user.role == "applicant")


@rules.predicate
def is_office(user, obj=None) -> bool:
    """Programme office staff; admins may do everything the office does. With an object
    (a programme, an Antrag, a case, an entry …), only staff of its programme's operator."""
    if not (user and user.is_authenticated and user.role in ("office", "admin")):
        return False
    return obj is None or works_for_object(user, obj)


@rules.predicate
def is_facilitator(user) -> bool:
    return bool(user and user.is_authenticated and user.role == "facilitator")


@rules.predicate
def is_admin(user) -> bool:
    return bool(user and user.is_authenticated and (user.role == "admin" or user.is_superuser))
