"""Office staff act only for their operators' programmes (DESIGN.md "Operators and
programmes"). One place for the rule: services call ``require_office_for``, selectors call
``office_scope``, predicates call ``works_for_object`` — all on the same operator ids."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils.translation import gettext as _

from portal.errors import InvalidTransition


def operator_id_of(obj) -> int | None:
    """The operator behind an object: an operator, a programme, or anything that leads to a
    programme (``programme``, ``voucher``, ``application``, ``period``)."""
    if obj is None:
        return None
    model = obj._meta.model_name if hasattr(obj, "_meta") else ""
    if model == "operator":
        return obj.pk
    if model == "programme":
        return obj.operator_id
    for attribute in ("programme", "voucher", "application", "period"):
        related = getattr(obj, attribute, None)
        if related is not None and related is not obj:
            return operator_id_of(related)
    return None


def works_for_object(user, obj) -> bool:
    """Whether office ``user`` (or an admin) may act on ``obj``'s programme."""
    if not (user and user.is_authenticated):
        return False
    if user.role == "admin" or user.is_superuser:
        return True
    return user.role == "office" and user.works_for(operator_id_of(obj))


def require_office_for(user, obj) -> None:
    """Refuse office staff of another operator (and everyone who is not office or admin)."""
    if not works_for_object(user, obj):
        raise InvalidTransition(
            _("Dieser Schritt ist nur dem Programmbüro des Programmträgers möglich.")
        )


def office_scope(queryset: QuerySet, user, *, path: str = "programme__operator") -> QuerySet:
    """``queryset`` limited to the operators an office user works for; admins see all."""
    if user.role == "admin" or user.is_superuser:
        return queryset
    if user.role != "office":
        return queryset.none()
    # A subquery, not a list read first: no extra round trip on every scoped page.
    from portal.models import User

    own = User.operators.through.objects.filter(user_id=user.pk).values("operator_id")
    return queryset.filter(**{f"{path}__in": own})


def programmes_for(user) -> QuerySet:
    """The programmes an office user works on (all for admins), for choices and lists."""
    from portal.models import Programme

    return office_scope(Programme.objects.select_related("operator"), user, path="operator")
