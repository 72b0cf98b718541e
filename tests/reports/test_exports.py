"""CSV and XLSX exports read back: headers, German formats, filters, formula injection,
streaming with a constant query count, and large exports as a background job."""

import csv
import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from reports.registry import REPORTS, SESSIONS, VOUCHERS
from sessions_log.models import SessionEntry
from tests.factories import FacilitatorFactory, OrganisationFactory, VoucherFactory
from tests.reports import scenario

pytestmark = pytest.mark.django_db

DANGEROUS = ["=1+1", "+49 711 1234", "-2 Punkte", "@SUMME(A1)", "\tTab", "\rCR"]


def export_url(report, fmt="csv", **params):
    from urllib.parse import urlencode

    url = reverse("reports:export", args=[report, fmt])
    return f"{url}?{urlencode(params)}" if params else url


def read_csv(response, delimiter=";"):
    assert response.status_code == 200
    assert response.streaming
    raw = b"".join(response.streaming_content)
    assert raw.startswith(b"\xef\xbb\xbf")  # UTF-8 BOM for Excel
    return list(csv.reader(io.StringIO(raw.decode("utf-8-sig"), newline=""), delimiter=delimiter))


def read_xlsx(response):
    assert response.status_code == 200
    assert response.streaming
    raw = b"".join(response.streaming_content)
    return load_workbook(io.BytesIO(raw)).active


@pytest.fixture
def s():
    return scenario.build()


def test_voucher_csv_headers_german_formats_and_tier(office_client, s):
    rows = read_csv(office_client.get(export_url("gutscheine", period=s.period.pk)))
    assert rows[0] == VOUCHERS.headers
    by_code = {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert set(by_code) == {v.code for v in (s.vA, s.vB, s.vC, s.vD, s.vE, s.vX)}
    a = by_code[s.vA.code]
    assert a["ausgestellt am"] == "01.02.2025"
    assert a["Vereinbarung unterschrieben am"] == "11.02.2025"
    assert a["gültig bis"] == "20.06.2025"
    assert a["Bundesland"] == "Baden-Württemberg"
    assert a["ländlich"] == "ja"
    assert a["strukturschwach"] == "nein"
    assert a["Status"] == "aktiv"
    assert a["Rangstufe"] == "1"
    assert a["Obergrenze Stunden"] == "16,00"
    assert a["Stunden erfasst"] == "3,00"  # 120 + 60 minutes
    assert a["Prozessbegleiter*innen"] == s.facilitator.name
    assert by_code[s.vD.code]["Rangstufe"] == "4"
    assert by_code[s.vE.code]["Rangstufe"] == "3"
    assert by_code[s.vB.code]["Vereinbarung unterschrieben am"] == ""


def test_application_csv_datetime_and_first_time(office_client, s):
    rows = read_csv(
        office_client.get(export_url("antraege", programme=s.programme.pk, status="approved"))
    )
    data = {int(r[0]): dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert set(data) == {s.app_a.pk, s.app_b.pk, s.app_c.pk}
    assert data[s.app_a.pk]["eingereicht am"] == "20.01.2025 10:00"
    assert data[s.app_a.pk]["entschieden am"] == "01.02.2025 10:00"
    assert data[s.app_a.pk]["Erstantrag"] == "ja"
    assert data[s.app_a.pk]["Gutschein"] == s.vA.code
    assert data[s.app_a.pk]["Rangstufe"] == "1"
    assert data[s.app_c.pk]["Rangstufe"] == "2"


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"bundesland": "BY"}, {"vB", "vE"}),
        ({"tier": "1"}, {"vA", "vB", "vX"}),  # the cancelled vX, too
        ({"tier": "3"}, {"vE"}),
        ({"status": "active"}, {"vA", "vD"}),
        ({"rural": "true"}, {"vA", "vE", "vX"}),
        ({"structurally_weak": "true"}, {"vB"}),
        ({"facilitator": "F"}, {"vA", "vC"}),
    ],
)
def test_voucher_export_respects_filters(office_client, s, params, expected):
    if params.get("facilitator") == "F":
        params = {"facilitator": s.facilitator.pk}
    rows = read_csv(office_client.get(export_url("gutscheine", period=s.period.pk, **params)))
    codes = {r[0] for r in rows[1:]}
    assert codes == {getattr(s, name).code for name in expected}


def test_session_and_feedback_exports_filtered(office_client, s):
    rows = read_csv(
        office_client.get(export_url("sitzungen", period=s.period.pk, tier="1", status="active"))
    )
    assert rows[0] == SESSIONS.headers
    assert sorted(r[8] for r in rows[1:]) == ["120", "60"]  # vA's sessions only
    assert {r[9] for r in rows[1:]} == {"2,00", "1,00"}  # hours with decimal comma
    assert {r[0] for r in rows[1:]} == {"03.03.2025"}
    rows = read_csv(office_client.get(export_url("feedback", tier="3")))
    assert [r[0] for r in rows[1:]] == [s.vE.code]
    rows = read_csv(
        office_client.get(export_url("antraege", facilitator=s.facilitator.pk, rural="true"))
    )
    assert [int(r[0]) for r in rows[1:]] == [s.app_a.pk]  # A rural; C not; B has no facilitator
    rows = read_csv(office_client.get(export_url("feedback", bundesland="BY")))
    assert [r[0] for r in rows[1:]] == [s.vE.code]
    assert rows[1][6:10] == ["4", "4", "4", "ja"]


def test_comma_separator_option(office_client, s):
    rows = read_csv(
        office_client.get(export_url("sitzungen", period=s.period.pk, sep=",")), delimiter=","
    )
    assert rows[0] == SESSIONS.headers
    assert len(rows) == 1 + 5


def test_invalid_filter_exports_nothing(office_client, s):
    rows = read_csv(office_client.get(export_url("gutscheine", tier="9")))
    assert rows == [VOUCHERS.headers]


@pytest.fixture
def injected():
    org = OrganisationFactory(name='=HYPERLINK("http://evil.example","x")')
    f = FacilitatorFactory()
    v = VoucherFactory(organisation=org, facilitators=[f])
    for text in DANGEROUS:
        SessionEntry.objects.create(
            voucher=v,
            facilitator=f,
            date=dt.date(2026, 2, 2),
            minutes=30,
            activity="workshop",
            format="video",
            notes=text,
        )
    return v


def test_csv_formula_injection_neutralised(office_client, injected):
    rows = read_csv(office_client.get(export_url("sitzungen")))
    notes = sorted(r[-1] for r in rows[1:])
    assert notes == sorted("'" + t for t in DANGEROUS)
    assert {r[3] for r in rows[1:]} == {'\'=HYPERLINK("http://evil.example","x")'}
    for row in rows[1:]:
        assert not any(cell[:1] in ("=", "+", "-", "@", "\t", "\r") for cell in row)


def test_xlsx_read_back(office_client, s, injected):
    sheet = read_xlsx(office_client.get(export_url("gutscheine", "xlsx", period=s.period.pk)))
    rows = list(sheet.iter_rows())
    assert [c.value for c in rows[0]] == VOUCHERS.headers
    data = {r[0].value: r for r in rows[1:]}
    a = data[s.vA.code]
    idx = {h: i for i, h in enumerate(VOUCHERS.headers)}
    issued = a[idx["ausgestellt am"]]
    assert issued.value == dt.datetime(2025, 2, 1)  # noqa: DTZ001 - XLSX dates are naive
    assert issued.number_format == "DD.MM.YYYY"
    assert a[idx["Stunden erfasst"]].value == 3
    assert a[idx["Rangstufe"]].value == 1
    assert a[idx["ländlich"]].value == "ja"
    assert a[idx["Status"]].value == "aktiv"
    assert a[idx["Organisation"]].data_type == "s"


def test_xlsx_has_widths_a_frozen_bold_header_and_an_autofilter(office_client, s):
    """Issue 20, defect 11."""
    sheet = read_xlsx(office_client.get(export_url("gutscheine", "xlsx", period=s.period.pk)))
    rows = list(sheet.iter_rows())
    assert sheet.freeze_panes == "A2"
    assert all(cell.font.bold for cell in rows[0])
    last_column = rows[0][-1].column_letter
    assert sheet.auto_filter.ref == f"A1:{last_column}{len(rows)}"
    widths = [sheet.column_dimensions[c.column_letter].width for c in rows[0]]
    assert all(width and width >= 10 for width in widths)


def test_figures_that_do_not_apply_are_blank_not_zero(office_client, s):
    sheet = read_xlsx(office_client.get(export_url("gutscheine", "xlsx")))
    rows = list(sheet.iter_rows())
    idx = {h: i for i, h in enumerate(VOUCHERS.headers)}
    kinds = {r[0].value: r for r in rows[1:]}
    pb = kinds[s.vA.code]
    assert pb[idx["Einheiten erfasst"]].value is None
    assert pb[idx["Stunden erfasst"]].value == 3


def test_xlsx_formula_injection_forced_to_text(office_client, injected):
    sheet = read_xlsx(office_client.get(export_url("sitzungen", "xlsx")))
    rows = list(sheet.iter_rows())[1:]
    notes = [r[-1] for r in rows]
    # XML turns a stored CR into LF; the leading apostrophe is what matters.
    assert sorted(c.value.replace("\n", "\r") for c in notes) == sorted("'" + t for t in DANGEROUS)
    assert all(c.data_type == "s" for c in notes)
    org = rows[0][3]
    assert org.data_type == "s"
    assert org.value.startswith("'=")
    assert rows[0][0].number_format == "DD.MM.YYYY"


def _bulk_sessions(n):
    f = FacilitatorFactory()
    vouchers = [VoucherFactory(facilitators=[f]) for _ in range(4)]
    SessionEntry.objects.bulk_create(
        [
            SessionEntry(
                voucher=vouchers[i % 4],
                facilitator=f,
                date=dt.date(2026, 1, 1) + dt.timedelta(days=i % 200),
                minutes=30 + i % 60,
                activity="workshop",
                format="vor_ort",
                notes=f"Notiz {i}",
            )
            for i in range(n)
        ],
        batch_size=2000,
    )


def _queries_for_export(client, url):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
        assert response.streaming
        lines = b"".join(response.streaming_content).count(b"\r\n")
    return len(ctx.captured_queries), lines


def test_20000_session_rows_streamed_with_constant_queries(office_client):
    _bulk_sessions(50)
    small, lines = _queries_for_export(office_client, export_url("sitzungen"))
    assert lines == 51
    _bulk_sessions(20_000 - 50)
    large, lines = _queries_for_export(office_client, export_url("sitzungen"))
    assert lines == 20_001
    assert large == small  # chunked iteration: one SELECT however many rows
    assert large <= 6


def test_report_list_exports_every_report(office_client, s):
    for key, report in REPORTS.items():
        rows = read_csv(office_client.get(export_url(key)))
        assert rows[0] == report.headers
        sheet = read_xlsx(office_client.get(export_url(key, "xlsx")))
        assert [c.value for c in next(sheet.iter_rows())] == report.headers


def test_unknown_report_or_format_is_404(office_client):
    assert office_client.get(reverse("reports:export", args=["nix", "csv"])).status_code == 404
    assert (
        office_client.get(reverse("reports:export", args=["sitzungen", "pdf"])).status_code == 404
    )
