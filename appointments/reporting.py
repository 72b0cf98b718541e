"""Figures for the office: bookings per programme and week, no-shows and late
cancellations, utilisation of each facilitator's slots. Aggregated in the database."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q
from django.db.models.functions import TruncWeek

from appointments import selectors
from appointments.models import Appointment
from appointments.services.common import berlin

S = Appointment.Status


def weekly_bookings(user, *, start: dt.datetime, end: dt.datetime, programme=None) -> list[dict]:
    queryset = selectors.office_appointments(user).filter(starts_at__gte=start, starts_at__lt=end)
    if programme is not None:
        queryset = queryset.filter(voucher__programme=programme)
    rows = (
        queryset.annotate(week=TruncWeek("starts_at", tzinfo=berlin()))
        .values("voucher__programme__name", "week")
        .annotate(
            total=Count("pk"),
            booked=Count("pk", filter=Q(status=S.BOOKED)),
            held=Count("pk", filter=Q(status=S.HELD)),
            cancelled=Count("pk", filter=Q(status=S.CANCELLED, late=False)),
            late=Count("pk", filter=Q(status=S.CANCELLED, late=True)),
            no_show=Count("pk", filter=Q(status=S.NO_SHOW)),
        )
        .order_by("voucher__programme__name", "week")
    )
    return [
        {
            "programme": row["voucher__programme__name"],
            "week": row["week"].date() if hasattr(row["week"], "date") else row["week"],
            **{k: row[k] for k in ("total", "booked", "held", "cancelled", "late", "no_show")},
        }
        for row in rows
    ]


def facilitator_utilisation(user, *, start, end, programme=None) -> list[dict]:
    slots = selectors.office_slots(user).filter(
        starts_at__gte=start, starts_at__lt=end, withdrawn_at__isnull=True
    )
    if programme is not None:
        slots = slots.filter(programme=programme)
    rows = (
        slots.values(
            "facilitator_id", "facilitator__user__first_name", "facilitator__user__last_name"
        )
        .annotate(
            offered=Count("pk", distinct=True),
            booked=Count(
                "appointments",
                filter=Q(appointments__status__in=Appointment.OCCUPYING),
                distinct=True,
            ),
            held=Count("appointments", filter=Q(appointments__status=S.HELD), distinct=True),
        )
        .order_by("facilitator__user__last_name", "facilitator__user__first_name")
    )
    result = []
    for row in rows:
        name = (
            f"{row['facilitator__user__first_name']} {row['facilitator__user__last_name']}".strip()
        )
        offered = row["offered"]
        result.append(
            {
                "facilitator": name,
                "offered": offered,
                "booked": row["booked"],
                "held": row["held"],
                "percent": round(100 * row["booked"] / offered) if offered else 0,
            }
        )
    return result
