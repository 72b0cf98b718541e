"""Rule 13: newly generated agreements and the funder report are PDF/A-2b; the XMP names the
document and the operator and says ``pdfaid:part`` 2."""

from __future__ import annotations

import hashlib

import pytest

from agreements.pdfa import xmp_info
from agreements.services import generate_agreement
from reports import charts
from reports.figures import programme_dashboard
from reports.pdf import FunderReportPDF
from tests.agreements.conftest import stored_bytes
from tests.reports import scenario

pytestmark = pytest.mark.django_db


def test_new_agreement_is_pdfa_2b(issued_voucher, office):
    version = generate_agreement(issued_voucher, by=office)
    data = stored_bytes(version.pdf)
    assert version.sha256 == hashlib.sha256(data).hexdigest()
    info = xmp_info(data)
    assert info["part"] == "2"
    assert info["conformance"] == "B"
    assert issued_voucher.code in info["title"]
    assert info["creators"]
    assert info["creators"][0]


def test_funder_report_is_pdfa_2b():
    s = scenario.build()
    d = programme_dashboard(s.programme, s.period, today=scenario.TODAY)
    data = FunderReportPDF(d, charts.dashboard_charts(d)).render()
    info = xmp_info(data)
    assert info["part"] == "2"
    assert info["conformance"] == "B"
    assert s.programme.name in info["title"]
    operator = s.programme.operator
    assert info["creators"] == [operator.legal_name or operator.name]
