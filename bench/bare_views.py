"""Baselines served next to the real pages, for the benchmark only (``bench.urls``).

``bare_queue`` selects 50 rows of the applications table (with the organisation's name, one
join) and renders them as a plain table with a tiny template: the least a queue page could
do. ``hello`` is a hello-world view for the throughput baseline. Both pass through the same
middleware as every page (session, authentication, messages …), so the ratios measure what
the real pages add on top of Django itself."""

from __future__ import annotations

from django.http import HttpResponse
from django.template import engines

from vouchers.models import Application

BARE_TEMPLATE = engines["django"].from_string(
    """<!doctype html><html lang="de"><head><meta charset="utf-8"><title>Anträge</title></head>
<body><table>
<thead><tr><th>Nr.</th><th>Organisation</th><th>Status</th><th>eingereicht am</th></tr></thead>
<tbody>{% for a in rows %}<tr><td>{{ a.pk }}</td><td>{{ a.organisation.name }}</td>
<td>{{ a.get_status_display }}</td><td>{{ a.submitted_at|date:"d.m.Y" }}</td></tr>
{% endfor %}</tbody></table></body></html>"""
)


def bare_queue(request):
    rows = (
        Application.objects.filter(status__in=Application.OPEN_STATUSES)
        .select_related("organisation")
        .order_by("submitted_at", "pk")[:50]
    )
    return HttpResponse(BARE_TEMPLATE.render({"rows": rows}, request))


def hello(request):
    return HttpResponse("Hallo Welt", content_type="text/plain; charset=utf-8")
