"""The reads behind the caps, in SQL: the locking read of a voucher and the balance used.

Why SQL, which rows are locked and why the balance is read after the lock: see the
docstring of ``sessions_log.caps``. The statements are plain SQL that SQLite and PostgreSQL
both run; table names come from the models' ``_meta`` and each statement's text is built
once per database vendor. Every value is a parameter."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

from django.db import DEFAULT_DB_ALIAS, connections

from portal.models import Programme
from sessions_log import hooks
from sessions_log.sql import tables
from vouchers.models import Voucher

VIRTUELL = Programme.Kind.VIRTUELL.value
OPEN_STATUSES = [status.value for status in Voucher.OPEN_STATUSES]

# What is used, as (used, used with facilitators in process): the minutes of one voucher
# (Prozessbegleitung) or the units of all Virtuelle-Begleitung vouchers of an organisation.
_USED_MINUTES = (
    "SELECT COALESCE(SUM(e.minutes), 0) AS used, 0 AS used_in_process "
    "FROM {entry} e WHERE e.voucher_id = %s"
)
_USED_UNITS = (
    "SELECT COALESCE(SUM(e.units), 0) AS used, "
    "COALESCE(SUM(CASE WHEN e.with_facilitator_in_process THEN e.units ELSE 0 END), 0) "
    "AS used_in_process "
    "FROM {entry} e JOIN {voucher} ev ON ev.id = e.voucher_id "
    "JOIN {programme} ep ON ep.id = ev.programme_id "
    "WHERE ev.organisation_id = %s AND ep.kind = %s"
)
_EXCLUDE_ENTRY = " AND e.id <> %s"
# Is the facilitator assigned to the voucher ``v``?
_ASSIGNED = (
    "EXISTS (SELECT 1 FROM {assignment} a "
    "WHERE a.voucher_id = v.id AND a.facilitatorprofile_id = %s)"
)
# Does the facilitator accompany the organisation's process (rule 5): assigned to an open
# case of the same organisation in another programme of the same operator (not another
# sparring programme: "the process" is the operator's accompanied process or voucher)?
_IN_PROCESS = (
    "EXISTS (SELECT 1 FROM {voucher} pv JOIN {programme} pp ON pp.id = pv.programme_id "
    "JOIN {assignment} pa ON pa.voucher_id = pv.id "
    "WHERE pv.organisation_id = %s AND pp.operator_id = %s AND pp.id <> %s AND pp.kind <> %s "
    "AND pv.status IN ({open_statuses}) AND pa.facilitatorprofile_id = %s)"
)
_LOCK_ORGANISATION = "SELECT o.id FROM {organisation} o WHERE o.id = %s FOR UPDATE"
# Built from the constant fragments above by ``_lock_template``; every value is a parameter.
_LOCK_VOUCHER = "SELECT {columns} FROM {tables} WHERE v.id = %s"


@dataclass(frozen=True, slots=True)
class Balance:
    """What ``lock_for_logging`` read under the lock: the voucher's state and caps (where
    the voucher has no cap of its own, its programme's; vouchers copy them at issue), whether
    the facilitator is assigned to it and (Virtuelle Begleitung) already accompanies the
    organisation's process, and what is used (minutes, or the organisation's units)."""

    status: str
    cap_minutes: int | None
    cap_units: int | None
    cap_units_in_process: int | None
    assigned: bool
    in_process: bool
    used: int
    used_in_process: int


@cache
def _sql(vendor: str, template: str) -> str:
    return template.format(**tables(vendor), open_statuses=", ".join(["%s"] * len(OPEN_STATUSES)))


def _sends_batches(connection, cursor) -> bool:
    """Can several statements go in one round trip? psycopg 3's client-side binding cursor
    (Django's default on PostgreSQL) sends them as one simple-query message; PostgreSQL
    still runs them one after the other, each with a snapshot of its own (READ COMMITTED).
    Not with ``server_side_binding`` (one statement per message), nor with psycopg 2."""
    if connection.vendor != "postgresql":
        return False
    try:
        from psycopg import ClientCursor
    except ImportError:  # psycopg 2: only the last statement's rows come back
        return False
    return isinstance(cursor.cursor, ClientCursor)


def _fetch_each(connection, queries: list[tuple[str, list]]) -> list[tuple | None]:
    """The first row of each statement, run in order — in one round trip where possible."""
    vendor = connection.vendor
    with connection.cursor() as cursor:
        if len(queries) > 1 and _sends_batches(connection, cursor):
            cursor.execute(
                "; ".join(_sql(vendor, template) for template, _ in queries),
                [param for _, params in queries for param in params],
            )
            rows = [cursor.fetchone()]
            while cursor.nextset():
                rows.append(cursor.fetchone())
            return rows
        rows = []
        for template, params in queries:
            cursor.execute(_sql(vendor, template), params)
            rows.append(cursor.fetchone())
        return rows


def _is_virtual(voucher: Voucher) -> bool:
    # A voucher's programme never changes, so its kind needs no fresh read.
    return voucher.programme.kind == VIRTUELL


def _with_reserved(template: str) -> str:
    """Rule 12: units that booked sparring appointments reserve count as used. The app
    that books them registers their count as SQL (``sessions_log.hooks``), read in the same
    statement as the logged units. Its one parameter (the organisation) comes last."""
    reserved = hooks.reserved_sql()
    if reserved is None:
        return template
    return (
        "SELECT uu.used + rr.units AS used, "  # noqa: S608  # nosec B608 - constants only
        "uu.used_in_process + rr.units_in_process AS used_in_process "
        f"FROM ({template}) uu CROSS JOIN ({reserved}) rr"
    )


def _used_query(voucher: Voucher, *, exclude_pk: int | None = None) -> tuple[str, list]:
    if _is_virtual(voucher):
        template, params = _USED_UNITS, [voucher.organisation_id, VIRTUELL]
    else:
        template, params = _USED_MINUTES, [voucher.pk]
    if exclude_pk is not None:
        template, params = template + _EXCLUDE_ENTRY, [*params, exclude_pk]
    if _is_virtual(voucher) and hooks.reserved_sql() is not None:
        template, params = _with_reserved(template), [*params, voucher.organisation_id]
    return template, params


def read_used(voucher: Voucher, *, exclude_pk: int | None = None) -> tuple[int, int]:
    """(used, used with facilitators in process): minutes of the voucher (Prozessbegleitung)
    or units of the organisation (Virtuelle Begleitung), without entry ``exclude_pk``."""
    query = _used_query(voucher, exclude_pk=exclude_pk)
    [(used, used_in_process)] = _fetch_each(connections[DEFAULT_DB_ALIAS], [query])
    return int(used), int(used_in_process)


def _in_process_params(organisation_id: int, programme: Programme, facilitator_id: int) -> list:
    return [
        organisation_id,
        programme.operator_id,
        programme.pk,
        VIRTUELL,
        *OPEN_STATUSES,
        facilitator_id,
    ]


def facilitator_in_process(organisation_id: int, programme: Programme, facilitator_id: int) -> bool:
    """Is the facilitator assigned to an open case of the organisation in another programme
    of ``programme``'s operator (for the FüAk: its accompanied process)?"""
    params = _in_process_params(organisation_id, programme, facilitator_id)
    [(found,)] = _fetch_each(connections[DEFAULT_DB_ALIAS], [("SELECT " + _IN_PROCESS, params)])
    return bool(found)


def holds_write_lock(connection) -> bool:
    """Does the current transaction hold the database's write lock since its start? True on
    SQLite in ``IMMEDIATE``/``EXCLUSIVE`` mode (the settings): no other writer can commit
    between two of its statements, so one statement may read state and balance together."""
    return (
        connection.vendor == "sqlite"
        and connection.in_atomic_block
        and getattr(connection, "transaction_mode", None) in ("IMMEDIATE", "EXCLUSIVE")
    )


@cache
def _lock_template(*, virtual: bool, with_used: bool, for_update: bool) -> str:
    columns = [
        "v.status",
        "v.cap_minutes",
        "v.cap_units",
        "v.cap_units_in_process",
        _ASSIGNED,
        _IN_PROCESS if virtual else "0",
    ]
    tables = "{voucher} v"
    if with_used:
        columns += ["u.used", "u.used_in_process"]
        tables += f" CROSS JOIN ({_with_reserved(_USED_UNITS) if virtual else _USED_MINUTES}) u"
    template = _LOCK_VOUCHER.format(columns=", ".join(columns), tables=tables)
    return template + " FOR UPDATE OF v" if for_update else template


def lock_for_logging(voucher: Voucher, facilitator_id: int, *, lock_rows: bool) -> Balance:
    """Lock the capacity row(s) of ``voucher`` — with ``lock_rows`` and where the database
    has row locks: the organisation's row first for Virtuelle Begleitung, then the voucher's
    — and read what ``Balance`` holds. Call inside ``transaction.atomic()``.

    Where the transaction holds the write lock since its start (``holds_write_lock``) this
    is one statement. Otherwise the balance is a statement of its own after the locking
    ones (in the same round trip where the driver allows): a subquery of the locking
    statement would read the snapshot taken before it waited for the lock."""
    connection = connections[DEFAULT_DB_ALIAS]
    virtual = _is_virtual(voucher)
    for_update = lock_rows and connection.features.has_select_for_update
    with_used = holds_write_lock(connection)
    params: list = [facilitator_id]
    if virtual:
        params += _in_process_params(voucher.organisation_id, voucher.programme, facilitator_id)
    if with_used:
        params += _used_query(voucher)[1]
    params.append(voucher.pk)
    queries = [
        (_lock_template(virtual=virtual, with_used=with_used, for_update=for_update), params)
    ]
    if virtual and for_update:
        queries.insert(0, (_LOCK_ORGANISATION, [voucher.organisation_id]))
    if not with_used:
        queries.append(_used_query(voucher))
    rows = _fetch_each(connection, queries)
    row = rows[-1] if with_used else rows[-2]
    if row is None:
        raise Voucher.DoesNotExist(f"Voucher {voucher.pk} does not exist.")
    status, cap_minutes, cap_units, cap_in_process, assigned, in_process = row[:6]
    used, used_in_process = row[6:] if with_used else rows[-1]
    programme = voucher.programme
    return Balance(
        status=status,
        cap_minutes=programme.cap_minutes if cap_minutes is None else cap_minutes,
        cap_units=programme.cap_units if cap_units is None else cap_units,
        cap_units_in_process=(
            programme.cap_units_in_process if cap_in_process is None else cap_in_process
        ),
        assigned=bool(assigned),
        in_process=bool(in_process),
        used=int(used),
        used_in_process=int(used_in_process),
    )
