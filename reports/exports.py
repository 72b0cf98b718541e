"""CSV and XLSX exports of the report lists, streamed so memory stays flat.

- CSV: UTF-8 with BOM, ``;`` as separator by default (German Excel opens it directly),
  ``,`` on request; rows are read with ``.iterator(chunk_size=2000)`` (one query, a server-side
  cursor on PostgreSQL) and written in chunks to a ``StreamingHttpResponse``.
- XLSX: openpyxl ``write_only`` into a temporary file, then streamed (``FileResponse``). Text
  cells are always written as strings (``data_type = "s"``), numbers and dates as numbers and
  dates with German number formats.
- Every text cell starting with ``=``, ``+``, ``-``, ``@``, tab or CR gets a leading ``'``.
Formats: see ``reports.formatting``.
"""

from __future__ import annotations

import csv
import datetime as dt
import tempfile
from collections.abc import Callable, Iterable, Iterator
from itertools import islice

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from reports import formatting
from reports.registry import BOOL, DATE, DATETIME, HOURS, INT, TEXT, Report

CHUNK_SIZE = 2000
CSV_CONTENT_TYPE = "text/csv; charset=utf-8"
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SEPARATORS = {";": ";", ",": ","}


def export_filename(report: Report, file_format: str) -> str:
    stamp = timezone.localtime().strftime("%Y-%m-%d")
    return f"{report.key}-{stamp}.{file_format}"


def raw_rows(report: Report, queryset) -> Iterator[tuple]:
    """The report's columns as tuples, fetched in chunks (constant number of queries)."""
    return queryset.values_list(*report.sources).iterator(chunk_size=CHUNK_SIZE)


class _Memo(dict):
    """A bounded memo of a formatting function: dates, minutes and choice values repeat a lot
    in long exports, and a dict lookup is much cheaper than formatting again."""

    def __init__(self, fn: Callable, limit: int = 10_000):
        super().__init__()
        self.fn, self.limit = fn, limit

    def __missing__(self, key):
        if len(self) >= self.limit:
            self.clear()
        value = self[key] = self.fn(key)
        return value


def _text_column(col) -> list:
    triggers = _TRIGGERS
    text = formatting.text
    return [("'" + v if v[:1] in triggers else v) if v.__class__ is str else text(v) for v in col]


_TRIGGERS = frozenset(formatting.FORMULA_TRIGGERS)


def _csv_plan(column) -> Callable:
    """A function converting one whole column of a chunk (column-wise is much faster than
    calling a converter per cell)."""
    if column.choices is not None or column.kind in (DATE, HOURS, BOOL):
        memo = _Memo(column.converter())
        return lambda col: list(map(memo.__getitem__, col))
    if column.kind == INT:
        return lambda col: col  # csv writes numbers as digits and None as ""
    if column.kind == TEXT:
        return _text_column
    conv = column.converter()
    return lambda col: [conv(v) for v in col]


def csv_row_chunks(report: Report, queryset) -> Iterator[list[tuple]]:
    """Formatted rows in chunks of ``CHUNK_SIZE`` (German text cells, see ``formatting``)."""
    plans = [_csv_plan(c) for c in report.columns]
    rows = raw_rows(report, queryset)
    while chunk := list(islice(rows, CHUNK_SIZE)):
        columns = zip(*chunk, strict=True)
        yield list(zip(*(plan(col) for plan, col in zip(plans, columns, strict=True)), strict=True))


def csv_rows(report: Report, queryset) -> Iterator[tuple]:
    for chunk in csv_row_chunks(report, queryset):
        yield from chunk


class _Chunks:
    """A file-like sink for ``csv.writer`` that hands out what was written so far."""

    def __init__(self):
        self.parts: list[str] = []

    def write(self, value: str) -> None:
        self.parts.append(value)

    def take(self) -> str:
        out = "".join(self.parts)
        self.parts.clear()
        return out


def iter_csv(
    headers: list[str], chunks: Iterable[list], *, delimiter: str = ";"
) -> Iterator[bytes]:
    """Encoded CSV: BOM + header line first, then one encoded piece per chunk of rows."""
    sink = _Chunks()
    writer = csv.writer(sink, delimiter=delimiter, lineterminator="\r\n")
    writer.writerow(headers)
    yield ("\ufeff" + sink.take()).encode("utf-8")
    for chunk in chunks:
        writer.writerows(chunk)
        yield sink.take().encode("utf-8")


def csv_response(report: Report, queryset, *, delimiter: str = ";") -> StreamingHttpResponse:
    response = StreamingHttpResponse(
        iter_csv(report.headers, csv_row_chunks(report, queryset), delimiter=delimiter),
        content_type=CSV_CONTENT_TYPE,
    )
    response["Content-Disposition"] = f'attachment; filename="{export_filename(report, "csv")}"'
    return response


# --- XLSX -----------------------------------------------------------------------------------

NUMBER_FORMATS = {DATE: "DD.MM.YYYY", DATETIME: "DD.MM.YYYY HH:MM", HOURS: "0.00"}


def _xlsx_converter(column, sheet) -> Callable:
    """A function value → cell for one column (typed numbers/dates, forced-string text)."""
    if column.kind == INT and column.choices is None:
        return lambda v: v
    if column.kind == HOURS:

        def hours(v):
            if v is None:
                return None
            cell = WriteOnlyCell(sheet, value=round(v / 60, 2))
            cell.number_format = NUMBER_FORMATS[HOURS]
            return cell

        return hours
    if column.kind in (DATE, DATETIME):
        fmt = NUMBER_FORMATS[column.kind]

        def date(v):
            if v is None:
                return None
            if isinstance(v, dt.datetime):
                v = timezone.localtime(v).replace(tzinfo=None)
                if column.kind == DATE:
                    v = v.date()
            cell = WriteOnlyCell(sheet, value=v)
            cell.number_format = fmt
            return cell

        return date
    if column.kind == BOOL:
        return lambda v: formatting.de_bool(v) or None
    to_text = column.converter()

    def text(v):
        value = to_text(v)
        if not value:
            return None
        # Control characters (pasted from word processors) are not allowed in XLSX.
        cell = WriteOnlyCell(sheet, value=ILLEGAL_CHARACTERS_RE.sub("", value))
        cell.data_type = "s"  # never a formula, whatever the text looks like
        return cell

    return text


# Column widths (characters) by kind; text columns fit their header, within bounds.
XLSX_WIDTHS = {DATE: 12, DATETIME: 17, HOURS: 11, INT: 10, BOOL: 10}
HEADER_FONT = Font(bold=True)


def _width(column, header: str) -> float:
    fixed = XLSX_WIDTHS.get(column.kind)
    if fixed is not None and column.choices is None:
        return max(fixed, min(len(header) + 2, 24))
    return max(14, min(len(header) + 4, 40))


def write_xlsx(report: Report, queryset, target, *, progress: Callable | None = None) -> int:
    """Write the report to ``target`` (path or binary file); returns the number of rows.
    Widths per column, a bold frozen header row and an autofilter over all rows."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=str(report.title)[:31])
    headers = report.headers
    for index, (column, header) in enumerate(zip(report.columns, headers, strict=True), 1):
        sheet.column_dimensions[get_column_letter(index)].width = _width(column, str(header))
    sheet.freeze_panes = "A2"
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=header)
        cell.data_type = "s"
        cell.font = HEADER_FONT
        header_cells.append(cell)
    sheet.append(header_cells)
    converters = [_xlsx_converter(c, sheet) for c in report.columns]
    count = 0
    for record in raw_rows(report, queryset):
        sheet.append([conv(v) for conv, v in zip(converters, record, strict=True)])
        count += 1
        if progress and count % CHUNK_SIZE == 0:
            progress(count)
    sheet.auto_filter.ref = f"A1:{get_column_letter(len(headers))}{count + 1}"
    workbook.save(target)
    return count


def xlsx_response(report: Report, queryset) -> FileResponse:
    """Built in a temporary file (write-only mode keeps memory flat), then streamed."""
    spool = tempfile.TemporaryFile()  # noqa: SIM115 - FileResponse closes it when done
    write_xlsx(report, queryset, spool)
    spool.seek(0)
    return FileResponse(
        spool,
        as_attachment=True,
        filename=export_filename(report, "xlsx"),
        content_type=XLSX_CONTENT_TYPE,
    )


def write_csv(
    report: Report, queryset, target, *, delimiter: str = ";", progress: Callable | None = None
) -> int:
    """Write the CSV to a binary file (the export task); returns the number of rows."""
    count = 0

    def counted():
        nonlocal count
        for chunk in csv_row_chunks(report, queryset):
            yield chunk
            count += len(chunk)
            if progress:
                progress(count)

    for piece in iter_csv(report.headers, counted(), delimiter=delimiter):
        target.write(piece)
    return count
