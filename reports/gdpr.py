"""Data protection tools (admin): export a person's data, anonymise a person, retention.

The statistical core stays: rows are never deleted, only personal fields are emptied or
replaced, so counts, hours, units, tiers (organisation flags) and states are unchanged.

``anonymise_person`` empties the person's account fields (name, phone, position; email becomes
``geloescht-<id>@invalid``; the account is deactivated), the contact data copied from them into
applications (``contact_*``) and feedback invitations (``recipient_*``), a facilitator's public
profile text and photo — and then sweeps every text and JSON column of every table for the
person's email address, phone number and full name, replacing what it finds (free-text notes,
audit data, admin log). Agreement PDF *files* already generated are not rewritten (signed
contracts may have to be kept); their database snapshot is swept like everything else.

``apply_retention`` anonymises, for cases closed more than ``RETENTION_DAYS_AFTER_CLOSE`` days
ago, the application's contact data and the feedback invitations' recipient data; a case
whose proof of use was accepted waits ``PROOF_OF_USE_RETENTION_YEARS`` (5) years after the
acceptance.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.apps import apps
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models import CharField, Q, Value
from django.db.models.functions import Cast, Concat
from django.utils import timezone

from portal.audit import log_action
from portal.models import AuditEntry, User
from programme_work import gdpr as process_work_gdpr
from reports.sweep import sweep_text_columns
from vouchers.models import Application, FeedbackRequest, Voucher

NAME_REPLACEMENT = "[gelöscht]"
MIN_PHONE_LENGTH = 5


def pseudonym_email(user: User) -> str:
    return f"geloescht-{user.pk}@invalid"


def is_anonymised(user: User) -> bool:
    return user.email == pseudonym_email(user)


def find_person(identifier: str) -> User | None:
    """A person by id or email address (for the management commands)."""
    identifier = identifier.strip()
    qs = User.objects.select_related("organisation")
    if identifier.isdigit():
        return qs.filter(pk=int(identifier)).first()
    return qs.filter(email__iexact=identifier).first()


# --- Export ---------------------------------------------------------------------------------


def _dt(value):
    return value.isoformat() if value else None


def export_person_data(user: User) -> dict:
    """All personal data the portal holds about ``user``, as a JSON-serialisable dict."""
    email = user.email
    data: dict = {
        "exported_at": timezone.now().isoformat(),
        "person": {
            "id": user.pk,
            "email": user.email,
            "first_name": user.first_name,
            "last_name": user.last_name,
            "phone": user.phone,
            "position": user.position,
            "role": user.role,
            "organisation": user.organisation.name if user.organisation_id else None,
            "is_active": user.is_active,
            "date_joined": _dt(user.date_joined),
            "last_login": _dt(user.last_login),
        },
    }
    applications = Application.objects.filter(
        Q(created_by=user) | Q(contact_email__iexact=email)
    ).select_related("programme", "organisation")
    data["applications"] = [
        {
            "id": a.pk,
            "programme": a.programme.name,
            "organisation": a.organisation.name,
            "status": a.status,
            "created_by_person": a.created_by_id == user.pk,
            "contact_name": a.contact_name,
            "contact_email": a.contact_email,
            "contact_phone": a.contact_phone,
            "challenge": a.challenge,
            "goals": a.goals,
            "topics_other": a.topics_other,
            "consent": a.consent,
            "created_at": _dt(a.created_at),
            "submitted_at": _dt(a.submitted_at),
            "decided_at": _dt(a.decided_at),
        }
        for a in applications
    ]
    requests = FeedbackRequest.objects.filter(
        Q(recipient=user) | Q(recipient_email__iexact=email)
    ).select_related("voucher", "response")
    data["feedback"] = []
    for r in requests:
        entry = {
            "voucher": r.voucher.code,
            "recipient_email": r.recipient_email,
            "recipient_name": r.recipient_name,
            "sent_at": _dt(r.sent_at),
            "reminded_at": _dt(r.reminded_at),
            "answered_at": _dt(r.answered_at),
            "response": None,
        }
        response = getattr(r, "response", None)
        if response is not None:
            entry["response"] = {
                "satisfaction": response.satisfaction,
                "goals_reached": response.goals_reached,
                "structure_useful": response.structure_useful,
                "would_recommend": response.would_recommend,
                "what_helped": response.what_helped,
                "what_to_improve": response.what_to_improve,
                "created_at": _dt(response.created_at),
            }
        data["feedback"].append(entry)
    profile = getattr(user, "facilitator_profile", None) if user.role == "facilitator" else None
    data["facilitator_profile"] = None
    data["sessions_logged"] = []
    if profile is not None:
        data["facilitator_profile"] = {
            "bio": profile.bio,
            "capacity": profile.capacity,
            "active": profile.active,
            "photo": bool(profile.photo),
            "topics": [t.name for t in profile.topics.all()],
            "methods": [m.name for m in profile.methods.all()],
            "regions": [r.get_code_display() for r in profile.regions.all()],
            "languages": [lang.name for lang in profile.languages.all()],
            "programmes": [p.name for p in profile.programmes.all()],
        }
    sessions = apps.get_model("sessions_log", "SessionEntry").objects.filter(
        Q(created_by=user) | Q(facilitator__user=user)
    )
    data["sessions_logged"] = [
        {
            "voucher": code,
            "date": d.isoformat(),
            "minutes": minutes,
            "units": units,
            "activity": activity,
            "format": fmt,
            "notes": notes,
        }
        for code, d, minutes, units, activity, fmt, notes in sessions.values_list(
            "voucher__code", "date", "minutes", "units", "activity", "format", "notes"
        ).iterator(chunk_size=2000)
    ]
    data["audit_entries"] = [
        {"action": action, "at": _dt(at), "reason": reason}
        for action, at, reason in AuditEntry.objects.filter(actor=user).values_list(
            "action", "created_at", "reason"
        )
    ]
    data.update(process_work_gdpr.export_for_email(email))
    return data


# --- Anonymise a person ---------------------------------------------------------------------


@dataclass
class AnonymiseResult:
    user_id: int
    applications: int = 0
    feedback_requests: int = 0
    swept_rows: int = 0


def _needles(user: User) -> list[tuple[str, str]]:
    """(text to find, replacement) for the sweep."""
    out: list[tuple[str, str]] = []
    if user.email:
        out.append((user.email, pseudonym_email(user)))
    if user.phone and len(user.phone.strip()) >= MIN_PHONE_LENGTH:
        out.append((user.phone.strip(), ""))
    first, last = user.first_name.strip(), user.last_name.strip()
    if first and last:
        out.append((f"{first} {last}", NAME_REPLACEMENT))
        out.append((f"{last}, {first}", NAME_REPLACEMENT))
    return out


def anonymise_person(user: User, *, by) -> AnonymiseResult:
    """Erase a person's contact data everywhere while the statistical core stays."""
    needles = _needles(user)
    old_email = user.email
    pseudonym = pseudonym_email(user)
    result = AnonymiseResult(user_id=user.pk)
    with transaction.atomic():
        result.applications = Application.objects.filter(contact_email__iexact=old_email).update(
            contact_name="", contact_email=pseudonym, contact_phone=""
        )
        result.feedback_requests = FeedbackRequest.objects.filter(
            Q(recipient=user) | Q(recipient_email__iexact=old_email)
        ).update(recipient_email=pseudonym, recipient_name="")
        profile = getattr(user, "facilitator_profile", None) if user.role == "facilitator" else None
        if profile is not None:
            if profile.photo:
                profile.photo.delete(save=False)
            profile.bio = ""
            profile.photo = ""
            profile.active = False
            profile.save(update_fields=["bio", "photo", "active"])
        user.first_name = ""
        user.last_name = ""
        user.email = pseudonym
        user.phone = ""
        user.position = ""
        user.is_active = False
        user.set_unusable_password()
        user.save()
        process_work_gdpr.anonymise_email(old_email, pseudonym=pseudonym)
        result.swept_rows = sweep_text_columns(needles)
        log_action(by, "person.anonymised", user, data={"user_id": user.pk})
    return result


# --- Retention ------------------------------------------------------------------------------


@dataclass
class RetentionResult:
    vouchers: int = 0
    applications: int = 0
    feedback_requests: int = 0


def retention_due(now: dt.datetime | None = None, days: int | None = None):
    """Closed vouchers whose closing lies more than the retention period back."""
    now = now or timezone.now()
    days = settings.RETENTION_DAYS_AFTER_CLOSE if days is None else days
    # A case whose proof of use was accepted is kept PROOF_OF_USE_RETENTION_YEARS years after
    # the acceptance (ANBest-P), also when the closing lies further back.
    keep_from = now - dt.timedelta(days=round(365.25 * settings.PROOF_OF_USE_RETENTION_YEARS))
    return Voucher.objects.filter(
        status__in=Voucher.CLOSED_STATUSES, closed_at__lt=now - dt.timedelta(days=days)
    ).exclude(proofs_of_use__status="accepted", proofs_of_use__accepted_at__gte=keep_from)


def apply_retention(
    *, now: dt.datetime | None = None, days: int | None = None, dry_run: bool = False
) -> RetentionResult:
    """Anonymise contact data of long-closed cases (idempotent; a second run changes nothing)."""
    due = retention_due(now, days)
    applications = Application.objects.filter(voucher__in=due).filter(
        ~Q(contact_name="") | ~Q(contact_phone="") | ~Q(contact_email="")
    )
    requests = FeedbackRequest.objects.filter(voucher__in=due).filter(
        Q(recipient__isnull=False)
        | ~Q(recipient_name="")
        | ~Q(recipient_email__endswith="@invalid")
    )
    result = RetentionResult()
    with transaction.atomic():
        voucher_ids = set(applications.values_list("voucher__pk", flat=True)) | set(
            requests.values_list("voucher_id", flat=True)
        )
        result.vouchers = len(voucher_ids)
        if dry_run:
            result.applications = applications.count()
            result.feedback_requests = requests.count()
            return result
        result.applications = applications.update(
            contact_name="", contact_email="", contact_phone=""
        )
        result.feedback_requests = requests.update(
            recipient=None,
            recipient_name="",
            recipient_email=Concat(
                Value("geloescht-anfrage-"), Cast("pk", CharField()), Value("@invalid")
            ),
        )
        voucher_type = ContentType.objects.get_for_model(Voucher)
        AuditEntry.objects.bulk_create(
            [
                AuditEntry(
                    action="case.retention_anonymised",
                    target_type=voucher_type,
                    target_id=pk,
                    reason="Aufbewahrungsfrist abgelaufen",
                )
                for pk in sorted(voucher_ids)
            ],
            batch_size=500,
        )
    return result
