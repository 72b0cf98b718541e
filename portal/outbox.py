"""Emails that leave at most once per recipient and purpose (``OutboundMail``).

``deliver(key, message)`` records the message as ``sending`` (committed) before it talks to
the mail server, and then tells the phases of the SMTP conversation apart:

- before DATA (connection refused, greeting/login timeout, sender or recipient refused with
  4xx): nothing was handed over — ``RetryableSendError``; the caller's task retries;
- the server explicitly refuses the message after DATA (4xx/5xx): nothing was accepted —
  retryable for 4xx, ``failed`` for 5xx;
- anything else once DATA began (a timeout waiting for "250", a dropped connection, a
  worker killed mid-conversation): the message may have arrived — ``uncertain``; never sent
  again automatically, the office sees it and may resend (``resend``).

Every message gets a stable ``Message-ID`` derived from its key, so that receiving servers
can drop a duplicate even after a manual resend."""

from __future__ import annotations

import hashlib
import logging
import smtplib
from collections.abc import Callable

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.core.mail.backends.smtp import EmailBackend as SMTPBackend
from django.core.mail.message import sanitize_address
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from portal.audit import log_action
from portal.errors import InvalidTransition
from portal.models import OutboundMail

logger = logging.getLogger(__name__)
S = OutboundMail.Status

# key prefix → function(key) that hands the message to its task again (registered by the app
# that sends it, e.g. vouchers for "feedback:…").
_resenders: dict[str, Callable[[str], None]] = {}


class RetryableSendError(ConnectionError):
    """Nothing was handed over to the mail server: sending again is safe."""


def register_resender(prefix: str, resend: Callable[[str], None]) -> None:
    _resenders[prefix] = resend


def message_id_for(key: str) -> str:
    digest = hashlib.sha256(f"{settings.SECRET_KEY}:{key}".encode()).hexdigest()[:32]
    domain = settings.DEFAULT_FROM_EMAIL.rpartition("@")[2].strip(" >") or "portal.invalid"
    return f"<{digest}@{domain}>"


def _claim(key: str, recipient: str, template: str, operator_id: int | None) -> OutboundMail | None:
    """Mark the message ``sending`` (own transaction), or None when it must not be sent: sent,
    refused, uncertain, or found ``sending`` from an attempt that broke off."""
    with transaction.atomic():
        mail, _created = OutboundMail.objects.select_for_update().get_or_create(
            key=key,
            defaults={
                "recipient": recipient,
                "template": template,
                "message_id": message_id_for(key),
                "operator_id": operator_id,
            },
        )
        if mail.status == S.SENDING:
            # A previous attempt stopped mid-conversation: it may have been delivered.
            mail.status = S.UNCERTAIN
            mail.last_error = "interrupted"
            mail.save(update_fields=["status", "last_error", "updated_at"])
            logger.warning("event=mail_uncertain key=%s reason=interrupted", key)
            return None
        if mail.status != S.PENDING:
            return None
        mail.status = S.SENDING
        mail.attempts += 1
        mail.save(update_fields=["status", "attempts", "updated_at"])
        return mail


def _set(mail: OutboundMail, status: str, error: str = "") -> None:
    fields = {"status": status, "last_error": error[:200], "updated_at": timezone.now()}
    if status == S.SENT:
        fields["sent_at"] = timezone.now()
    OutboundMail.objects.filter(pk=mail.pk).update(**fields)


def _send_smtp(connection: SMTPBackend, message: EmailMessage) -> None:
    """One message over SMTP, phase by phase (raises RetryableSendError, or returns/raises
    ``_Uncertain`` / ``_Refused`` for what happened after DATA)."""
    try:
        connection.open()
        smtp = connection.connection
        encoding = message.encoding or settings.DEFAULT_CHARSET
        sender = sanitize_address(message.from_email, encoding)
        recipients = [sanitize_address(r, encoding) for r in message.recipients()]
        smtp.ehlo_or_helo_if_needed()
        code, _response = smtp.mail(sender)
        if code != 250:
            raise RetryableSendError(f"MAIL {code}")
        accepted = [r for r in recipients if smtp.rcpt(r)[0] in (250, 251)]
        if not accepted:
            raise RetryableSendError("RCPT refused")
    except RetryableSendError:
        connection.close()
        raise
    except (OSError, smtplib.SMTPException) as exc:
        connection.close()
        raise RetryableSendError(type(exc).__name__) from exc
    try:
        smtp.data(message.message().as_bytes(linesep="\r\n"))
    except smtplib.SMTPDataError as exc:
        raise _Refused(exc.smtp_code) from exc
    except (OSError, smtplib.SMTPException) as exc:
        raise _Uncertain(type(exc).__name__) from exc
    finally:
        try:
            connection.close()
        except Exception:  # the connection is gone already
            logger.debug("closing the SMTP connection failed", exc_info=True)


class _Uncertain(Exception):
    pass


class _Refused(Exception):
    def __init__(self, code: int):
        super().__init__(code)
        self.code = code


def deliver(
    key: str, message: EmailMessage, *, template: str = "", operator_id: int | None = None
) -> bool:
    """Send ``message`` (one recipient) unless the message with this ``key`` went out, was
    refused or may have arrived. True when it was sent now. Raises ``RetryableSendError``
    when nothing was handed over (the caller retries)."""
    [recipient] = message.to
    mail = _claim(key, recipient, template, operator_id)
    if mail is None:
        return False
    message.extra_headers["Message-ID"] = mail.message_id
    connection = get_connection()
    try:
        if isinstance(connection, SMTPBackend):
            _send_smtp(connection, message)
        else:  # console, file, locmem: no conversation to break off
            connection.send_messages([message])
    except RetryableSendError as exc:
        _set(mail, S.PENDING, str(exc))
        logger.info("event=mail_retry key=%s error=%s", key, exc)
        raise
    except _Refused as exc:
        status = S.PENDING if 400 <= exc.code < 500 else S.FAILED
        _set(mail, status, f"DATA {exc.code}")
        if status == S.PENDING:
            raise RetryableSendError(f"DATA {exc.code}") from exc
        logger.warning("event=mail_refused key=%s code=%s", key, exc.code)
        return False
    except _Uncertain as exc:
        _set(mail, S.UNCERTAIN, str(exc))
        logger.warning("event=mail_uncertain key=%s error=%s", key, exc)
        return False
    except Exception as exc:
        # Not an SMTP conversation (file/console backends): nothing can have been half sent.
        _set(mail, S.PENDING, type(exc).__name__)
        raise RetryableSendError(type(exc).__name__) from exc
    _set(mail, S.SENT)
    return True


def uncertain_for(user):
    """Uncertain messages of the user's operators (admins: all), oldest first."""
    from portal.scoping import office_scope

    return office_scope(
        OutboundMail.objects.filter(status=S.UNCERTAIN), user, path="operator"
    ).order_by("created_at", "pk")


def resend(mail: OutboundMail, *, by) -> OutboundMail:
    """Office: send an uncertain message once more (same Message-ID), audited."""
    from portal.scoping import works_for_object

    if not (by.role == "admin" or by.is_superuser or works_for_object(by, mail.operator)):
        raise InvalidTransition(_("Dieser Schritt ist nur dem Programmbüro möglich."))
    prefix = mail.key.split(":", 1)[0]
    if mail.status != S.UNCERTAIN or prefix not in _resenders:
        raise InvalidTransition(_("Diese E-Mail kann nicht erneut gesendet werden."))
    with transaction.atomic():
        OutboundMail.objects.filter(pk=mail.pk, status=S.UNCERTAIN).update(
            status=S.PENDING, updated_at=timezone.now()
        )
        log_action(by, "mail.resent", mail, data={"key": mail.key})
        transaction.on_commit(lambda: _resenders[prefix](mail.key))
    mail.refresh_from_db()
    return mail
