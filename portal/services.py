"""Account services: applicant self-registration, and the office confirming new
organisations and membership requests.

Joining an *existing* organisation is a request: the new account has no organisation
until the programme office confirms it, so nobody can read another organisation's cases
just by naming it at registration. The request is the audit row
``organisation.membership_requested`` (target: the organisation, actor: the new user).
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import Exists, OuterRef, QuerySet
from django.utils.translation import gettext as _

from portal.audit import log_action
from portal.errors import InvalidTransition
from portal.models import AuditEntry, Organisation, User
from portal.notifications import send_mail_on_commit

MEMBERSHIP_REQUESTED = "organisation.membership_requested"
MEMBERSHIP_APPROVED = "organisation.membership_approved"
MEMBERSHIP_REJECTED = "user.membership_rejected"

ORGANISATION_FIELDS = (
    "name",
    "kind",
    "municipality",
    "district",
    "bundesland",
    "street",
    "postcode",
    "city",
    "structurally_weak",
    "rural",
    "flags_justification",
)


def _require_office(user) -> None:
    if not getattr(user, "is_office", False):
        raise InvalidTransition(_("Dieser Schritt ist mit Ihrer Rolle nicht möglich."))


@transaction.atomic
def register_applicant(
    *,
    email: str,
    password: str,
    first_name: str,
    last_name: str,
    phone: str = "",
    position: str = "",
    organisation: Organisation | None = None,
    new_organisation: dict | None = None,
) -> User:
    """Create an active applicant account.

    Either ``organisation`` (an approved one: a membership request the office confirms) or
    ``new_organisation`` (field values: created with ``approved=False``; the registering
    person is its first member)."""
    if (organisation is None) == (new_organisation is None):
        raise ValueError("Pass exactly one of organisation or new_organisation.")
    if organisation is not None and not organisation.approved:
        raise InvalidTransition(_("Diese Organisation ist noch nicht freigegeben."))

    created_org = None
    if new_organisation is not None:
        values = {k: v for k, v in new_organisation.items() if k in ORGANISATION_FIELDS}
        created_org = Organisation.objects.create(approved=False, flags_confirmed=False, **values)

    user = User.objects.create_user(
        email=email,
        password=password,
        first_name=first_name,
        last_name=last_name,
        phone=phone,
        position=position,
        role=User.Role.APPLICANT,
        organisation=created_org,
    )
    office_email = _office_email()
    if created_org is not None:
        log_action(user, "organisation.registered", created_org, to_state="pending")
        send_mail_on_commit(
            "organisation_pending",
            [office_email],
            {"organisation": created_org, "user": user, "new_organisation": True},
        )
    else:
        log_action(user, MEMBERSHIP_REQUESTED, organisation, data={"user_id": user.pk})
        send_mail_on_commit(
            "organisation_pending",
            [office_email],
            {"organisation": organisation, "user": user, "new_organisation": False},
        )
    return user


def _office_email() -> str:
    from django.conf import settings

    return settings.PROGRAMME_OFFICE.get("email", "")


@transaction.atomic
def approve_organisation(organisation: Organisation, *, by) -> Organisation:
    """The office confirms a newly registered organisation (``approved=False`` → ``True``)."""
    _require_office(by)
    organisation = Organisation.objects.select_for_update().get(pk=organisation.pk)
    if organisation.approved:
        raise InvalidTransition(_("Diese Organisation ist bereits freigegeben."))
    organisation.approved = True
    organisation.save(update_fields=["approved"])
    log_action(by, "organisation.approved", organisation, from_state="pending", to_state="approved")
    send_mail_on_commit(
        "organisation_approved",
        [c.email for c in organisation.contacts()],
        {"organisation": organisation},
    )
    return organisation


def pending_organisations() -> QuerySet[Organisation]:
    """Organisations registered by applicants and not yet confirmed by the office."""
    return (
        Organisation.objects.filter(approved=False)
        .prefetch_related("members")
        .order_by("created_at", "pk")
    )


def pending_memberships() -> QuerySet[AuditEntry]:
    """Open membership requests: request rows whose user still has no organisation and
    was not refused. ``.actor`` is the user, ``.organisation`` the requested one."""
    user_ct = ContentType.objects.get_for_model(User)
    refused = AuditEntry.objects.filter(
        action=MEMBERSHIP_REJECTED, target_type=user_ct, target_id=OuterRef("actor_id")
    )
    return (
        AuditEntry.objects.filter(
            action=MEMBERSHIP_REQUESTED,
            target_type=ContentType.objects.get_for_model(Organisation),
            actor__role=User.Role.APPLICANT,
            actor__organisation__isnull=True,
            actor__is_active=True,
        )
        .exclude(Exists(refused))
        .select_related("actor")
        .order_by("created_at", "pk")
    )


def requested_organisation(user) -> Organisation | None:
    """The organisation a user without one has asked to join and that is still pending."""
    if not getattr(user, "is_authenticated", False) or user.organisation_id:
        return None
    entry = pending_memberships().filter(actor=user).last()
    if entry is None:
        return None
    return Organisation.objects.filter(pk=entry.target_id).first()


def _open_request(user) -> AuditEntry:
    entry = pending_memberships().filter(actor=user).last()
    if entry is None:
        raise InvalidTransition(_("Für diese Person liegt keine offene Anfrage vor."))
    return entry


@transaction.atomic
def approve_membership(user: User, *, by) -> User:
    """The office confirms that ``user`` belongs to the organisation it asked to join."""
    _require_office(by)
    user = User.objects.select_for_update().get(pk=user.pk)
    entry = _open_request(user)
    organisation = Organisation.objects.get(pk=entry.target_id)
    user.organisation = organisation
    user.save(update_fields=["organisation"])
    log_action(by, MEMBERSHIP_APPROVED, organisation, data={"user_id": user.pk})
    send_mail_on_commit(
        "membership_approved", [user.email], {"organisation": organisation, "user": user}
    )
    return user


@transaction.atomic
def reject_membership(user: User, *, by, reason: str = "") -> User:
    """The office refuses a membership request; the account stays without organisation."""
    _require_office(by)
    user = User.objects.select_for_update().get(pk=user.pk)
    entry = _open_request(user)
    log_action(
        by, MEMBERSHIP_REJECTED, user, reason=reason, data={"organisation_id": entry.target_id}
    )
    return user
