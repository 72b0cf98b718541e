"""Two-sided hours (DESIGN.md rule 10): the organisation confirms or disputes the hours its
facilitators logged; the office resolves a dispute; unanswered entries are deemed confirmed
after the programme's ``confirmation_days``.

Every step locks the entry rows it changes (``SELECT … FOR UPDATE``) and only moves entries
that are still in the state it expects, so two members confirming at once, or the beat task
running twice, change (and audit) each entry exactly once."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from portal.audit import log_action
from portal.errors import InvalidTransition, RuleViolation
from portal.notifications import send_mail_on_commit
from portal.scoping import require_office_for
from sessions_log import validators
from sessions_log.caps import check_caps, lock_capacity
from sessions_log.models import OPEN_STATUSES, ConfirmationDigest, SessionEntry
from vouchers.models import Voucher

S = SessionEntry.Status
DEFAULT_CONFIRMATION_DAYS = 14
MAX_REASON_LENGTH = 2000
# Resolution outcomes (stored in the audit row).
KEEP, CHANGE, REMOVE = "keep", "change", "remove"


def is_member(user, voucher: Voucher) -> bool:
    """A member (applicant) of the case's organisation."""
    return bool(
        getattr(user, "is_authenticated", False)
        and getattr(user, "role", None) == "applicant"
        and user.organisation_id
        and user.organisation_id == voucher.organisation_id
    )


def _not_yours() -> InvalidTransition:
    return InvalidTransition(
        _("Nur Mitglieder der begleiteten Organisation können diese Stunden bestätigen.")
    )


def _pks(entries: Iterable) -> list[int]:
    return sorted({getattr(e, "pk", e) for e in entries})


def _facilitator_emails(entry: SessionEntry) -> list[str]:
    return [entry.facilitator.user.email]


def _contacts(voucher: Voucher) -> list[str]:
    return [u.email for u in voucher.organisation.contacts()]


def confirm_entries(entries, *, by) -> int:
    """A member of the case's organisation confirms one or several entries (instances or
    primary keys). Returns how many moved from pending to confirmed; entries already
    confirmed, disputed or resolved are left alone. Any entry of another organisation
    refuses the whole call (``InvalidTransition``)."""
    pks = _pks(entries)
    if not pks:
        return 0
    now = timezone.now()
    changed = 0
    with transaction.atomic():
        rows = list(
            SessionEntry.objects.select_for_update(of=("self",))
            .select_related("voucher")
            .filter(pk__in=pks)
            .order_by("pk")
        )
        if len(rows) != len(pks) or not all(is_member(by, row.voucher) for row in rows):
            raise _not_yours()
        for row in rows:
            if row.status != S.PENDING:
                continue
            row.status = S.CONFIRMED
            row.confirmed_at = now
            row.confirmed_by = by
            row.save(update_fields=["status", "confirmed_at", "confirmed_by", "updated_at"])
            log_action(
                by,
                "entry.confirmed",
                row.voucher,
                from_state=S.PENDING,
                to_state=S.CONFIRMED,
                data={"entry": row.pk, "minutes": row.minutes},
            )
            changed += 1
    return changed


def dispute_entry(entry: SessionEntry, *, by, reason: str) -> SessionEntry:
    """A member of the organisation disputes a pending entry with a reason; the office and
    the facilitator are told after commit."""
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(
            _("Bitte begründen Sie kurz, warum Sie dem Eintrag widersprechen."), field="reason"
        )
    if len(reason) > MAX_REASON_LENGTH:
        raise RuleViolation(
            _("Die Begründung ist zu lang (höchstens %(max)d Zeichen).")
            % {"max": MAX_REASON_LENGTH},
            field="reason",
        )
    with transaction.atomic():
        row = (
            SessionEntry.objects.select_for_update(of=("self",))
            .select_related("voucher__programme__operator", "facilitator__user")
            .get(pk=entry.pk)
        )
        if not is_member(by, row.voucher):
            raise _not_yours()
        if row.status != S.PENDING:
            raise InvalidTransition(
                _("Nur Einträge, die auf Ihre Bestätigung warten, können Sie widersprechen.")
            )
        row.status = S.DISPUTED
        row.disputed_at = timezone.now()
        row.disputed_by = by
        row.dispute_reason = reason
        row.save(
            update_fields=["status", "disputed_at", "disputed_by", "dispute_reason", "updated_at"]
        )
        log_action(
            by,
            "entry.disputed",
            row.voucher,
            from_state=S.PENDING,
            to_state=S.DISPUTED,
            reason=reason,
            data={"entry": row.pk, "minutes": row.minutes},
        )
        recipients = [
            row.voucher.programme.operator.notification_address,
            *_facilitator_emails(row),
        ]
        send_mail_on_commit(
            "session_disputed", recipients, {"voucher": row.voucher, "entry": row, "reason": reason}
        )
    entry.refresh_from_db()
    return entry


def resolve_dispute(
    entry: SessionEntry, *, by, minutes: int | None = None, note: str = "", remove: bool = False
) -> SessionEntry:
    """The operator's office resolves a disputed entry: keep it (``minutes=None``), change
    its minutes (``minutes=N``), or remove it (``remove=True`` or ``minutes=0``). Audited;
    the facilitator and the organisation each get one email. A removed entry is deleted (its
    values stay in the audit trail) and returned without a primary key."""
    note = (note or "").strip()[:MAX_REASON_LENGTH]
    removing = remove or minutes == 0
    with transaction.atomic():
        voucher = lock_capacity(entry.voucher)
        require_office_for(by, voucher)
        if getattr(by, "role", None) not in ("office", "admin"):
            raise InvalidTransition(_("Nur das Programmbüro kann einen Widerspruch klären."))
        row = (
            SessionEntry.objects.select_for_update(of=("self",))
            .select_related("facilitator__user")
            .get(pk=entry.pk)
        )
        if row.status != S.DISPUTED:
            raise InvalidTransition(_("Dieser Eintrag ist nicht strittig."))
        old_minutes, old_units = row.minutes, row.units
        if removing:
            outcome = REMOVE
        elif minutes is None or minutes == row.minutes:
            outcome = KEEP
        else:
            outcome = CHANGE
            new_minutes, new_units = validators.validate_minutes(minutes, voucher.programme)
            if new_minutes > row.minutes:
                check_caps(
                    voucher,
                    minutes=new_minutes,
                    units=new_units,
                    in_process=row.with_facilitator_in_process,
                    exclude_pk=row.pk,
                )
            row.minutes, row.units = new_minutes, new_units
        row.status = S.RESOLVED
        row.resolved_at = timezone.now()
        row.resolved_by = by
        row.resolution_note = note
        data = {
            "entry": row.pk,
            "outcome": outcome,
            "old_minutes": old_minutes,
            "old_units": old_units,
            "new_minutes": 0 if removing else row.minutes,
        }
        recipients = _facilitator_emails(row)
        if removing:
            row.delete()
        else:
            row.save()
        log_action(
            by,
            "entry.resolved",
            voucher,
            from_state=S.DISPUTED,
            to_state=S.RESOLVED,
            reason=note,
            data=data,
        )
        context = {"voucher": voucher, "entry": row, "outcome": outcome, "note": note, **data}
        send_mail_on_commit("session_dispute_resolved", recipients, context)
        send_mail_on_commit("session_dispute_resolved", _contacts(voucher), context)
    if removing:
        return row
    entry.refresh_from_db()
    return entry


def confirmation_deadline(entry: SessionEntry) -> dt.datetime:
    days = entry.voucher.programme.confirmation_days
    return entry.created_at + dt.timedelta(days=DEFAULT_CONFIRMATION_DAYS if days is None else days)


def auto_confirm_entries(*, now: dt.datetime | None = None) -> int:
    """Beat task: pending entries older than their programme's ``confirmation_days`` are
    deemed confirmed („gilt als bestätigt“), each exactly once (the row is locked and must
    still be pending). Returns how many entries moved."""
    now = now or timezone.now()
    due = (
        SessionEntry.objects.filter(status=S.PENDING)
        .select_related("voucher__programme")
        .order_by("pk")
    )
    changed = 0
    for candidate in due.iterator(chunk_size=500):
        if confirmation_deadline(candidate) > now:
            continue
        with transaction.atomic():
            row = (
                SessionEntry.objects.select_for_update(of=("self",), skip_locked=True)
                .filter(pk=candidate.pk, status=S.PENDING)
                .first()
            )
            if row is None:
                continue
            row.status = S.CONFIRMED
            row.deemed_confirmed = True
            row.confirmed_at = now
            row.save(update_fields=["status", "deemed_confirmed", "confirmed_at", "updated_at"])
            log_action(
                None,
                "entry.deemed_confirmed",
                candidate.voucher,
                from_state=S.PENDING,
                to_state=S.CONFIRMED,
                reason=_("gilt als bestätigt"),
                data={"entry": row.pk, "minutes": row.minutes},
            )
            changed += 1
    return changed


def open_entries_message(voucher: Voucher) -> str | None:
    """Why ``voucher`` cannot close yet (entries pending or disputed), or ``None``."""
    pending = disputed = 0
    for status in SessionEntry.objects.filter(
        voucher=voucher, status__in=OPEN_STATUSES
    ).values_list("status", flat=True):
        if status == S.PENDING:
            pending += 1
        else:
            disputed += 1
    if not (pending or disputed):
        return None
    parts = []
    if pending:
        parts.append(
            ngettext(
                "%(count)d Eintrag wartet auf die Bestätigung der Organisation",
                "%(count)d Einträge warten auf die Bestätigung der Organisation",
                pending,
            )
            % {"count": pending}
        )
    if disputed:
        parts.append(
            ngettext(
                "%(count)d Eintrag ist strittig",
                "%(count)d Einträge sind strittig",
                disputed,
            )
            % {"count": disputed}
        )
    return _(
        "Die Begleitung kann noch nicht abgeschlossen werden: %(reasons)s. Bitte klären Sie "
        "diese Einträge zuerst."
    ) % {"reasons": "; ".join(parts)}


def check_can_close(voucher: Voucher) -> None:
    """Close check registered with ``vouchers.hooks``: no entry pending or disputed."""
    from django.urls import reverse

    message = open_entries_message(voucher)
    if message:
        raise InvalidTransition(
            message, url=reverse("sessions_log:voucher_sessions", args=[voucher.pk])
        )


def pending_count_for(organisation_id: int) -> int:
    return SessionEntry.objects.filter(
        voucher__organisation_id=organisation_id, status=S.PENDING
    ).count()


def send_confirmation_digests(*, now: dt.datetime | None = None) -> int:
    """Beat task: one email per organisation and day while its entries wait for
    confirmation, to the organisation's contacts, linking to „Stunden bestätigen“. The
    unique (organisation, day) row is taken first, so a second run that day sends nothing."""
    now = now or timezone.now()
    day = timezone.localdate(now)
    waiting = (
        SessionEntry.objects.filter(status=S.PENDING)
        .exclude(Q(voucher__organisation__isnull=True))
        .values_list("voucher__organisation_id", flat=True)
        .distinct()
    )
    sent = 0
    for organisation_id in sorted(set(waiting)):
        with transaction.atomic():
            digest, created = ConfirmationDigest.objects.get_or_create(
                organisation_id=organisation_id, day=day
            )
            if not created:
                continue
            entries = list(
                SessionEntry.objects.filter(
                    voucher__organisation_id=organisation_id, status=S.PENDING
                ).select_related("voucher__organisation", "voucher__programme")
            )
            digest.pending = len(entries)
            digest.save(update_fields=["pending"])
            organisation = entries[0].voucher.organisation
            send_mail_on_commit(
                "sessions_to_confirm",
                [u.email for u in organisation.contacts()],
                {
                    "organisation": organisation,
                    "voucher": entries[0].voucher,
                    "count": len(entries),
                    "total_minutes": sum(e.minutes for e in entries),
                },
            )
            sent += 1
    return sent
