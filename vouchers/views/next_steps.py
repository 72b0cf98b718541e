"""The "what happens next" line of each Antrag and voucher, in plain German ("Sie")."""

from __future__ import annotations

from django.utils import formats
from django.utils.translation import gettext as _

from vouchers.models import Application, Voucher

A = Application.Status
V = Voucher.Status

BADGE = {
    A.DRAFT: "text-bg-secondary",
    A.SUBMITTED: "text-bg-info",
    A.IN_REVIEW: "text-bg-info",
    A.WAITLISTED: "text-bg-warning",
    A.APPROVED: "text-bg-success",
    A.REJECTED: "text-bg-danger",
    A.WITHDRAWN: "text-bg-secondary",
    V.ISSUED: "text-bg-info",
    V.ACTIVE: "text-bg-success",
    V.CLOSING_REQUESTED: "text-bg-warning",
    V.CLOSED: "text-bg-secondary",
    V.FEEDBACK_SENT: "text-bg-secondary",
    V.FEEDBACK_RECEIVED: "text-bg-secondary",
    V.CANCELLED: "text-bg-danger",
}


def application_next_step(application: Application) -> str:
    texts = {
        A.DRAFT: _(
            "Ihr Antrag ist noch nicht abgeschickt. Vervollständigen Sie ihn und senden Sie ihn ab."
        ),
        A.SUBMITTED: _("Ihr Antrag ist eingegangen. Das Programmbüro prüft ihn schnellstmöglich."),
        A.IN_REVIEW: _("Das Programmbüro prüft Ihren Antrag gerade. Sie erhalten eine E-Mail."),
        A.WAITLISTED: _(
            "Ihr Antrag steht auf der Warteliste. Sobald wieder ein Gutschein verfügbar ist, "
            "prüfen wir ihn erneut. Sie müssen nichts tun."
        ),
        A.APPROVED: _("Ihr Antrag ist bewilligt. Die nächsten Schritte finden Sie beim Gutschein."),
        A.REJECTED: _("Ihr Antrag wurde abgelehnt. Die Begründung finden Sie im Antrag."),
        A.WITHDRAWN: _("Sie haben diesen Antrag zurückgezogen."),
    }
    return texts.get(application.status, "")


def voucher_next_step(voucher: Voucher) -> str:
    if voucher.status == V.ACTIVE:
        return _(
            "Die Begleitung läuft. Ihr Gutschein ist gültig bis %(date)s; Ihre "
            "Prozessbegleitung trägt die Termine ein."
        ) % {"date": formats.date_format(voucher.valid_until, "SHORT_DATE_FORMAT")}
    texts = {
        V.ISSUED: _(
            "Bitte unterschreiben Sie die Vereinbarung und laden Sie die unterschriebene Fassung "
            "hoch. Danach beginnt die Begleitung."
        ),
        V.CLOSING_REQUESTED: _(
            "Ihre Prozessbegleitung hat den Abschluss beantragt. Das Programmbüro schließt den "
            "Fall ab."
        ),
        V.CLOSED: _(
            "Die Begleitung ist abgeschlossen. Sie erhalten in Kürze einen Feedbackbogen per "
            "E-Mail."
        ),
        V.FEEDBACK_SENT: _(
            "Bitte beantworten Sie den Feedbackbogen, den wir Ihnen per E-Mail geschickt haben."
        ),
        V.FEEDBACK_RECEIVED: _("Vielen Dank für Ihr Feedback. Die Begleitung ist abgeschlossen."),
        V.CANCELLED: _("Dieser Gutschein wurde storniert."),
    }
    return texts.get(voucher.status, "")


def decorate_application(application: Application) -> Application:
    application.next_step = application_next_step(application)
    application.badge = BADGE.get(application.status, "text-bg-secondary")
    return application


def decorate_voucher(voucher: Voucher) -> Voucher:
    voucher.next_step = voucher_next_step(voucher)
    voucher.badge = BADGE.get(voucher.status, "text-bg-secondary")
    return voucher
