"""Reads of the sparring calendar, scoped to the user (a view never filters by itself)."""

from __future__ import annotations

import datetime as dt

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from appointments.models import Appointment, FeedToken, Slot
from portal.models import Programme
from portal.scoping import office_scope
from sessions_log import balance
from sessions_log.caps import cap_units_in_process_of, cap_units_of
from vouchers.models import Voucher

# What reserves a unit: a booked appointment, and a late cancellation or no-show that counts.
RESERVING = Q(status=Appointment.Status.BOOKED) | Q(
    status__in=[Appointment.Status.CANCELLED, Appointment.Status.NO_SHOW], counts=True
)


def reserved_units(organisation_id: int, exclude_appointment_id: int | None = None):
    """(units, units with facilitators in process) the organisation's appointments reserve:
    registered with ``sessions_log.hooks`` so ``log_session`` counts them too. Held ones
    are not counted here: their session entry counts."""
    queryset = Appointment.objects.filter(RESERVING, organisation_id=organisation_id)
    if exclude_appointment_id is not None:
        queryset = queryset.exclude(pk=exclude_appointment_id)
    totals = queryset.aggregate(
        units=Count("pk"), in_process=Count("pk", filter=Q(with_facilitator_in_process=True))
    )
    return totals["units"], totals["in_process"]


def reserved_units_sql() -> str:
    """``reserved_units`` as one SQL statement for the caps' balance read (one ``%s``: the
    organisation). Constants only; the table name is quoted for both databases."""
    table = Appointment._meta.db_table
    booked, cancelled, no_show = (
        Appointment.Status.BOOKED.value,
        Appointment.Status.CANCELLED.value,
        Appointment.Status.NO_SHOW.value,
    )
    reserving = (
        f"(a.status = '{booked}' OR (a.status IN ('{cancelled}', '{no_show}') AND a.counts))"
    )
    # Constants only; the organisation is a parameter.
    return (
        "SELECT COUNT(*) AS units, "  # noqa: S608  # nosec B608 - constants only
        "COALESCE(SUM(CASE WHEN a.with_facilitator_in_process THEN 1 ELSE 0 END), 0) "
        f'AS units_in_process FROM "{table}" a WHERE a.organisation_id = %s AND {reserving}'
    )


def units_left(voucher: Voucher) -> dict:
    """What the organisation may still book: total and with facilitators in process."""
    # Logged units plus those booked appointments reserve (``reserved_units_sql``).
    used, used_in_process = balance.read_used(voucher)
    cap, cap_in_process = cap_units_of(voucher), cap_units_in_process_of(voucher)
    total = max((cap or 0) - used, 0)
    in_process = max((cap_in_process or 0) - used_in_process, 0)
    return {
        "cap": cap,
        "cap_in_process": cap_in_process,
        "used": used,
        "total": total,
        "in_process": min(in_process, total),
    }


def active_sparring_cases(user) -> QuerySet[Voucher]:
    """The active Virtuelle-Begleitung cases of ``user``'s organisation."""
    if not user.organisation_id:
        return Voucher.objects.none()
    return Voucher.objects.select_related("programme", "organisation").filter(
        organisation_id=user.organisation_id,
        status=Voucher.Status.ACTIVE,
        programme__kind=Programme.Kind.VIRTUELL,
    )


def week_bounds(monday: dt.date) -> tuple[dt.datetime, dt.datetime]:
    tz = timezone.get_current_timezone()
    start = dt.datetime.combine(monday, dt.time.min, tzinfo=tz)
    return start, start + dt.timedelta(days=7)


def free_slots(
    programmes, *, start, end, facilitator=None, topic=None, language=None
) -> QuerySet[Slot]:
    """Unbooked, future, not withdrawn slots of ``programmes`` between ``start`` and ``end``."""
    taken = Appointment.objects.filter(status__in=Appointment.OCCUPYING).values("slot_id")
    queryset = (
        Slot.objects.filter(
            programme__in=programmes,
            withdrawn_at__isnull=True,
            starts_at__gte=max(start, timezone.now()),
            starts_at__lt=end,
        )
        .exclude(pk__in=taken)
        .select_related("facilitator__user", "programme")
    )
    if facilitator:
        queryset = queryset.filter(facilitator_id=facilitator)
    if topic:
        queryset = queryset.filter(facilitator__topics=topic)
    if language:
        queryset = queryset.filter(facilitator__languages=language)
    return queryset.distinct().order_by("starts_at", "pk")


def appointments_of_organisation(organisation_id) -> QuerySet[Appointment]:
    return Appointment.objects.filter(organisation_id=organisation_id).select_related(
        "slot", "facilitator__user", "voucher__programme"
    )


def appointments_of_facilitator(profile) -> QuerySet[Appointment]:
    return Appointment.objects.filter(facilitator=profile).select_related(
        "slot", "organisation", "voucher__programme", "booked_by"
    )


def slots_of_facilitator(profile, *, start, end) -> QuerySet[Slot]:
    return (
        Slot.objects.filter(facilitator=profile, starts_at__gte=start, starts_at__lt=end)
        .select_related("programme")
        .prefetch_related("appointments__organisation")
        .order_by("starts_at")
    )


def feed_owner(token: str) -> FeedToken | None:
    """The active feed token ``token`` (``None`` if unknown or revoked)."""
    if not token or len(token) > 64:
        return None
    return (
        FeedToken.objects.select_related("facilitator", "organisation")
        .filter(token=token, revoked_at__isnull=True)
        .first()
    )


def feed_appointments(feed: FeedToken) -> QuerySet[Appointment]:
    queryset = Appointment.objects.filter(
        status__in=[Appointment.Status.BOOKED, Appointment.Status.HELD]
    ).select_related("slot", "facilitator__user", "organisation", "booked_by")
    if feed.facilitator_id:
        return queryset.filter(facilitator_id=feed.facilitator_id)
    return queryset.filter(organisation_id=feed.organisation_id)


def office_appointments(user) -> QuerySet[Appointment]:
    """Appointments in the programmes of the operators the office user works for."""
    return office_scope(
        Appointment.objects.select_related(
            "slot", "organisation", "facilitator__user", "voucher__programme"
        ),
        user,
        path="voucher__programme__operator",
    )


def office_slots(user) -> QuerySet[Slot]:
    return office_scope(Slot.objects.all(), user)
