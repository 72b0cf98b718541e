"""Cap enforcement for session entries (DESIGN.md rules 4 and 5).

Why these locks
---------------
A cap is a balance that many writers consume. Reading the balance and inserting the new
entry must not interleave with another writer doing the same, or both see "60 minutes
left" and both insert. We serialise the writers on *one row that stands for the capacity*
(``SELECT … FOR UPDATE`` inside ``transaction.atomic()``) and re-read the balance only
after the lock is granted:

* **Prozessbegleitung — the voucher row.** The 960 minutes belong to one voucher, so every
  writer of that voucher locks it. Locking the session rows instead would not work: the new
  entry does not exist yet (a phantom) and on an empty voucher there is nothing to lock.
  PostgreSQL's READ COMMITTED gives every statement a fresh snapshot, so the ``SUM`` that
  runs after the lock is granted includes what the previous lock holder committed.
* **Virtuelle Begleitung — the organisation row.** The 12 units (5 with facilitators in
  process) are shared by *all* virtuell vouchers of an organisation. Two facilitators on two
  vouchers would take two different voucher locks and both pass, so we lock the one row they
  share: the organisation. The voucher row is locked next (for the state guard, which
  closing also takes). The order is always organisation → voucher, never the reverse, so
  two writers cannot deadlock on these rows.
* **SQLite** has no row locks; the settings open each transaction with ``BEGIN IMMEDIATE``,
  which serialises all writers on the database file, so the same code holds there too.

Releasing capacity (deleting an entry, shortening it) never needs the capacity lock.
"""

from __future__ import annotations

from django.db.models import Q, Sum
from django.db.models.functions import Coalesce
from django.utils.translation import ngettext

from portal.errors import CapExceeded
from portal.models import FacilitatorProfile, Organisation, Programme
from sessions_log.durations import format_duration
from sessions_log.models import SessionEntry
from sessions_log.validators import unit_minutes
from vouchers.models import Voucher

# Test-only switch: the control test in tests/sessions_log turns it off to show that the
# race is real without the row lock. Production code never changes it.
LOCK_CAPACITY_ROWS = True


def _for_update(queryset):
    return queryset.select_for_update(of=("self",)) if LOCK_CAPACITY_ROWS else queryset


def lock_capacity(voucher: Voucher, *, capacity: bool = True) -> Voucher:
    """Lock the capacity row(s) for a write on ``voucher`` and return it freshly read.

    Call inside ``transaction.atomic()``. With ``capacity=False`` only the voucher row is
    locked (for the state guard when capacity is only released)."""
    # A voucher's programme never changes, so its kind needs no fresh read.
    if capacity and voucher.programme.kind == Programme.Kind.VIRTUELL:
        _for_update(Organisation.objects.filter(pk=voucher.organisation_id)).get()
    return _for_update(Voucher.objects.select_related("programme", "organisation")).get(
        pk=voucher.pk
    )


def facilitator_in_process(organisation_id: int, facilitator: FacilitatorProfile) -> bool:
    """Is the facilitator already accompanying the organisation's process, i.e. assigned to
    one of its open Prozessbegleitung vouchers?"""
    return Voucher.objects.filter(
        organisation_id=organisation_id,
        programme__kind=Programme.Kind.PROZESSBEGLEITUNG,
        status__in=Voucher.OPEN_STATUSES,
        facilitators=facilitator,
    ).exists()


def cap_minutes_of(voucher: Voucher) -> int | None:
    if voucher.cap_minutes is not None:
        return voucher.cap_minutes
    return voucher.programme.cap_minutes


def cap_units_of(voucher: Voucher) -> int | None:
    if voucher.cap_units is not None:
        return voucher.cap_units
    return voucher.programme.cap_units


def cap_units_in_process_of(voucher: Voucher) -> int | None:
    if voucher.cap_units_in_process is not None:
        return voucher.cap_units_in_process
    return voucher.programme.cap_units_in_process


def check_caps(
    voucher: Voucher,
    *,
    minutes: int,
    units: int,
    in_process: bool,
    exclude_pk: int | None = None,
) -> None:
    """Raise ``CapExceeded`` if an entry of ``minutes``/``units`` would break a cap.

    ``voucher`` must come from ``lock_capacity`` (same transaction); ``exclude_pk`` leaves
    out the entry being edited."""
    if voucher.programme.kind == Programme.Kind.VIRTUELL:
        _check_units(voucher, units=units, in_process=in_process, exclude_pk=exclude_pk)
    else:
        _check_minutes(voucher, minutes=minutes, exclude_pk=exclude_pk)


def _check_minutes(voucher: Voucher, *, minutes: int, exclude_pk: int | None) -> None:
    cap = cap_minutes_of(voucher)
    if cap is None:
        return
    used = (
        SessionEntry.objects.filter(voucher=voucher)
        .exclude(pk=exclude_pk)
        .aggregate(total=Coalesce(Sum("minutes"), 0))["total"]
    )
    remaining = max(cap - used, 0)
    if minutes <= remaining:
        return
    message = ngettext(
        "Dieser Eintrag überschreitet die Obergrenze von %(cap)s für diesen Gutschein. "
        "Es verbleibt noch %(remaining)d Minute (%(duration)s).",
        "Dieser Eintrag überschreitet die Obergrenze von %(cap)s für diesen Gutschein. "
        "Es verbleiben noch %(remaining)d Minuten (%(duration)s).",
        remaining,
    ) % {
        "cap": format_duration(cap),
        "remaining": remaining,
        "duration": format_duration(remaining),
    }
    raise CapExceeded(message, remaining_minutes=remaining, remaining_units=None)


def _check_units(voucher: Voucher, *, units: int, in_process: bool, exclude_pk: int | None) -> None:
    cap = cap_units_of(voucher)
    cap_in_process = cap_units_in_process_of(voucher)
    unit = unit_minutes(voucher.programme)
    used = (
        SessionEntry.objects.filter(
            voucher__organisation_id=voucher.organisation_id,
            voucher__programme__kind=Programme.Kind.VIRTUELL,
        )
        .exclude(pk=exclude_pk)
        .aggregate(
            total=Coalesce(Sum("units"), 0),
            in_process=Coalesce(Sum("units", filter=Q(with_facilitator_in_process=True)), 0),
        )
    )
    remaining = max(cap - used["total"], 0) if cap is not None else None
    if remaining is not None and units > remaining:
        message = ngettext(
            "%(organisation)s kann höchstens %(cap)d Sparring-Einheiten nutzen. "
            "Es verbleibt noch %(remaining)d Einheit (%(duration)s).",
            "%(organisation)s kann höchstens %(cap)d Sparring-Einheiten nutzen. "
            "Es verbleiben noch %(remaining)d Einheiten (%(duration)s).",
            remaining,
        ) % {
            "organisation": voucher.organisation.name,
            "cap": cap,
            "remaining": remaining,
            "duration": format_duration(remaining * unit),
        }
        raise CapExceeded(message, remaining_units=remaining, remaining_minutes=remaining * unit)
    if not in_process or cap_in_process is None:
        return
    remaining_in_process = max(cap_in_process - used["in_process"], 0)
    if remaining is not None:
        remaining_in_process = min(remaining_in_process, remaining)
    if units <= remaining_in_process:
        return
    message = ngettext(
        "Mit Prozessbegleiter*innen, die %(organisation)s bereits im Prozess begleiten, sind "
        "höchstens %(cap)d Sparring-Einheiten möglich. Mit ihnen verbleibt noch "
        "%(remaining)d Einheit (%(duration)s).",
        "Mit Prozessbegleiter*innen, die %(organisation)s bereits im Prozess begleiten, sind "
        "höchstens %(cap)d Sparring-Einheiten möglich. Mit ihnen verbleiben noch "
        "%(remaining)d Einheiten (%(duration)s).",
        remaining_in_process,
    ) % {
        "organisation": voucher.organisation.name,
        "cap": cap_in_process,
        "remaining": remaining_in_process,
        "duration": format_duration(remaining_in_process * unit),
    }
    if remaining is not None and remaining > remaining_in_process:
        message += " " + ngettext(
            "Mit anderen Sparring-Partner*innen ist insgesamt noch %(remaining)d Einheit möglich.",
            "Mit anderen Sparring-Partner*innen sind insgesamt noch %(remaining)d Einheiten möglich.",
            remaining,
        ) % {"remaining": remaining}
    raise CapExceeded(
        message,
        remaining_units=remaining_in_process,
        remaining_minutes=remaining_in_process * unit,
    )
