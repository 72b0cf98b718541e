"""Server-rendered SVG charts: no JavaScript, no CDN, printable by WeasyPrint.

Each chart is an ``<svg role="img">`` with ``<title>`` and ``<desc>`` (named by
``aria-labelledby``) and comes with its data as rows for a table alternative, which the
template ``reports/partials/chart.html`` renders below the picture. Values are written on the
bars and series differ by line style and marker as well as colour (never colour alone).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

FONT = "DejaVu Sans, Arial, sans-serif"
BAR_COLOUR = "#1d4e89"
SERIES_STYLES = [
    # colour, dash pattern, marker
    ("#1d4e89", "", "circle"),
    ("#a64d00", "6 4", "square"),
]
TEXT_COLOUR = "#0b0c0c"
GRID_COLOUR = "#b1b4b6"


@dataclass
class Chart:
    chart_id: str
    title: str
    description: str
    svg: SafeString
    columns: list[str]
    rows: list[list[str]]


def _de(value: float) -> str:
    if float(value).is_integer():
        return str(int(value))
    return f"{value:.1f}".replace(".", ",")


def _open_svg(chart_id: str, title: str, description: str, width: int, height: int) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="report-chart" id="{chart_id}" '
        f'width="{width}" height="{height}" viewBox="0 0 {width} {height}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" font-family="{FONT}" '
        f'font-size="13" fill="{TEXT_COLOUR}">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(description)}</desc>',
    ]


def bar_chart(
    chart_id: str,
    title: str,
    items: list[tuple[str, float]],
    *,
    value_header: str = "Anzahl",
    label_header: str = "Kategorie",
    suffix: str = "",
) -> Chart:
    """Horizontal bars, one per (label, value), value printed after each bar."""
    width, label_w, row_h, top = 640, 250, 30, 10
    bar_area = width - label_w - 70
    height = top * 2 + row_h * max(len(items), 1)
    peak = max((v for _, v in items), default=0) or 1
    desc = "; ".join(f"{label}: {_de(v)}{suffix}" for label, v in items) or "Keine Daten."
    parts = _open_svg(chart_id, title, desc, width, height)
    if not items:
        parts.append(f'<text x="10" y="{top + 18}">Keine Daten im gewählten Zeitraum.</text>')
    for i, (label, value) in enumerate(items):
        y = top + i * row_h
        w = round(bar_area * value / peak, 1)
        parts.append(
            f'<text x="{label_w - 8}" y="{y + 19}" text-anchor="end">{escape(label)}</text>'
            f'<rect x="{label_w}" y="{y + 5}" width="{w}" height="{row_h - 10}" '
            f'fill="{BAR_COLOUR}"/>'
            f'<text x="{label_w + w + 6}" y="{y + 19}">{_de(value)}{escape(suffix)}</text>'
        )
    parts.append("</svg>")
    rows = [[label, f"{_de(v)}{suffix}"] for label, v in items]
    svg = mark_safe("".join(parts))  # noqa: S308 - every text in it is escaped above
    return Chart(chart_id, title, desc, svg, [label_header, value_header], rows)


def _nice_max(value: float) -> int:
    if value <= 5:
        return 5
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        top = step * magnitude
        if top >= value:
            return math.ceil(top)
    return int(value)  # pragma: no cover


def _marker(shape: str, x: float, y: float, colour: str) -> str:
    if shape == "square":
        return f'<rect x="{x - 4}" y="{y - 4}" width="8" height="8" fill="{colour}"/>'
    return f'<circle cx="{x}" cy="{y}" r="4" fill="{colour}"/>'


def line_chart(
    chart_id: str,
    title: str,
    x_labels: list[str],
    series: list[tuple[str, list[float]]],
    *,
    x_header: str = "Monat",
) -> Chart:
    """Lines over categories (months); a legend names each series with its line style."""
    width, height = 640, 300
    left, right, top, bottom = 48, 30, 40, 48
    plot_w, plot_h = width - left - right, height - top - bottom
    peak = _nice_max(max((v for _, vals in series for v in vals), default=0))
    n = max(len(x_labels), 1)
    step = plot_w / max(n - 1, 1)
    desc_parts = []
    for name, values in series:
        pairs = ", ".join(f"{x} {_de(v)}" for x, v in zip(x_labels, values, strict=False))
        desc_parts.append(f"{name}: {pairs}")
    desc = "; ".join(desc_parts) or "Keine Daten."
    parts = _open_svg(chart_id, title, desc, width, height)
    # Grid and y-axis labels (5 steps).
    for i in range(6):
        value = peak * i / 5
        y = top + plot_h - plot_h * i / 5
        parts.append(
            f'<line x1="{left}" y1="{y:.1f}" x2="{width - right}" y2="{y:.1f}" '
            f'stroke="{GRID_COLOUR}" stroke-width="1"/>'
            f'<text x="{left - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="11">'
            f"{_de(value)}</text>"
        )
    every = max(1, math.ceil(n / 12))
    for i, label in enumerate(x_labels):
        if i % every:
            continue
        x = left + step * i if n > 1 else left + plot_w / 2
        parts.append(
            f'<text x="{x:.1f}" y="{height - bottom + 18}" text-anchor="middle" '
            f'font-size="11">{escape(label)}</text>'
        )
    # Series.
    for idx, (name, values) in enumerate(series):
        colour, dash, marker = SERIES_STYLES[idx % len(SERIES_STYLES)]
        points = [
            (left + step * i if n > 1 else left + plot_w / 2, top + plot_h - plot_h * v / peak)
            for i, v in enumerate(values)
        ]
        if len(points) > 1:
            path = " ".join(f"{x:.1f},{y:.1f}" for x, y in points)
            dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
            parts.append(
                f'<polyline points="{path}" fill="none" stroke="{colour}" '
                f'stroke-width="2.5"{dash_attr}/>'
            )
        parts.extend(_marker(marker, x, y, colour) for x, y in points)
        # Legend entry.
        lx = left + idx * 220
        dash_attr = f' stroke-dasharray="{dash}"' if dash else ""
        parts.append(
            f'<line x1="{lx}" y1="16" x2="{lx + 30}" y2="16" stroke="{colour}" '
            f'stroke-width="2.5"{dash_attr}/>{_marker(marker, lx + 15, 16, colour)}'
            f'<text x="{lx + 38}" y="20">{escape(name)}</text>'
        )
    parts.append("</svg>")
    columns = [x_header] + [name for name, _ in series]
    rows = [[label] + [_de(values[i]) for _, values in series] for i, label in enumerate(x_labels)]
    svg = mark_safe("".join(parts))  # noqa: S308 - every text in it is escaped above
    return Chart(chart_id, title, desc, svg, columns, rows)


MONTHS_DE = [
    "Jan.",
    "Feb.",
    "März",
    "Apr.",
    "Mai",
    "Juni",
    "Juli",
    "Aug.",
    "Sep.",
    "Okt.",
    "Nov.",
    "Dez.",
]


def month_label(month) -> str:
    return f"{MONTHS_DE[month.month - 1]} {month.year % 100:02d}"


def dashboard_charts(d) -> dict[str, Chart]:
    """The dashboard's and funder report's charts from a ``figures.Dashboard``."""
    return {
        "bundesland": bar_chart(
            "chart-bundesland",
            "Gutscheine nach Bundesland",
            [(label, n) for _, label, n in d.by_bundesland],
            label_header="Bundesland",
            value_header="Gutscheine",
        ),
        "tier": bar_chart(
            "chart-tier",
            "Gutscheine nach Rangstufe der Antragstellenden",
            [(f"Stufe {t.tier}", t.count) for t in d.tiers],
            label_header="Rangstufe",
            value_header="Gutscheine",
        ),
        "monthly": line_chart(
            "chart-monthly",
            "Anträge und Bewilligungen je Monat",
            [month_label(m) for m, _, _ in d.monthly],
            [
                ("eingereichte Anträge", [a for _, a, _ in d.monthly]),
                ("Bewilligungen (ausgestellte Gutscheine)", [b for _, _, b in d.monthly]),
            ],
        ),
    }
