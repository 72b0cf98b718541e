"""The reads of the facilitator dashboard (``sessions_log:dashboard``), in SQL.

Why SQL: the page has a throughput goal (issue 10, ``throughput_dashboard_vs_hello``), and
built with the ORM its three reads cost about 4 ms of Python per request to compose and
compile — more than running them, and more than the rest of the view; as plain statements
they cost a tenth of that. As in ``sessions_log.balance``: plain SQL that SQLite and
PostgreSQL both run, table names from the models' ``_meta``, each statement's text built
once per database vendor (and list length), every value a parameter.

The reads: the facilitator's open cases (all of them: they are few, the current period's),
a page of their closed cases, and the sessions' totals of the cases shown — minutes and
units per voucher, and units per organisation over its Virtuelle-Begleitung vouchers (the
organisation's cap). ``usage_of_case`` turns them into the ``Usage`` the other pages get
from ``selectors.annotate_usage``; ``tests/sessions_log/test_panels_selectors.py`` checks
that both agree."""

from __future__ import annotations

import datetime as dt
from functools import cache
from typing import NamedTuple

from django.db import DEFAULT_DB_ALIAS, connections

from portal.models import Programme
from sessions_log.selectors import Usage, build_usage
from sessions_log.sql import tables
from vouchers.models import Voucher

VIRTUELL = Programme.Kind.VIRTUELL.value
OPEN_STATUSES = [status.value for status in Voucher.OPEN_STATUSES]
CLOSED_STATUSES = [status.value for status in Voucher.CLOSED_STATUSES]

# A case as the dashboard shows it; the caps are the voucher's own, else its programme's.
# The statements below are put together from these fragments by ``_sql``.
_FRAGMENTS = {
    "columns": (
        "v.id, v.code, v.status, v.valid_until, v.organisation_id, o.name, p.name, p.kind, "
        "p.unit_minutes, COALESCE(v.cap_minutes, p.cap_minutes), "
        "COALESCE(v.cap_units, p.cap_units), "
        "COALESCE(v.cap_units_in_process, p.cap_units_in_process), v.programme_id, p.operator_id"
    ),
    "cases": (
        "{voucher} v JOIN {organisation} o ON o.id = v.organisation_id "
        "JOIN {programme} p ON p.id = v.programme_id"
    ),
    # The vouchers the user is assigned to as a facilitator (``vouchers_visible_to`` for a
    # facilitator), with the given statuses.
    "own": (
        "SELECT a.voucher_id FROM {assignment} a "
        "JOIN {profile} f ON f.id = a.facilitatorprofile_id "
        "JOIN {voucher} av ON av.id = a.voucher_id "
        "WHERE f.user_id = %s AND av.status IN ({statuses})"
    ),
}
_OPEN_CASES = "SELECT {columns} FROM {cases} WHERE v.id IN ({own}) ORDER BY v.valid_until, v.id"
# The latest closed cases: picked among the vouchers alone, then joined (PostgreSQL would
# otherwise join every closed case before sorting).
_LATEST_CLOSED = (
    "SELECT {columns} FROM {cases} WHERE v.id IN "
    "({own} ORDER BY av.closed_at DESC, av.id DESC LIMIT %s) "
    "ORDER BY v.closed_at DESC, v.id DESC"
)
# A page of closed cases with their number (a window over all of them).
_CLOSED_PAGE = (
    "SELECT {columns}, COUNT(*) OVER () FROM {cases} WHERE v.id IN ({own}) "
    "ORDER BY v.closed_at DESC, v.id DESC LIMIT %s OFFSET %s"
)
_COUNT_OWN = "SELECT COUNT(*) FROM ({own}) own"
_PER_VOUCHER = (
    "SELECT e.voucher_id, 0, SUM(e.minutes), SUM(e.units), 0 FROM {entry} e "
    "WHERE e.voucher_id IN ({ids}) GROUP BY e.voucher_id"
)
_PER_ORGANISATION = (
    "SELECT ev.organisation_id, 1, 0, SUM(e.units), "
    "SUM(CASE WHEN e.with_facilitator_in_process THEN e.units ELSE 0 END) "
    "FROM {entry} e JOIN {voucher} ev ON ev.id = e.voucher_id "
    "JOIN {programme} ep ON ep.id = ev.programme_id "
    "WHERE ev.organisation_id IN ({organisations}) AND ep.kind = %s "
    "GROUP BY ev.organisation_id"
)


class Case(NamedTuple):
    """One voucher of the facilitator, with what the dashboard shows of it (the "columns"
    fragment, in order)."""

    pk: int
    code: str
    status: str
    valid_until: dt.date
    organisation_id: int
    organisation_name: str
    programme_name: str
    kind: str
    unit_minutes: int | None
    cap_minutes: int | None
    cap_units: int | None
    cap_in_process: int | None
    programme_id: int
    operator_id: int

    @property
    def is_virtual(self) -> bool:
        return self.kind == VIRTUELL


@cache
def _sql(vendor: str, template: str, **lengths: int) -> str:
    """The statement's text: fragments, quoted table names, and ``%s`` placeholders for the
    lists (``lengths``: how many values each has)."""
    for name, fragment in _FRAGMENTS.items():
        template = template.replace("{" + name + "}", fragment)
    placeholders = {name: ", ".join(["%s"] * n) for name, n in lengths.items()}
    return template.format(**tables(vendor), **placeholders)


def _rows(template: str, params: list, **lengths: int) -> list[tuple]:
    connection = connections[DEFAULT_DB_ALIAS]
    with connection.cursor() as cursor:
        cursor.execute(_sql(connection.vendor, template, **lengths), params)
        return cursor.fetchall()


def _case(row) -> Case:
    case = Case._make(row[: len(Case._fields)])
    if isinstance(case.valid_until, str):  # a backend that returns dates as text
        case = case._replace(valid_until=dt.date.fromisoformat(case.valid_until))
    return case


def open_cases(user) -> list[Case]:
    """All open cases of the facilitator, soonest end first (then by id)."""
    params = [user.pk, *OPEN_STATUSES]
    return [_case(row) for row in _rows(_OPEN_CASES, params, statuses=len(OPEN_STATUSES))]


def latest_closed_cases(user, limit: int) -> list[Case]:
    """The facilitator's ``limit`` latest closed cases (by closing date, then id)."""
    params = [user.pk, *CLOSED_STATUSES, limit]
    return [_case(row) for row in _rows(_LATEST_CLOSED, params, statuses=len(CLOSED_STATUSES))]


def closed_cases_page(user, *, limit: int, offset: int) -> tuple[list[Case], int | None]:
    """A page of the facilitator's closed cases (latest first) and the number of all of
    them — ``None`` when the page is empty (past the end), so it is not known."""
    params = [user.pk, *CLOSED_STATUSES, limit, offset]
    rows = _rows(_CLOSED_PAGE, params, statuses=len(CLOSED_STATUSES))
    return [_case(row) for row in rows], (rows[0][-1] if rows else None)


def closed_cases_count(user) -> int:
    """The number of the facilitator's closed cases."""
    params = [user.pk, *CLOSED_STATUSES]
    [(count,)] = _rows(_COUNT_OWN, params, statuses=len(CLOSED_STATUSES))
    return count


def in_process_organisations(open_cases: list[Case]) -> set[tuple[int, int, int]]:
    """``(organisation, operator, programme)`` of every open case of the facilitator: a
    sparring case counts to the in-process sub-cap when the facilitator also accompanies the
    organisation in another programme of the same operator (rule 5)."""
    return {
        (case.organisation_id, case.operator_id, case.programme_id)
        for case in open_cases
        if not case.is_virtual
    }


def _accompanies(case: Case, in_process: set[tuple[int, int, int]]) -> bool:
    return any(
        organisation == case.organisation_id
        and operator == case.operator_id
        and programme != case.programme_id
        for organisation, operator, programme in in_process
    )


def session_totals(
    voucher_ids, virtuell_organisation_ids=()
) -> tuple[dict[int, tuple[int, int]], dict[int, tuple[int, int]]]:
    """``({voucher: (minutes, units)}, {organisation: (units, units in process)})``.

    The first for ``voucher_ids``; the second over all Virtuelle-Begleitung vouchers of
    ``virtuell_organisation_ids``. One statement for the cases shown, whatever their number
    of sessions; none for no cases. Vouchers and organisations without sessions are missing
    (count them as 0)."""
    voucher_ids, organisation_ids = sorted(set(voucher_ids)), sorted(set(virtuell_organisation_ids))
    parts, params, lengths = [], [], {}
    if voucher_ids:
        parts.append(_PER_VOUCHER)
        params += voucher_ids
        lengths["ids"] = len(voucher_ids)
    if organisation_ids:
        parts.append(_PER_ORGANISATION)
        params += [*organisation_ids, VIRTUELL]
        lengths["organisations"] = len(organisation_ids)
    per_voucher: dict[int, tuple[int, int]] = {}
    per_organisation: dict[int, tuple[int, int]] = {}
    if not parts:
        return per_voucher, per_organisation
    for pk, per_organisation_row, minutes, units, units_in_process in _rows(
        " UNION ALL ".join(parts), params, **lengths
    ):
        if per_organisation_row:
            per_organisation[pk] = (int(units or 0), int(units_in_process or 0))
        else:
            per_voucher[pk] = (int(minutes or 0), int(units or 0))
    return per_voucher, per_organisation


def usage_of_case(
    case: Case, per_voucher: dict, per_organisation: dict, in_process: set[int] | None = None
) -> Usage:
    """``Usage`` of a case from ``session_totals`` and ``in_process_organisations``."""
    minutes, units = per_voucher.get(case.pk, (0, 0))
    org_units, org_in_process = per_organisation.get(case.organisation_id, (0, 0))
    return build_usage(
        is_virtual=case.is_virtual,
        unit_minutes=case.unit_minutes,
        cap_minutes=case.cap_minutes,
        cap_units=case.cap_units,
        cap_in_process=case.cap_in_process,
        voucher_minutes=minutes,
        voucher_units=units,
        org_units=org_units,
        org_units_in_process=org_in_process,
        facilitator_in_process=(_accompanies(case, in_process) if in_process is not None else None),
    )
