"""Writing the audit trail. Services call ``log_action`` inside their transaction."""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

from portal.models import AuditEntry


def log_action(
    actor,
    action: str,
    target: models.Model,
    *,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    data: dict | None = None,
) -> AuditEntry:
    """Record who did what to which object (``action`` like ``"voucher.approved"``)."""
    from portal.scoping import operator_id_of

    entry = AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        action=action,
        # Only the rows the office's "Eingang" lists carry their operator (one lookup each).
        operator_id=operator_id_of(target) if _for_the_inbox(action, from_state) else None,
        target_type=ContentType.objects.get_for_model(target),
        target_id=target.pk,
        from_state=from_state or "",
        to_state=to_state or "",
        reason=reason or "",
        data=data or {},
    )
    if entry.operator_id is not None:
        _tell_the_office(entry, target)
    return entry


def _office_url(target) -> str:
    """Where the office looks at what happened: the case page, else the Antrag."""
    if target._meta.model_name != "voucher" and getattr(target, "application", None) is not None:
        target = target.application
    return target.get_absolute_url() if hasattr(target, "get_absolute_url") else ""


def _tell_the_office(entry: AuditEntry, target) -> None:
    """One email per inbox event to the operator's office address, after commit."""
    from portal.models import Operator
    from portal.notifications import send_mail_on_commit

    operator = Operator.objects.filter(pk=entry.operator_id).first()
    address = operator.office_notification_email if operator else ""
    if not address:
        return
    send_mail_on_commit(
        "office_inbox",
        [address],
        {
            "operator": operator,
            "event": str(INBOX_ACTIONS[entry.action]),
            "action": entry.action,
            "subject_name": str(target),
            "reason": entry.reason,
            "path": _office_url(target),
        },
    )


# What the programme office hears about: one email to the operator's office address and a
# line in its "Eingang" (issue 20, the office's daily tools).
INBOX_ACTIONS = {
    "application.submitted": _("Neuer Antrag eingereicht"),
    "application.withdrawn": _("Antrag zurückgezogen"),
    "voucher.closing_requested": _("Abschluss gemeldet"),
    "offer.declined": _("Platzangebot abgelehnt"),
}


def _for_the_inbox(action: str, from_state: str) -> bool:
    # A draft discarded before it was ever submitted is nothing the office needs to know.
    return action in INBOX_ACTIONS and not (
        action == "application.withdrawn" and from_state == "draft"
    )


def audit_trail(target: models.Model):
    """Audit rows of one object, newest first, with the actor joined."""
    return AuditEntry.objects.filter(
        target_type=ContentType.objects.get_for_model(target), target_id=target.pk
    ).select_related("actor")


# --- Labels: the audit trail in words (the codes stay in exports) ---------------------------
# Whole actions with a label of their own; others are named by object and verb below.
ACTION_LABELS = {
    "application.created": _("Antrag angelegt"),
    "application.submitted": _("Antrag eingereicht"),
    "application.review_started": _("Prüfung begonnen"),
    "application.approved": _("Antrag bewilligt"),
    "application.waitlisted": _("auf die Warteliste gesetzt"),
    "application.rejected": _("Antrag abgelehnt"),
    "application.withdrawn": _("Antrag zurückgezogen"),
    "voucher.issued": _("Gutschein ausgestellt"),
    "voucher.activated": _("Vereinbarung unterschrieben, Begleitung aktiv"),
    "voucher.closing_requested": _("Abschluss gemeldet"),
    "voucher.closed": _("Begleitung abgeschlossen"),
    "voucher.cancelled": _("Gutschein storniert"),
    "voucher.feedback_sent": _("Feedbackbogen versandt"),
    "voucher.feedback_reminded": _("an den Feedbackbogen erinnert"),
    "voucher.feedback_received": _("Feedback erhalten"),
    "voucher.feedback_answered": _("Feedbackbogen beantwortet"),
    "voucher.feedback_no_recipients": _("kein Feedbackbogen: keine Kontaktperson"),
    "voucher.follow_up_requested": _("Folgegutschein beantragt"),
    "voucher.facilitators_assigned": _("Prozessbegleitung zugeordnet"),
    "agreement.generated": _("Vereinbarung erzeugt"),
    "agreement.uploaded": _("unterschriebene Vereinbarung hochgeladen"),
    "agreement.confirmed": _("unterschriebene Vereinbarung bestätigt"),
    "agreement.rejected": _("unterschriebene Vereinbarung zurückgewiesen"),
    "agreement.signed_on_paper": _("Vereinbarung auf Papier unterschrieben"),
    "session.logged": _("Sitzung eingetragen"),
    "session.updated": _("Sitzung geändert"),
    "session.deleted": _("Sitzung gelöscht"),
    "event.held": _("Anwesenheit erfasst"),
    "event.booked": _("zu einem Treffen angemeldet"),
    "event.declined": _("von einem Treffen abgemeldet"),
    "milestone.cancelled": _("Meilenstein gestrichen"),
    "plan.created": _("Prozessplan angelegt"),
}
OBJECT_LABELS = {
    "application": _("Antrag"),
    "voucher": _("Gutschein"),
    "case": _("Fall"),
    "agreement": _("Vereinbarung"),
    "session": _("Sitzung"),
    "entry": _("Eintrag"),
    "offer": _("Platzangebot"),
    "slot": _("Termin"),
    "appointment": _("Termin"),
    "plan": _("Prozessplan"),
    "milestone": _("Meilenstein"),
    "event": _("Veranstaltung"),
    "proof_of_use": _("Verwendungsnachweis"),
    "organisation": _("Organisation"),
    "region_flags": _("Regionsangaben"),
    "group_member": _("Mitglied einer Projektgruppe"),
    "mail": _("E-Mail"),
}
VERB_LABELS = {
    "created": _("angelegt"),
    "updated": _("geändert"),
    "deleted": _("gelöscht"),
    "confirmed": _("bestätigt"),
    "disputed": _("widersprochen"),
    "resolved": _("Widerspruch entschieden"),
    "deemed_confirmed": _("gilt als bestätigt"),
    "accepted": _("angenommen"),
    "declined": _("abgelehnt"),
    "expired": _("abgelaufen"),
    "offered": _("angeboten"),
    "cancelled": _("abgesagt"),
    "booked": _("gebucht"),
    "held": _("stattgefunden"),
    "no_show": _("nicht erschienen"),
    "published": _("veröffentlicht"),
    "withdrawn": _("zurückgezogen"),
    "generated": _("erzeugt"),
    "approved": _("freigegeben"),
    "rejected": _("abgelehnt"),
    "extended": _("verlängert"),
    "done": _("erledigt"),
    "invited": _("eingeladen"),
    "resent": _("erneut gesendet"),
    "added": _("hinzugefügt"),
    "reordered": _("verschoben"),
    "reopened": _("wieder geöffnet"),
}


def action_label(code: str) -> str:
    """German words for an audit action code ("voucher.closed" → „Begleitung abgeschlossen“);
    the code itself where nothing fits."""
    if code in ACTION_LABELS:
        return str(ACTION_LABELS[code])
    subject, _sep, verb = code.partition(".")
    if subject in OBJECT_LABELS and verb in VERB_LABELS:
        return _("%(object)s: %(verb)s") % {
            "object": OBJECT_LABELS[subject],
            "verb": VERB_LABELS[verb],
        }
    return code
