"""Which programmes an organisation may apply for, and why the others are closed.

The Antrag choice page shows every active programme: those the organisation may apply for
with their button, the others with the reason they are closed (an open case or Antrag in the
programme, not among those eligible by kind or cohort, entry only by a call). The same rules
refuse the Antrag in the services (``eligibility_problem``)."""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext as _

from portal.models import Organisation, Programme
from vouchers.models import Application, Voucher


@dataclass
class ProgrammeChoice:
    programme: Programme
    # "open" (may apply) | "draft" | "pending" (open Antrag) | "open_case" | "by_call" |
    # "not_eligible"
    state: str
    reason: str = ""
    application: Application | None = None
    voucher: Voucher | None = None

    @property
    def may_apply(self) -> bool:
        return self.state in ("open", "draft")


def _eligibility_reason(organisation: Organisation, programme: Programme, cohort_ids) -> str:
    if programme.eligible_kinds and organisation.kind not in programme.eligible_kinds:
        return _(
            "Ihre Organisation gehört nicht zum Kreis der Berechtigten dieses Programms "
            "(Art der Organisation)."
        )
    eligible = {c.pk for c in programme.eligible_cohorts.all()}
    if eligible and not (eligible & cohort_ids):
        return _(
            "Dieses Angebot richtet sich nur an Kommunen und Landkreise der genannten "
            "Projektjahrgänge. Ihre Organisation gehört keinem dieser Jahrgänge an."
        )
    return ""


def programme_choices(organisation: Organisation) -> list[ProgrammeChoice]:
    """Every active programme with the organisation's state in it (few rows, four queries)."""
    programmes = (
        Programme.objects.filter(active=True)
        .select_related("operator")
        .prefetch_related("eligible_cohorts", "operator__contacts")
        .order_by("operator__name", "name")
    )
    cohort_ids = set(organisation.cohorts.values_list("pk", flat=True))
    applications: dict[int, Application] = {}
    for application in Application.objects.filter(
        organisation=organisation,
        status__in=(Application.Status.DRAFT, *Application.OPEN_STATUSES),
    ).order_by("created_at"):
        applications.setdefault(application.programme_id, application)
    vouchers = {
        v.programme_id: v
        for v in Voucher.objects.filter(
            organisation=organisation, status__in=Voucher.OPEN_STATUSES
        ).order_by("issued_at")
    }
    choices = []
    for programme in programmes:
        choices.append(_choice(organisation, programme, cohort_ids, applications, vouchers))
    return choices


def _choice(organisation, programme, cohort_ids, applications, vouchers) -> ProgrammeChoice:
    if programme.entry_by_call:
        return ProgrammeChoice(
            programme,
            "by_call",
            _(
                "Bewerbung über Ausschreibung: Dieses Programm nimmt keine laufenden Anträge an. "
                "Sobald eine Ausschreibung läuft, können Sie sich hier bewerben."
            ),
        )
    voucher = vouchers.get(programme.pk)
    if voucher is not None:
        return ProgrammeChoice(
            programme,
            "open_case",
            _(
                "Ihre Organisation hat in diesem Programm bereits einen offenen Fall "
                "(%(word)s %(code)s). Einen weiteren Antrag können Sie erst nach dessen "
                "Abschluss stellen."
            )
            % {"word": programme.case_word(), "code": voucher.code},
            voucher=voucher,
        )
    reason = _eligibility_reason(organisation, programme, cohort_ids)
    if reason:
        return ProgrammeChoice(programme, "not_eligible", reason)
    application = applications.get(programme.pk)
    if application is not None and application.status == Application.Status.DRAFT:
        return ProgrammeChoice(programme, "draft", application=application)
    if application is not None:
        return ProgrammeChoice(
            programme,
            "pending",
            _("Für dieses Programm liegt bereits ein offener Antrag Ihrer Organisation vor."),
            application=application,
        )
    return ProgrammeChoice(programme, "open")
