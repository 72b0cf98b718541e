"""Members of a case's Steuerungsgruppe and Begleit-/Resonanzgruppe (seed 002, Bausteine 1
and 3), kept by the team and the municipality; each change audited on the case."""

from __future__ import annotations

from django.db import transaction
from django.utils.translation import gettext as _

from portal.audit import log_action
from portal.errors import RuleViolation
from programme_work.models import GroupMember
from programme_work.services.common import clean_text, require_group_editor
from vouchers.models import Voucher


def _fields(group, name, organisation, sector, role, email) -> dict:
    if group not in GroupMember.Group.values:
        raise RuleViolation(_("Bitte wählen Sie die Gruppe."))
    if sector not in GroupMember.Sector.values:
        raise RuleViolation(_("Bitte wählen Sie den Bereich."))
    name = clean_text(name, limit=200)
    if not name:
        raise RuleViolation(_("Bitte geben Sie den Namen an."))
    return {
        "group": group,
        "name": name,
        "organisation": clean_text(organisation, limit=200),
        "sector": sector,
        "role": clean_text(role, limit=200),
        "email": clean_text(email, limit=254),
    }


def add_member(
    voucher: Voucher,
    *,
    by,
    group: str,
    name: str,
    sector: str,
    organisation: str = "",
    role: str = "",
    email: str = "",
) -> GroupMember:
    require_group_editor(voucher, by)
    fields = _fields(group, name, organisation, sector, role, email)
    with transaction.atomic():
        member = GroupMember.objects.create(voucher=voucher, **fields)
        log_action(by, "group_member.created", voucher, data={"member": member.pk, "group": group})
    return member


def update_member(
    member: GroupMember,
    *,
    by,
    group: str,
    name: str,
    sector: str,
    organisation: str = "",
    role: str = "",
    email: str = "",
) -> GroupMember:
    require_group_editor(member.voucher, by)
    fields = _fields(group, name, organisation, sector, role, email)
    with transaction.atomic():
        for key, value in fields.items():
            setattr(member, key, value)
        member.save()
        log_action(by, "group_member.updated", member.voucher, data={"member": member.pk})
    return member


def remove_member(member: GroupMember, *, by) -> None:
    voucher = member.voucher
    require_group_editor(voucher, by)
    with transaction.atomic():
        pk = member.pk
        member.delete()
        log_action(by, "group_member.deleted", voucher, data={"member": pk})
