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

Why plain SQL, and how many round trips
---------------------------------------
``log_session`` is measured against a bare ``SessionEntry.objects.create`` (bench/README.md,
``log_session_vs_bare_insert``). Compiling an ORM query costs more than the database needs
to run these small statements, so the reads are written once in SQL (``sessions_log.balance``)
and the guard of ``log_session`` reads in one locking statement the voucher's state and caps,
whether the facilitator is assigned and whether it accompanies the organisation's process:

* **PostgreSQL**: ``SELECT … FOR UPDATE`` of the voucher row (after the organisation row for
  Virtuelle Begleitung), then the ``SUM`` as a statement of its own, all sent in one round
  trip (psycopg's client-side binding). The ``SUM`` must not be a subquery of the locking
  statement: that would read the snapshot taken *before* waiting for the lock and miss the
  entry of the previous lock holder; a statement of its own gets a fresh snapshot.
* **SQLite** (``BEGIN IMMEDIATE``): the transaction holds the write lock from its first
  statement, so the balance is read in the same statement as the voucher's state.
"""

from __future__ import annotations

from django.utils.translation import ngettext

from portal.errors import CapExceeded
from portal.models import FacilitatorProfile, Organisation, Programme
from sessions_log import balance
from sessions_log.balance import Balance
from sessions_log.durations import format_duration
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


def lock_for_logging(voucher: Voucher, facilitator: FacilitatorProfile) -> Balance:
    """``lock_capacity`` for a new entry, in one statement where possible: locks the same
    rows in the same order and returns the voucher's fresh state and caps, whether
    ``facilitator`` is assigned to it and (Virtuelle Begleitung) already accompanies the
    organisation's process. Call inside ``transaction.atomic()``, then ``check_balance``."""
    return balance.lock_for_logging(voucher, facilitator.pk, lock_rows=LOCK_CAPACITY_ROWS)


def facilitator_in_process(voucher: Voucher, facilitator: FacilitatorProfile) -> bool:
    """Is the facilitator already accompanying the organisation's process, i.e. assigned to
    an open case of the same organisation in another programme of the same operator?"""
    return balance.facilitator_in_process(
        voucher.organisation_id, voucher.programme, facilitator.pk
    )


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
    used, used_in_process = balance.read_used(voucher, exclude_pk=exclude_pk)
    if voucher.programme.kind == Programme.Kind.VIRTUELL:
        _check_units(
            voucher,
            cap=cap_units_of(voucher),
            cap_in_process=cap_units_in_process_of(voucher),
            used=used,
            used_in_process=used_in_process,
            units=units,
            in_process=in_process,
        )
    else:
        _check_minutes(cap_minutes_of(voucher), used=used, minutes=minutes)


def check_balance(voucher: Voucher, state: Balance, *, minutes: int, units: int) -> None:
    """``check_caps`` for a new entry on ``voucher`` with the ``state`` that
    ``lock_for_logging`` read (same transaction): no further query."""
    if voucher.programme.kind == Programme.Kind.VIRTUELL:
        _check_units(
            voucher,
            cap=state.cap_units,
            cap_in_process=state.cap_units_in_process,
            used=state.used,
            used_in_process=state.used_in_process,
            units=units,
            in_process=state.in_process,
        )
    else:
        _check_minutes(state.cap_minutes, used=state.used, minutes=minutes)


def _check_minutes(cap: int | None, *, used: int, minutes: int) -> None:
    if cap is None:
        return
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


def _check_units(
    voucher: Voucher,
    *,
    cap: int | None,
    cap_in_process: int | None,
    used: int,
    used_in_process: int,
    units: int,
    in_process: bool,
) -> None:
    unit = unit_minutes(voucher.programme)
    remaining = max(cap - used, 0) if cap is not None else None
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
    remaining_in_process = max(cap_in_process - used_in_process, 0)
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
