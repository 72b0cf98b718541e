"""Services of the session log: logging, correcting and deleting sessions against the caps.

Views, admin actions and commands all call these. Each one checks role, assignment and the
voucher's state, enforces the caps under a row lock (see ``sessions_log.caps`` for why these
rows) and writes an audit row in the same transaction."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils.translation import gettext as _

from portal.audit import log_action
from portal.errors import InvalidTransition, RuleViolation
from portal.models import FacilitatorProfile, Programme
from portal.scoping import require_office_for
from sessions_log import validators
from sessions_log.caps import (
    check_balance,
    check_caps,
    facilitator_in_process,
    lock_capacity,
    lock_for_logging,
)
from sessions_log.confirmation import (
    auto_confirm_entries,
    confirm_entries,
    dispute_entry,
    resolve_dispute,
    send_confirmation_digests,
)
from sessions_log.models import SessionEntry
from vouchers.models import Voucher

__all__ = [
    "auto_confirm_entries",
    "confirm_entries",
    "delete_session",
    "dispute_entry",
    "log_session",
    "resolve_dispute",
    "send_confirmation_digests",
    "update_session",
]

# Sessions may be corrected or deleted until the voucher is closed.
EDITABLE_VOUCHER_STATUSES = (Voucher.Status.ACTIVE, Voucher.Status.CLOSING_REQUESTED)
EDITABLE_FIELDS = frozenset(
    {"date", "minutes", "activity", "format", "notes", "participants", "facilitator"}
)


def _user(by):
    """``by`` is a User; a FacilitatorProfile passed by mistake stands for its user."""
    return by.user if isinstance(by, FacilitatorProfile) else by


def _is_office(user) -> bool:
    return getattr(user, "role", None) in ("office", "admin")


def _profile(facilitator) -> FacilitatorProfile:
    """Accept a FacilitatorProfile or its User."""
    profile = getattr(facilitator, "facilitator_profile", facilitator)
    if not isinstance(profile, FacilitatorProfile):
        raise RuleViolation(_("Diese Person ist nicht als Prozessbegleiter*in registriert."))
    return profile


def _acting_profile(voucher: Voucher, *, by, facilitator) -> FacilitatorProfile:
    """The facilitator the entry is logged for: ``by`` itself, or — for office staff —
    ``facilitator`` (or the voucher's only facilitator). Not yet checked: the assignment."""
    role = getattr(by, "role", None)
    if role == "facilitator":
        own = getattr(by, "facilitator_profile", None)
        if own is None:
            raise InvalidTransition(_("Ihr Profil als Prozessbegleiter*in fehlt."))
        if facilitator is not None and _profile(facilitator).pk != own.pk:
            raise InvalidTransition(_("Sie können nur Ihre eigenen Sitzungen eintragen."))
        return own
    if _is_office(by):
        require_office_for(by, voucher)
        if facilitator is not None:
            return _profile(facilitator)
        assigned = list(voucher.facilitators.all()[:2])
        if len(assigned) != 1:
            raise RuleViolation(
                _("Bitte wählen Sie, für welche*n Prozessbegleiter*in Sie eintragen.")
            )
        return assigned[0]
    raise InvalidTransition(_("Dieser Schritt ist mit Ihrer Rolle nicht möglich."))


def _not_assigned(profile: FacilitatorProfile, *, by) -> InvalidTransition:
    return InvalidTransition(
        _("%(name)s ist diesem Gutschein nicht zugeordnet.") % {"name": profile.name}
        if _is_office(by)
        else _("Sie sind diesem Gutschein nicht zugeordnet.")
    )


def _acting_facilitator(voucher: Voucher, *, by, facilitator) -> FacilitatorProfile:
    """``_acting_profile``, which must be assigned to the voucher."""
    profile = _acting_profile(voucher, by=by, facilitator=facilitator)
    if not voucher.facilitators.filter(pk=profile.pk).exists():
        raise _not_assigned(profile, by=by)
    return profile


def _not_active(status: str) -> InvalidTransition:
    return InvalidTransition(
        _(
            "Sitzungen können nur bei aktiven Gutscheinen eingetragen werden "
            "(Vereinbarung unterschrieben). Status: „%(status)s“."
        )
        % {"status": dict(Voucher.Status.choices).get(status, status)}
    )


def _clean(programme: Programme, values: dict, *, voucher: Voucher) -> dict:
    minutes, units = validators.validate_minutes(values["minutes"], programme)
    return {
        # Rule 9: between the day the case was issued and its end date, never in the future.
        "date": validators.validate_case_date(values["date"], voucher),
        "minutes": minutes,
        "units": units,
        "activity": validators.validate_activity(values["activity"]),
        "format": validators.validate_format(values["format"]),
        "participants": validators.validate_participants(values.get("participants")),
        "notes": validators.validate_notes(values.get("notes")),
    }


def snapshot(entry: SessionEntry) -> dict:
    """The entry's values as JSON for the audit trail."""
    return {
        "date": entry.date.isoformat() if isinstance(entry.date, dt.date) else str(entry.date),
        "minutes": entry.minutes,
        "units": entry.units,
        "activity": entry.activity,
        "format": entry.format,
        "participants": entry.participants,
        "notes": entry.notes,
        "facilitator": entry.facilitator_id,
        "with_facilitator_in_process": entry.with_facilitator_in_process,
    }


def log_session(
    voucher: Voucher,
    *,
    by,
    date: dt.date,
    minutes: int,
    activity: str,
    format: str,  # shadows the builtin: the name is fixed by the service contract
    notes: str = "",
    facilitator=None,
    participants: int | None = None,
) -> SessionEntry:
    """Log a session (or preparation time) on an active voucher within its caps.

    ``by`` is the facilitator's user; office staff pass ``facilitator=`` (a FacilitatorProfile
    or its User) to log on behalf. Raises ``InvalidTransition`` (role, assignment, state),
    ``RuleViolation`` (invalid values) or ``CapExceeded`` (with what remains)."""
    profile = _acting_profile(voucher, by=by, facilitator=facilitator)
    with transaction.atomic():
        # Lock the row that stands for the cap before reading the balance: the voucher for
        # the 16 hours, the organisation for the per-organisation sparring units (why: see
        # the docstring of ``sessions_log.caps``). Concurrent writers queue here. The same
        # statement reads the voucher's state and whether ``profile`` is assigned to it.
        state = lock_for_logging(voucher, profile)
        if not state.assigned:
            raise _not_assigned(profile, by=by)
        if state.status != Voucher.Status.ACTIVE:
            raise _not_active(state.status)
        values = _clean(
            voucher.programme,
            {
                "date": date,
                "minutes": minutes,
                "activity": activity,
                "format": format,
                "participants": participants,
                "notes": notes,
            },
            voucher=voucher,
        )
        check_balance(voucher, state, minutes=values["minutes"], units=values["units"])
        entry = SessionEntry.objects.create(
            voucher=voucher,
            facilitator=profile,
            # Decided now and stored, so later changes to other vouchers don't rewrite history.
            with_facilitator_in_process=state.in_process,
            created_by=by,
            **values,
        )
        log_action(
            by,
            "session.created",
            voucher,
            data={"entry": entry.pk, "old": None, "new": snapshot(entry)},
        )
    return entry


def _require_may_change(entry: SessionEntry, voucher: Voucher, *, by) -> None:
    if voucher.status not in EDITABLE_VOUCHER_STATUSES:
        raise InvalidTransition(
            _(
                "Sitzungen können nur geändert werden, solange der Gutschein nicht "
                "abgeschlossen ist. Status: „%(status)s“."
            )
            % {"status": voucher.get_status_display()}
        )
    if _is_office(by):
        require_office_for(by, voucher)
        return
    if (
        getattr(by, "role", None) == "facilitator"
        and entry.facilitator.user_id == by.pk
        and voucher.facilitators.filter(pk=entry.facilitator_id).exists()
    ):
        return
    raise InvalidTransition(_("Sie können nur Ihre eigenen Sitzungen ändern."))


def update_session(entry: SessionEntry, *, by, **changes) -> SessionEntry:
    """Correct an entry until the voucher is closed; re-checks the caps (without the entry
    itself) and audits old → new values. Office staff may also change ``facilitator``."""
    by = _user(by)
    unknown = set(changes) - EDITABLE_FIELDS
    if unknown:
        raise TypeError(f"update_session() got unexpected fields: {sorted(unknown)}")
    with transaction.atomic():
        locked = lock_capacity(entry.voucher)
        current = SessionEntry.objects.select_related("facilitator").get(pk=entry.pk)
        _require_may_change(current, locked, by=by)
        profile = current.facilitator
        if changes.get("facilitator") is not None:
            if not _is_office(by):
                raise InvalidTransition(_("Nur das Programmbüro kann die Person ändern."))
            profile = _acting_facilitator(locked, by=by, facilitator=changes["facilitator"])
        merged = {name: changes.get(name, getattr(current, name)) for name in EDITABLE_FIELDS}
        values = _clean(locked.programme, merged, voucher=locked)
        in_process = current.with_facilitator_in_process
        if profile.pk != current.facilitator_id:
            in_process = locked.programme.is_virtual and facilitator_in_process(locked, profile)
        # Only an entry that consumes more can break a cap; shrinking never needs the check.
        consumes_more = (
            values["minutes"] > current.minutes
            or values["units"] > current.units
            or (in_process and not current.with_facilitator_in_process)
        )
        if consumes_more:
            check_caps(
                locked,
                minutes=values["minutes"],
                units=values["units"],
                in_process=in_process,
                exclude_pk=current.pk,
            )
        old = snapshot(current)
        for name, value in values.items():
            setattr(current, name, value)
        current.facilitator = profile
        current.with_facilitator_in_process = in_process
        new = snapshot(current)
        if new != old:
            if not _is_office(by) and current.status != SessionEntry.Status.PENDING:
                # Rule 10: changed hours need the organisation's confirmation again.
                current.status = SessionEntry.Status.PENDING
                current.confirmed_at = None
                current.confirmed_by = None
                current.deemed_confirmed = False
            current.save()
            changed = sorted(key for key in new if new[key] != old[key])
            log_action(
                by,
                "session.updated",
                locked,
                data={
                    "entry": current.pk,
                    "old": {key: old[key] for key in changed},
                    "new": {key: new[key] for key in changed},
                },
            )
    entry.refresh_from_db()
    return entry


def delete_session(entry: SessionEntry, *, by) -> None:
    """Delete an entry until the voucher is closed; audited with its old values.

    Deleting only releases capacity, so only the voucher row is locked (for the state guard
    that closing also takes), not the organisation's capacity row."""
    by = _user(by)
    with transaction.atomic():
        locked = lock_capacity(entry.voucher, capacity=False)
        current = SessionEntry.objects.select_related("facilitator").get(pk=entry.pk)
        _require_may_change(current, locked, by=by)
        old = snapshot(current)
        entry_pk = current.pk
        current.delete()
        log_action(by, "session.deleted", locked, data={"entry": entry_pk, "old": old, "new": None})
