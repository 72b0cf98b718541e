"""Emails: German, plain text + HTML, rendered from templates, sent after commit.

Templates live in ``templates/emails/<name>_subject.txt``, ``<name>.txt`` and optionally
``<name>.html``. Header values are stripped of line breaks (no header injection)."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.db import transaction
from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation

logger = logging.getLogger(__name__)


def _one_line(value: str) -> str:
    return " ".join(str(value).split())


def operator_in(context: dict):
    """The operator an email speaks for: named in the context, or behind its case, Antrag or
    programme. ``None`` for the portal's own emails (accounts, two-factor)."""
    from portal.scoping import operator_id_of

    if context.get("operator") is not None:
        return context["operator"]
    for key in ("voucher", "application", "offer", "appointment", "programme", "entry"):
        obj = context.get(key)
        if obj is not None and operator_id_of(obj) is not None:
            from portal.models import Operator

            return Operator.objects.prefetch_related("contacts").get(pk=operator_id_of(obj))
    return None


def sender(context: dict) -> tuple[str, dict]:
    """(From header, ``PROGRAMME_OFFICE`` for the templates): the operator's office when the
    email is about one of its programmes, else the portal itself."""
    operator = operator_in(context)
    if operator is None:
        return settings.DEFAULT_FROM_EMAIL, settings.PROGRAMME_OFFICE
    return operator.from_email(), operator.branding()


def build_mail(template: str, recipients: Iterable[str], context: dict) -> EmailMultiAlternatives:
    from_email, office = sender(context)
    ctx = {"SITE_URL": settings.SITE_URL, "PROGRAMME_OFFICE": office, **context}
    with translation.override(settings.LANGUAGE_CODE):
        subject = _one_line(render_to_string(f"emails/{template}_subject.txt", ctx))
        body = render_to_string(f"emails/{template}.txt", ctx)
        try:
            html = render_to_string(f"emails/{template}.html", ctx)
        except TemplateDoesNotExist:
            html = None
    message = EmailMultiAlternatives(
        subject=subject,
        body=body,
        from_email=from_email,
        to=[_one_line(r) for r in recipients if r],
    )
    if html:
        message.attach_alternative(html, "text/html")
    return message


def send_mail_now(template: str, recipients: Iterable[str], context: dict) -> int:
    recipients = [r for r in recipients if r]
    if not recipients:
        return 0
    return build_mail(template, recipients, context).send()


def send_mail_on_commit(template: str, recipients: Iterable[str], context: dict) -> None:
    """Queue an email to leave only after the current transaction has committed."""
    recipients = list(recipients)

    def _send():
        try:
            send_mail_now(template, recipients, context)
        except Exception:
            # The state change has committed; a failing mail server must not turn it into a 500.
            logger.exception("email %s could not be sent", template)

    transaction.on_commit(_send)
