"""The competitive call (Ausschreibung): submitting a Bewerbung within the call's window and
admitting a late one explicitly."""

from __future__ import annotations

from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _

from portal.audit import log_action
from portal.errors import InvalidTransition
from programme_work.models import Call, CallApplication
from vouchers.services.transitions import require_role


def submit_call_application(call_application: CallApplication, *, by) -> CallApplication:
    """Record the submission; refused before the opening and after the deadline (naming it)
    unless the office admitted it late."""
    with transaction.atomic():
        ca = (
            CallApplication.objects.select_for_update()
            .select_related("call")
            .get(pk=call_application.pk)
        )
        call = ca.call
        now = timezone.now()
        if ca.submitted_at is not None:
            raise InvalidTransition(_("Die Bewerbung ist bereits eingereicht."))
        if call.status == Call.Status.DRAFT or now < call.opens_at:
            raise InvalidTransition(_("Die Ausschreibung ist noch nicht eröffnet."))
        if not ca.late_admitted and (now > call.deadline or call.status != Call.Status.OPEN):
            deadline = formats.date_format(timezone.localtime(call.deadline), "DATETIME_FORMAT")
            raise InvalidTransition(
                _("Der Bewerbungsschluss (%(deadline)s) ist abgelaufen.") % {"deadline": deadline}
            )
        ca.submitted_at = now
        ca.save(update_fields=["submitted_at"])
        log_action(by, "call.application_submitted", ca, data={"call": call.pk})
    return ca


def admit_late(call_application: CallApplication, *, by, reason: str) -> CallApplication:
    """The office admits a Bewerbung after the deadline; audited with the reason."""
    call = call_application.call
    require_role(by, "office", programme=call.programme)
    reason = (reason or "").strip()[:1000]
    if not reason:
        raise InvalidTransition(_("Bitte begründen Sie die verspätete Zulassung."))
    with transaction.atomic():
        ca = CallApplication.objects.select_for_update().get(pk=call_application.pk)
        ca.late_admitted = True
        ca.save(update_fields=["late_admitted"])
        log_action(by, "call.late_admitted", ca, reason=reason, data={"call": call.pk})
    return ca
