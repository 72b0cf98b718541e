"""The applicant's side of an Antrag and the office's non-allocating decisions.

Every transition is one guarded function: role and state check, change, audit row in the same
transaction, emails after commit. Approval (which consumes the contingent) lives in
``vouchers.services.allocation``."""

from __future__ import annotations

from collections.abc import Iterable

from django.db import transaction
from django.utils.translation import gettext as _

from portal.audit import log_action
from portal.errors import InvalidTransition, RuleViolation
from portal.models import Organisation, Programme
from portal.notifications import send_mail_on_commit
from portal.scoping import require_office_for
from vouchers.models import Application, Voucher
from vouchers.services.transitions import A, move, now, require_role, require_state


def _is_office(user) -> bool:
    return getattr(user, "role", None) in ("office", "admin")


def _require_member_or_office(user, organisation_id: int, programme=None) -> None:
    """Applicants act only for their own organisation; the office of the programme's operator
    may act on their behalf."""
    if _is_office(user):
        if programme is not None:
            require_office_for(user, programme)
        return
    if (
        getattr(user, "role", None) == "applicant"
        and user.organisation_id
        and user.organisation_id == organisation_id
    ):
        return
    raise InvalidTransition(_("Diesen Antrag können nur Mitglieder der Organisation bearbeiten."))


def _locked(application: Application) -> Application:
    return Application.objects.select_for_update().get(pk=application.pk)


def _refresh(application: Application) -> Application:
    application.refresh_from_db()
    return application


def applicant_recipients(application: Application) -> list[str]:
    """The organisation's contacts plus the Antrag's contact person, without duplicates."""
    emails = [u.email for u in application.organisation.contacts()]
    if application.contact_email:
        emails.append(application.contact_email)
    seen: set[str] = set()
    return [e for e in emails if e and not (e.lower() in seen or seen.add(e.lower()))]


# --- eligibility and the "one open" rules -----------------------------------------------


def eligibility_problem(organisation: Organisation, programme: Programme) -> str | None:
    """Why ``organisation`` may not apply to ``programme`` (German), or ``None``.

    Empty eligibility lists mean everyone is eligible."""
    if not organisation.approved:
        return _(
            "Ihre Organisation wurde noch nicht vom Programmbüro freigegeben. Sie können den "
            "Antrag als Entwurf speichern und nach der Freigabe absenden."
        )
    if not programme.active:
        return _("Für dieses Programm können derzeit keine Anträge gestellt werden.")
    if programme.entry_by_call:
        return _(
            "Dieses Programm nimmt keine laufenden Anträge an: Bewerbung über Ausschreibung. "
            "Bewerbungen sind nur während einer Ausschreibung möglich."
        )
    if programme.eligible_kinds and organisation.kind not in programme.eligible_kinds:
        return _("Ihre Organisation gehört nicht zum Kreis der Berechtigten dieses Programms.")
    cohort_ids = set(programme.eligible_cohorts.values_list("pk", flat=True))
    if cohort_ids and not organisation.cohorts.filter(pk__in=cohort_ids).exists():
        return _(
            "Dieses Angebot richtet sich nur an Kommunen und Landkreise der genannten "
            "Projektjahrgänge. Ihre Organisation gehört keinem dieser Jahrgänge an."
        )
    return None


def eligible_programmes(organisation: Organisation):
    """Active programmes the organisation may apply to by Antrag (few rows: checked one by
    one); programmes with entry by call take no Antrag."""
    programmes = Programme.objects.filter(active=True, entry_by_call=False).prefetch_related(
        "eligible_cohorts"
    )
    cohort_ids = set(organisation.cohorts.values_list("pk", flat=True))
    result = []
    for programme in programmes:
        if programme.eligible_kinds and organisation.kind not in programme.eligible_kinds:
            continue
        eligible = {c.pk for c in programme.eligible_cohorts.all()}
        if eligible and not (eligible & cohort_ids):
            continue
        result.append(programme)
    return result


def open_voucher_exists(organisation_id: int, programme_id: int) -> bool:
    return Voucher.objects.filter(
        organisation_id=organisation_id, programme_id=programme_id, status__in=Voucher.OPEN_STATUSES
    ).exists()


def refuse_if_open_voucher(organisation_id: int, programme_id: int) -> None:
    if open_voucher_exists(organisation_id, programme_id):
        raise RuleViolation(
            _(
                "Ihre Organisation hat in diesem Programm bereits einen offenen Gutschein. "
                "Einen weiteren Antrag können Sie erst nach dem Abschluss der Begleitung stellen."
            )
        )


def _refuse_if_open_application(application: Application) -> None:
    others = Application.objects.filter(
        organisation_id=application.organisation_id,
        programme_id=application.programme_id,
        status__in=Application.OPEN_STATUSES,
    ).exclude(pk=application.pk)
    if others.exists():
        raise RuleViolation(
            _(
                "Für dieses Programm liegt bereits ein offener Antrag Ihrer Organisation vor. "
                "Bitte warten Sie die Entscheidung ab oder ziehen Sie den anderen Antrag zurück."
            )
        )


# --- drafts -----------------------------------------------------------------------------


def create_draft(organisation: Organisation, programme: Programme, *, by, **fields) -> Application:
    """Start a new Antrag (draft) of ``organisation`` for ``programme``."""
    topics = fields.pop("topics", None)
    application = Application(organisation=organisation, programme=programme, **fields)
    return save_draft(application, by=by, topics=topics)


def save_draft(application: Application, *, by, topics: Iterable | None = None) -> Application:
    """Save a draft with the fields already set on ``application`` (new or existing).

    A new draft checks eligibility first; an Antrag that is no longer a draft is never changed."""
    _require_member_or_office(by, application.organisation_id, application.programme)
    with transaction.atomic():
        if application.pk is None:
            problem = eligibility_problem(application.organisation, application.programme)
            if problem:
                raise RuleViolation(problem)
            application.status = A.DRAFT
            application.created_by = by
            application.save()
            log_action(by, "application.created", application, to_state=A.DRAFT)
        else:
            current = _locked(application)
            if current.status != A.DRAFT or current.organisation_id != application.organisation_id:
                raise InvalidTransition(
                    _("Ein eingereichter Antrag kann nicht mehr geändert werden.")
                )
            application.status = current.status
            application.save()
        if topics is not None:
            application.topics.set(topics)
    return application


def declare_region_flags(
    organisation: Organisation, *, by, structurally_weak: bool, rural: bool, justification: str = ""
) -> Organisation:
    """The applicant declares the region flags. A change resets the office's confirmation:
    until the office confirms again, the declared flags count and are marked "unbestätigt"."""
    _require_member_or_office(by, organisation.pk)
    justification = (justification or "").strip()
    with transaction.atomic():
        org = Organisation.objects.select_for_update().get(pk=organisation.pk)
        flags_changed = (org.structurally_weak, org.rural) != (bool(structurally_weak), bool(rural))
        if not flags_changed and justification == org.flags_justification:
            return org
        before = {"structurally_weak": org.structurally_weak, "rural": org.rural}
        org.structurally_weak = bool(structurally_weak)
        org.rural = bool(rural)
        org.flags_justification = justification
        fields = ["structurally_weak", "rural", "flags_justification"]
        if flags_changed:
            org.flags_confirmed = False
            org.flags_confirmed_by = None
            org.flags_confirmed_at = None
            fields += ["flags_confirmed", "flags_confirmed_by", "flags_confirmed_at"]
        org.save(update_fields=fields)
        log_action(
            by,
            "organisation.flags_declared",
            org,
            reason=justification,
            data={
                "before": before,
                "after": {"structurally_weak": org.structurally_weak, "rural": org.rural},
            },
        )
    organisation.refresh_from_db()
    return organisation


# --- transitions ------------------------------------------------------------------------


def submit_application(application: Application, *, by) -> Application:
    """draft → submitted. ``submitted_at`` orders the tier (first come, first served).

    Refused while the organisation has an open voucher or another open Antrag in the programme,
    when it is not eligible, the programme is closed or the consent is missing."""
    _require_member_or_office(by, application.organisation_id, application.programme)
    with transaction.atomic():
        # The organisation row serialises concurrent submissions of the same organisation.
        organisation = Organisation.objects.select_for_update().get(pk=application.organisation_id)
        locked = _locked(application)
        require_state(locked, (A.DRAFT,), A.SUBMITTED)
        if not locked.consent:
            raise RuleViolation(
                _("Bitte stimmen Sie der Verarbeitung Ihrer Daten gemäß Datenschutzhinweis zu.")
            )
        problem = eligibility_problem(organisation, locked.programme)
        if problem:
            raise RuleViolation(problem)
        refuse_if_open_voucher(locked.organisation_id, locked.programme_id)
        _refuse_if_open_application(locked)
        move(
            locked,
            A.SUBMITTED,
            by=by,
            action="application.submitted",
            fields={"submitted_at": now()},
        )
        send_mail_on_commit(
            "application_received", applicant_recipients(locked), {"application": locked}
        )
    return _refresh(application)


def withdraw_application(application: Application, *, by, reason: str = "") -> Application:
    """The applicant (or the office on its behalf) withdraws a draft or an undecided Antrag."""
    _require_member_or_office(by, application.organisation_id, application.programme)
    with transaction.atomic():
        locked = _locked(application)
        require_state(locked, Application.WITHDRAWABLE_STATUSES, A.WITHDRAWN)
        move(locked, A.WITHDRAWN, by=by, action="application.withdrawn", reason=reason.strip())
    return _refresh(application)


def start_review(application: Application, *, by) -> Application:
    """Office: submitted → in_review (shows the applicant that someone is looking at it)."""
    require_role(by, "office", programme=application.programme)
    with transaction.atomic():
        locked = _locked(application)
        require_state(locked, (A.SUBMITTED,), A.IN_REVIEW)
        move(locked, A.IN_REVIEW, by=by, action="application.review_started")
    return _refresh(application)


def waitlist_application(application: Application, *, by, reason: str = "") -> Application:
    """Office: put an open Antrag on the waiting list (e.g. contingent used up)."""
    require_role(by, "office", programme=application.programme)
    with transaction.atomic():
        locked = _locked(application)
        require_state(locked, (A.SUBMITTED, A.IN_REVIEW), A.WAITLISTED)
        move(
            locked,
            A.WAITLISTED,
            by=by,
            action="application.waitlisted",
            reason=reason.strip(),
            fields={"decision_reason": reason.strip()},
        )
        send_mail_on_commit(
            "application_waitlisted", applicant_recipients(locked), {"application": locked}
        )
    return _refresh(application)


def reject_application(application: Application, *, by, reason: str) -> Application:
    """Office: reject an open Antrag. The reason is required and emailed to the applicant."""
    require_role(by, "office", programme=application.programme)
    reason = (reason or "").strip()
    if not reason:
        raise RuleViolation(_("Bitte geben Sie eine Begründung für die Ablehnung an."))
    with transaction.atomic():
        locked = _locked(application)
        require_state(locked, Application.OPEN_STATUSES, A.REJECTED)
        move(
            locked,
            A.REJECTED,
            by=by,
            action="application.rejected",
            reason=reason,
            fields={"decided_at": now(), "decided_by": by, "decision_reason": reason},
        )
        send_mail_on_commit(
            "application_rejected", applicant_recipients(locked), {"application": locked}
        )
    return _refresh(application)


def confirm_region_flags(
    organisation: Organisation, *, by, structurally_weak: bool, rural: bool
) -> Organisation:
    """Office confirms (or corrects) an organisation's region flags; the queue rank follows."""
    require_role(by, "office")
    with transaction.atomic():
        org = Organisation.objects.select_for_update().get(pk=organisation.pk)
        before = {"structurally_weak": org.structurally_weak, "rural": org.rural}
        after = {"structurally_weak": bool(structurally_weak), "rural": bool(rural)}
        org.structurally_weak = after["structurally_weak"]
        org.rural = after["rural"]
        org.flags_confirmed = True
        org.flags_confirmed_by = by
        org.flags_confirmed_at = now()
        org.save(
            update_fields=[
                "structurally_weak",
                "rural",
                "flags_confirmed",
                "flags_confirmed_by",
                "flags_confirmed_at",
            ]
        )
        action = (
            "organisation.flags_confirmed" if before == after else "organisation.flags_corrected"
        )
        log_action(by, action, org, data={"before": before, "after": after})
    organisation.refresh_from_db()
    return organisation


def request_follow_up(voucher: Voucher | Application, *, by) -> Application:
    """A new draft Antrag following a closed voucher (rule 3: only after closure, and only in
    programmes that allow follow-ups). Also accepts the approved Antrag of that voucher."""
    if isinstance(voucher, Application):
        try:
            voucher = voucher.voucher
        except Voucher.DoesNotExist:
            raise RuleViolation(
                _("Einen Folgeantrag können Sie erst nach dem Abschluss der Begleitung stellen.")
            ) from None
    _require_member_or_office(by, voucher.organisation_id, voucher.programme)
    programme = voucher.programme
    if not programme.allows_follow_up:
        raise RuleViolation(_("In diesem Programm ist kein Folgegutschein vorgesehen."))
    if not voucher.is_closed:
        raise RuleViolation(
            _("Einen Folgeantrag können Sie erst nach dem Abschluss der Begleitung stellen.")
        )
    with transaction.atomic():
        Organisation.objects.select_for_update().get(pk=voucher.organisation_id)
        refuse_if_open_voucher(voucher.organisation_id, programme.pk)
        existing = Application.objects.filter(
            organisation_id=voucher.organisation_id,
            programme=programme,
            status__in=(A.DRAFT, *Application.OPEN_STATUSES),
        )
        if existing.exists():
            raise RuleViolation(
                _("Für dieses Programm gibt es bereits einen Entwurf oder offenen Antrag.")
            )
        previous = voucher.application
        fields = {}
        if previous is not None:
            fields = {
                "contact_name": previous.contact_name,
                "contact_email": previous.contact_email,
                "contact_phone": previous.contact_phone,
                "desired_format": previous.desired_format,
            }
        application = create_draft(
            voucher.organisation, programme, by=by, follow_up_of=voucher, **fields
        )
        log_action(by, "voucher.follow_up_requested", voucher, data={"application": application.pk})
    return application
