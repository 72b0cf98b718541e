"""Feedback after a case closes (DESIGN rule 7): requests, signed single-use links, sending
exactly once, the outbox re-enqueue, one reminder, and storing the answers.

Exactly-once sending rests on two things: a ``FeedbackRequest`` per (voucher, recipient)
(unique constraint, ``get_or_create``) and its ``sent_at``/``reminded_at`` timestamps, read and
written while the request row is locked (``select_for_update``) around the SMTP call. A
duplicated or retried task therefore finds ``sent_at`` set and sends nothing.

Lock order everywhere: request row(s) first, one at a time, then the voucher row.
"""

from __future__ import annotations

import datetime as dt
import logging
import secrets

from django.conf import settings
from django.core import signing
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from portal import outbox
from portal.audit import log_action
from portal.errors import RuleViolation
from portal.models import Programme
from portal.notifications import build_mail
from vouchers.feedback import BrokerUnavailable, publish_feedback_task
from vouchers.models import FeedbackRequest, FeedbackResponse, Voucher
from vouchers.services.transitions import V, move

logger = logging.getLogger(__name__)

FS = Voucher.FeedbackStatus
# A salt namespaces the signature (not a secret): tokens of other features never validate here.
TOKEN_SALT = "vouchers.feedback.token"  # noqa: S105
# An enqueued task that has not finished after this long is enqueued again (idempotent).
REQUEUE_STALE_AFTER = dt.timedelta(minutes=10)


# --- Links --------------------------------------------------------------------------------


class FeedbackLinkError(RuleViolation):
    """The feedback link cannot be used; ``reason`` ∈ invalid | expired | used."""

    reason = "invalid"
    default_message = "Dieser Link zum Feedbackbogen ist ungültig."


class FeedbackLinkInvalid(FeedbackLinkError):
    reason = "invalid"


class FeedbackLinkExpired(FeedbackLinkError):
    reason = "expired"
    default_message = "Dieser Link zum Feedbackbogen ist abgelaufen."


class FeedbackLinkUsed(FeedbackLinkError):
    reason = "used"
    default_message = "Mit diesem Link wurde der Feedbackbogen bereits ausgefüllt."


def _max_age() -> dt.timedelta:
    return dt.timedelta(days=settings.FEEDBACK_TOKEN_MAX_AGE_DAYS)


def make_token(feedback_request: FeedbackRequest) -> str:
    """A signed, timestamped token that carries the request's random nonce."""
    return signing.dumps({"n": feedback_request.nonce}, salt=TOKEN_SALT)


def feedback_link(feedback_request: FeedbackRequest) -> str:
    """The absolute link to the form (``SITE_URL`` + path) that goes into the email."""
    return settings.SITE_URL + reverse("feedback:form", args=[make_token(feedback_request)])


def resolve_token(token: str) -> FeedbackRequest:
    """The request a link belongs to, if it may still be answered; else a ``FeedbackLinkError``."""
    try:
        payload = signing.loads(token, salt=TOKEN_SALT)
        nonce = str(payload["n"])
    except (signing.BadSignature, KeyError, TypeError, ValueError) as exc:
        raise FeedbackLinkInvalid from exc
    feedback_request = (
        FeedbackRequest.objects.select_related("voucher__organisation", "voucher__programme")
        .filter(nonce=nonce)
        .first()
    )
    if feedback_request is None or feedback_request.sent_at is None:
        raise FeedbackLinkInvalid
    if feedback_request.answered_at is not None:
        raise FeedbackLinkUsed
    try:
        signing.loads(token, salt=TOKEN_SALT, max_age=_max_age())
    except signing.SignatureExpired as exc:
        raise FeedbackLinkExpired from exc
    if feedback_request.expires_at and feedback_request.expires_at <= timezone.now():
        raise FeedbackLinkExpired
    return feedback_request


# --- Sending --------------------------------------------------------------------------------


def _mail_context(feedback_request: FeedbackRequest, voucher: Voucher) -> dict:
    return {
        "voucher": voucher,
        "organisation": voucher.organisation,
        "programme": voucher.programme,
        "recipient_name": feedback_request.recipient_name,
        "link": feedback_link(feedback_request),
        "expires_at": feedback_request.expires_at,
    }


def _ensure_requests(voucher: Voucher) -> None:
    """One request per contact of the organisation (idempotent under concurrency)."""
    seen: set[str] = set()
    for contact in voucher.organisation.contacts().order_by("pk"):
        email = contact.email.strip()
        if not email or email.lower() in seen:
            continue
        seen.add(email.lower())
        defaults = {
            "recipient": contact,
            "recipient_name": contact.get_full_name(),
            "kind": FeedbackRequest.Kind.CONTACT,
            "nonce": secrets.token_urlsafe(24),
        }
        try:
            FeedbackRequest.objects.get_or_create(
                voucher=voucher, recipient_email=email, defaults=defaults
            )
        except IntegrityError:  # a concurrent task created it a moment earlier
            if not FeedbackRequest.objects.filter(voucher=voucher, recipient_email=email).exists():
                raise


def _send_one(pk: int, voucher: Voucher) -> bool:
    """Send one invitation at most once (``portal.outbox``: marked as being sent before the
    SMTP conversation; an ambiguous failure is never resent automatically). Raises
    ``RetryableSendError`` when nothing was handed over (the task retries)."""
    with transaction.atomic():
        feedback_request = FeedbackRequest.objects.select_for_update().get(pk=pk)
        if feedback_request.sent_at is not None:
            return False
        if feedback_request.expires_at is None:
            feedback_request.expires_at = timezone.now() + _max_age()
            feedback_request.save(update_fields=["expires_at"])
    message = build_mail(
        "feedback_request",
        [feedback_request.recipient_email],
        _mail_context(feedback_request, voucher),
    )
    sent = outbox.deliver(
        f"feedback:{pk}",
        message,
        template="feedback_request",
        operator_id=voucher.programme.operator_id,
    )
    if sent:
        FeedbackRequest.objects.filter(pk=pk, sent_at__isnull=True).update(sent_at=timezone.now())
    return sent


def send_feedback_requests(voucher_id: int) -> int:
    """Email every contact of a closed voucher's organisation its personal feedback link.

    Idempotent: a second and third run send nothing. Returns the number of emails sent.
    SMTP errors propagate (the Celery task retries); what was sent stays marked as sent."""
    voucher = (
        Voucher.objects.select_related("organisation", "programme").filter(pk=voucher_id).first()
    )
    if voucher is None:
        logger.warning("feedback: voucher %s does not exist", voucher_id)
        return 0
    if voucher.status not in Voucher.CLOSED_STATUSES:
        logger.warning("feedback: voucher %s is not closed (%s)", voucher_id, voucher.status)
        return 0
    if voucher.status == V.CLOSED:
        # The recipients are fixed once the invitations have gone out (→ feedback_sent).
        _ensure_requests(voucher)
    pending = voucher.feedback_requests.filter(
        kind=FeedbackRequest.Kind.CONTACT, sent_at__isnull=True
    ).values_list("pk", flat=True)
    sent = sum(_send_one(pk, voucher) for pk in list(pending))
    _mark_voucher_sent(voucher.pk, sent)
    return sent


def _mark_voucher_sent(voucher_id: int, sent_now: int) -> None:
    with transaction.atomic():
        locked = Voucher.objects.select_for_update().get(pk=voucher_id)
        requests = locked.feedback_requests.filter(kind=FeedbackRequest.Kind.CONTACT)
        if requests.filter(sent_at__isnull=True).exists():
            return  # another run is still sending; it finishes the step
        total = requests.count()
        if total == 0:
            if locked.feedback_status == FS.PENDING:
                locked.feedback_status = FS.NONE
                locked.save(update_fields=["feedback_status"])
                log_action(None, "voucher.feedback_no_recipients", locked)
            return
        if locked.status == V.CLOSED:
            # Never downgrade: an answer may have arrived while the last one was retried.
            status = FS.SENT if locked.feedback_status in (FS.PENDING, FS.NONE) else None
            move(
                locked,
                V.FEEDBACK_SENT,
                by=None,
                action="voucher.feedback_sent",
                fields={"feedback_status": status or locked.feedback_status},
                data={"recipients": total, "sent": sent_now},
            )
            if requests.filter(answered_at__isnull=False).exists():
                # Someone answered while the last invitation was still being retried.
                move(locked, V.FEEDBACK_RECEIVED, by=None, action="voucher.feedback_received")
        elif locked.feedback_status in (FS.PENDING, FS.NONE):
            locked.feedback_status = FS.SENT
            locked.save(update_fields=["feedback_status"])


# --- Outbox ---------------------------------------------------------------------------------


def pending_feedback_vouchers(*, now: dt.datetime | None = None):
    """Closed vouchers whose invitations are still pending: never enqueued (broker was down),
    or enqueued so long ago that the task must have been lost or failed for good."""
    now = now or timezone.now()
    return Voucher.objects.filter(
        feedback_status=FS.PENDING, status__in=Voucher.CLOSED_STATUSES
    ).filter(
        Q(feedback_enqueued_at__isnull=True)
        | Q(feedback_enqueued_at__lte=now - REQUEUE_STALE_AFTER)
    )


def requeue_pending_feedback() -> int:
    """Enqueue the feedback task again for every pending voucher (the periodic outbox relay).

    Enqueueing twice is harmless: the task is idempotent. Stops at the first broker error,
    since the broker is then still down and the next periodic run tries again. Returns the
    number of vouchers handed over."""
    enqueued = 0
    pending = pending_feedback_vouchers().order_by("closed_at", "pk").values_list("pk", flat=True)
    for voucher_id in list(pending):
        try:
            publish_feedback_task(voucher_id)
        except BrokerUnavailable:
            logger.warning("feedback relay: broker unavailable, %s enqueued", enqueued)
            break
        except Exception:  # eager mode: the task itself failed; it stays pending
            logger.warning("feedback relay: voucher %s failed", voucher_id, exc_info=True)
            continue
        enqueued += 1
    return enqueued


# --- Reminder -------------------------------------------------------------------------------


def _remind_one(pk: int, voucher: Voucher, now: dt.datetime) -> bool:
    """One reminder at most once (``portal.outbox``), with a fresh link valid from now."""
    with transaction.atomic():
        feedback_request = FeedbackRequest.objects.select_for_update().get(pk=pk)
        if feedback_request.reminded_at or feedback_request.answered_at:
            return False
        feedback_request.expires_at = now + _max_age()
        feedback_request.save(update_fields=["expires_at"])
    message = build_mail(
        "feedback_reminder",
        [feedback_request.recipient_email],
        _mail_context(feedback_request, voucher),
    )
    sent = outbox.deliver(
        f"feedback-reminder:{pk}",
        message,
        template="feedback_reminder",
        operator_id=voucher.programme.operator_id,
    )
    if sent:
        FeedbackRequest.objects.filter(pk=pk, reminded_at__isnull=True).update(reminded_at=now)
    return sent


def send_feedback_reminders(*, now: dt.datetime | None = None) -> int:
    """One reminder, ``programme.feedback_reminder_days`` after the invitation, to each
    recipient who has not answered. Never a second one (``reminded_at``). Returns the count."""
    now = now or timezone.now()
    reminded = 0
    for programme in Programme.objects.only("pk", "feedback_reminder_days"):
        cutoff = now - dt.timedelta(days=programme.feedback_reminder_days)
        due = (
            FeedbackRequest.objects.filter(
                voucher__programme=programme,
                voucher__status__in=(V.FEEDBACK_SENT, V.FEEDBACK_RECEIVED),
                kind=FeedbackRequest.Kind.CONTACT,
                sent_at__lte=cutoff,
                reminded_at__isnull=True,
                answered_at__isnull=True,
            )
            .order_by("voucher_id", "pk")
            .values_list("pk", "voucher_id")
        )
        by_voucher: dict[int, list[int]] = {}
        for pk, voucher_id in due:
            by_voucher.setdefault(voucher_id, []).append(pk)
        vouchers = Voucher.objects.select_related("organisation", "programme").in_bulk(by_voucher)
        for voucher_id, pks in by_voucher.items():
            count = sum(_remind_one(pk, vouchers[voucher_id], now) for pk in pks)
            if count:
                _mark_voucher_reminded(voucher_id, count)
            reminded += count
    return reminded


def _mark_voucher_reminded(voucher_id: int, count: int) -> None:
    with transaction.atomic():
        locked = Voucher.objects.select_for_update().get(pk=voucher_id)
        if locked.feedback_status == FS.SENT:
            locked.feedback_status = FS.REMINDED
            locked.save(update_fields=["feedback_status"])
        log_action(None, "voucher.feedback_reminded", locked, data={"reminders": count})


# --- Answers --------------------------------------------------------------------------------


def submit_feedback(
    feedback_request: FeedbackRequest,
    *,
    satisfaction: int,
    goals_reached: int,
    would_recommend: bool,
    structure_useful: int,
    what_helped: str = "",
    what_to_improve: str = "",
) -> FeedbackResponse:
    """Store the answers of one recipient; the link is used up. The first answer moves the
    voucher to ``feedback_received``. Raises ``FeedbackLinkUsed`` on a second submission."""
    with transaction.atomic():
        locked = FeedbackRequest.objects.select_for_update().get(pk=feedback_request.pk)
        if locked.answered_at is not None:
            raise FeedbackLinkUsed
        response = FeedbackResponse.objects.create(
            request=locked,
            satisfaction=satisfaction,
            goals_reached=goals_reached,
            would_recommend=would_recommend,
            structure_useful=structure_useful,
            what_helped=(what_helped or "").strip(),
            what_to_improve=(what_to_improve or "").strip(),
        )
        locked.answered_at = response.created_at
        locked.save(update_fields=["answered_at"])
        voucher = Voucher.objects.select_for_update().get(pk=locked.voucher_id)
        if voucher.status == V.FEEDBACK_SENT:
            move(
                voucher,
                V.FEEDBACK_RECEIVED,
                by=None,
                action="voucher.feedback_received",
                fields={"feedback_status": FS.ANSWERED},
                data={"request": locked.pk},
            )
        else:
            if voucher.feedback_status != FS.ANSWERED:
                voucher.feedback_status = FS.ANSWERED
                voucher.save(update_fields=["feedback_status"])
            log_action(None, "voucher.feedback_answered", voucher, data={"request": locked.pk})
    feedback_request.answered_at = locked.answered_at
    return response


def link_error_message(exc: FeedbackLinkError) -> str:
    """German text for the friendly page (kept next to the exceptions it explains)."""
    messages = {
        "used": _("Mit diesem Link wurde der Feedbackbogen bereits ausgefüllt. Vielen Dank!"),
        "expired": _("Dieser Link zum Feedbackbogen ist abgelaufen."),
    }
    return messages.get(exc.reason, _("Dieser Link zum Feedbackbogen ist ungültig."))
