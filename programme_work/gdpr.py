"""What the process work holds about a person, for ``reports.gdpr`` (export and erasure):
project-group memberships and the fixed contact person in the administration, both found by
email address (these people need no account)."""

from __future__ import annotations

from programme_work.models import AdministrationContact, GroupMember


def export_for_email(email: str) -> dict:
    if not email:
        return {"project_groups": [], "administration_contacts": []}
    members = GroupMember.objects.filter(email__iexact=email).select_related("voucher")
    contacts = AdministrationContact.objects.filter(email__iexact=email).select_related(
        "application__organisation"
    )
    return {
        "project_groups": [
            {
                "case": m.voucher.code,
                "group": m.group,
                "name": m.name,
                "organisation": m.organisation,
                "sector": m.sector,
                "role": m.role,
                "email": m.email,
            }
            for m in members
        ],
        "administration_contacts": [
            {
                "application": c.application_id,
                "organisation": c.application.organisation.name,
                "name": c.name,
                "function": c.function,
                "email": c.email,
                "phone": c.phone,
            }
            for c in contacts
        ],
    }


def anonymise_email(email: str, *, pseudonym: str) -> int:
    """Clear the person's name and contact data; the rows (counts per group) stay."""
    if not email:
        return 0
    changed = GroupMember.objects.filter(email__iexact=email).update(name="", email="", role="")
    changed += AdministrationContact.objects.filter(email__iexact=email).update(
        name="", email=pseudonym, phone="", function=""
    )
    return changed
