"""Server-rendered SVG charts: no JavaScript, no CDN, printable by WeasyPrint.

Each chart is an ``<svg role="img">`` with ``<title>`` and ``<desc>`` (named by
``aria-labelledby``) and comes with its data as rows for a table alternative, which the
template ``reports/partials/chart.html`` renders below the picture. Values are written on the
bars and series differ by line style and marker as well as colour (never colour alone).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

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


def _n(value: float) -> str:
    """A coordinate for an SVG attribute (dot decimal)."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _join(parts) -> SafeString:
    """Concatenate already safe fragments (each built by ``format_html``, which escapes)."""
    return format_html_join("", "{}", ((p,) for p in parts))


def _open_svg(chart_id: str, title: str, description: str, width: int, height: int):
    return [
        format_html(
            '<svg xmlns="http://www.w3.org/2000/svg" class="report-chart" id="{id}" '
            'width="{w}" height="{h}" viewBox="0 0 {w} {h}" role="img" '
            'aria-labelledby="{id}-title {id}-desc" font-family="{font}" font-size="13" '
            'fill="{colour}">',
            id=chart_id,
            w=width,
            h=height,
            font=FONT,
            colour=TEXT_COLOUR,
        ),
        format_html('<title id="{}-title">{}</title>', chart_id, title),
        format_html('<desc id="{}-desc">{}</desc>', chart_id, description),
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
        parts.append(
            format_html('<text x="10" y="{}">Keine Daten im gewählten Zeitraum.</text>', top + 18)
        )
    for i, (label, value) in enumerate(items):
        y = top + i * row_h
        w = bar_area * value / peak
        parts.append(
            format_html(
                '<text x="{lx}" y="{ty}" text-anchor="end">{label}</text>'
                '<rect x="{bx}" y="{ry}" width="{w}" height="{rh}" fill="{colour}"/>'
                '<text x="{vx}" y="{ty}">{value}{suffix}</text>',
                lx=label_w - 8,
                ty=y + 19,
                label=label,
                bx=label_w,
                ry=y + 5,
                w=_n(w),
                rh=row_h - 10,
                colour=BAR_COLOUR,
                vx=_n(label_w + w + 6),
                value=_de(value),
                suffix=suffix,
            )
        )
    parts.append(SafeString("</svg>"))
    rows = [[label, f"{_de(v)}{suffix}"] for label, v in items]
    return Chart(chart_id, title, desc, _join(parts), [label_header, value_header], rows)


def _nice_max(value: float) -> int:
    if value <= 5:
        return 5
    magnitude = 10 ** math.floor(math.log10(value))
    for step in (1, 2, 2.5, 5, 10):
        top = step * magnitude
        if top >= value:
            return math.ceil(top)
    return int(value)  # pragma: no cover


def _marker(shape: str, x: float, y: float, colour: str) -> SafeString:
    if shape == "square":
        return format_html(
            '<rect x="{}" y="{}" width="8" height="8" fill="{}"/>', _n(x - 4), _n(y - 4), colour
        )
    return format_html('<circle cx="{}" cy="{}" r="4" fill="{}"/>', _n(x), _n(y), colour)


def _dash(dash: str) -> SafeString:
    return format_html(' stroke-dasharray="{}"', dash) if dash else SafeString("")


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
        y = top + plot_h - plot_h * i / 5
        parts.append(
            format_html(
                '<line x1="{l}" y1="{y}" x2="{r}" y2="{y}" stroke="{grid}" stroke-width="1"/>'
                '<text x="{tx}" y="{ty}" text-anchor="end" font-size="11">{v}</text>',
                l=left,
                r=width - right,
                y=_n(y),
                grid=GRID_COLOUR,
                tx=left - 6,
                ty=_n(y + 4),
                v=_de(peak * i / 5),
            )
        )
    every = max(1, math.ceil(n / 12))

    def x_of(i: int) -> float:
        return left + step * i if n > 1 else left + plot_w / 2

    for i, label in enumerate(x_labels):
        if i % every:
            continue
        parts.append(
            format_html(
                '<text x="{}" y="{}" text-anchor="middle" font-size="11">{}</text>',
                _n(x_of(i)),
                height - bottom + 18,
                label,
            )
        )
    # Series and their legend entries.
    for idx, (name, values) in enumerate(series):
        colour, dash, marker = SERIES_STYLES[idx % len(SERIES_STYLES)]
        points = [(x_of(i), top + plot_h - plot_h * v / peak) for i, v in enumerate(values)]
        if len(points) > 1:
            parts.append(
                format_html(
                    '<polyline points="{}" fill="none" stroke="{}" stroke-width="2.5"{}/>',
                    " ".join(f"{_n(x)},{_n(y)}" for x, y in points),
                    colour,
                    _dash(dash),
                )
            )
        parts.extend(_marker(marker, x, y, colour) for x, y in points)
        lx = left + idx * 220
        parts.append(
            format_html(
                '<line x1="{}" y1="16" x2="{}" y2="16" stroke="{}" stroke-width="2.5"{}/>{}'
                '<text x="{}" y="20">{}</text>',
                lx,
                lx + 30,
                colour,
                _dash(dash),
                _marker(marker, lx + 15, 16, colour),
                lx + 38,
                name,
            )
        )
    parts.append(SafeString("</svg>"))
    columns = [x_header] + [name for name, _ in series]
    rows = [[label] + [_de(values[i]) for _, values in series] for i, label in enumerate(x_labels)]
    return Chart(chart_id, title, desc, _join(parts), columns, rows)


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
