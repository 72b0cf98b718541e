"""German cell formats for report lists and exports, in one place.

Documented formats (CSV and XLSX alike, see ``templates/reports/partials/export_help.html``):

- dates ``dd.mm.yyyy`` (``05.03.2027``), date-times ``dd.mm.yyyy hh:mm`` in German local time;
- decimals with a comma and no thousands separator (``1234,5``); hours with two decimals
  (90 minutes → ``1,50``); whole numbers as digits (``960``);
- yes/no as ``ja`` / ``nein``; an empty cell for a missing value;
- any text cell that begins with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return gets a
  leading apostrophe (``'=SUMME(A1)``), so spreadsheet programs never run it as a formula.
"""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(value: str) -> str:
    """Defuse formula injection (OWASP "CSV injection"): prefix a leading trigger with ``'``."""
    if value and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def text(value) -> str:
    if value is None:
        return ""
    value = str(value)
    if value and value.startswith(FORMULA_TRIGGERS):
        return "'" + value
    return value


def de_date(value: dt.date | None) -> str:
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        value = timezone.localtime(value).date()
    return f"{value.day:02d}.{value.month:02d}.{value.year}"


def de_datetime(value: dt.datetime | None) -> str:
    if value is None:
        return ""
    value = timezone.localtime(value)
    return f"{value.day:02d}.{value.month:02d}.{value.year} {value.hour:02d}:{value.minute:02d}"


def de_decimal(value, places: int = 1) -> str:
    if value is None:
        return ""
    return f"{value:.{places}f}".replace(".", ",")


def de_hours(minutes) -> str:
    """Minutes as hours with two decimals and a decimal comma (90 → ``1,50``)."""
    if minutes is None:
        return ""
    return f"{minutes / 60:.2f}".replace(".", ",")


def de_int(value) -> str:
    return "" if value is None else str(value)


YES_NO = {True: "ja", False: "nein", None: ""}


def de_bool(value) -> str:
    return YES_NO[value if value is None else bool(value)]
