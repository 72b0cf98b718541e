"""Admission prerequisites of an accompanied process (``begleitprozess``).

The applicant names the fixed contact person in the administration (seed 002, 3.) and
uploads the council or district decision (Baustein 2) as a PDF — validated like signed
agreements (``agreements.validators.validate_signed_pdf``: magic bytes, size, a parse), with
a quota of ``CouncilDecision.MAX_UPLOADS`` uploads per Antrag.

``check_admission`` is registered with ``vouchers.hooks.register_admission_check``: the
office's ``approve_application`` calls it and is refused without the decision, or with fewer
facilitators than the programme's ``team_size`` (a moderation team of two)."""

from __future__ import annotations

import contextlib
import hashlib

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.translation import gettext as _

from agreements.validators import validate_signed_pdf
from portal.audit import log_action
from portal.errors import InvalidTransition, RuleViolation
from programme_work.models import AdministrationContact, CouncilDecision
from programme_work.services.common import clean_text
from vouchers.models import Application

# Until the office has decided, the applicant may still add or replace the prerequisites.
EDITABLE_STATUSES = (
    Application.Status.DRAFT,
    Application.Status.SUBMITTED,
    Application.Status.IN_REVIEW,
    Application.Status.WAITLISTED,
)


def needs_prerequisites(programme) -> bool:
    return bool(programme.requires_council_decision)


def _require_applicant(application: Application, by) -> None:
    if not (
        getattr(by, "role", None) == "applicant"
        and by.organisation_id
        and by.organisation_id == application.organisation_id
    ):
        raise InvalidTransition(_("Nur Mitglieder der antragstellenden Organisation können das."))
    if application.status not in EDITABLE_STATUSES:
        raise InvalidTransition(
            _("Über diesen Antrag ist entschieden; die Angaben können nicht mehr geändert werden.")
        )


def save_administration_contact(
    application: Application, *, by, name: str, email: str, function: str = "", phone: str = ""
) -> AdministrationContact:
    """Name (or change) the fixed contact person in the administration."""
    _require_applicant(application, by)
    name = clean_text(name, limit=200)
    email = clean_text(email, limit=254)
    if not name or not email:
        raise RuleViolation(
            _("Bitte geben Sie Name und E-Mail-Adresse der festen Ansprechperson an.")
        )
    with transaction.atomic():
        contact, created = AdministrationContact.objects.update_or_create(
            application=application,
            defaults={
                "name": name,
                "email": email,
                "function": clean_text(function, limit=200),
                "phone": clean_text(phone, limit=50),
                "updated_by": by,
            },
        )
        log_action(
            by,
            "application.updated",
            application,
            data={"administration_contact": "created" if created else "changed"},
        )
    return contact


def current_decision(application: Application) -> CouncilDecision | None:
    return CouncilDecision.objects.filter(application=application, current=True).first()


def upload_council_decision(
    application: Application, *, by, file, decided_on=None
) -> CouncilDecision:
    """Store the Beschluss (PDF); an earlier upload is kept but no longer current."""
    _require_applicant(application, by)
    data = validate_signed_pdf(file)
    decision = CouncilDecision()
    try:
        with transaction.atomic():
            locked = Application.objects.select_for_update().get(pk=application.pk)
            if locked.council_decisions.count() >= CouncilDecision.MAX_UPLOADS:
                raise RuleViolation(
                    _(
                        "Sie haben bereits %(count)s Beschlüsse hochgeladen. Bitte wenden Sie "
                        "sich an das Programmbüro."
                    )
                    % {"count": CouncilDecision.MAX_UPLOADS}
                )
            locked.council_decisions.filter(current=True).update(current=False)
            decision = CouncilDecision(
                application=locked,
                sha256=hashlib.sha256(data).hexdigest(),
                size=len(data),
                decided_on=decided_on,
                uploaded_by=by,
            )
            decision.file.save(f"{decision.uuid}.pdf", ContentFile(data), save=False)
            decision.save()
            log_action(
                by,
                "application.updated",
                locked,
                data={"council_decision": decision.pk, "sha256": decision.sha256},
            )
    except BaseException:
        if decision.file:
            with contextlib.suppress(OSError):
                decision.file.storage.delete(decision.file.name)
        raise
    return decision


def _team_count(facilitators) -> int:
    seen = set()
    for item in facilitators or ():
        profile = getattr(item, "facilitator_profile", item)
        seen.add(getattr(profile, "pk", profile))
    return len(seen)


def check_admission(application: Application, facilitators) -> None:
    """Refuse the admission of a case whose programme requires a council decision when none
    is uploaded, or a team when fewer facilitators are given (``RuleViolation``)."""
    programme = application.programme
    if programme.requires_council_decision and not (
        CouncilDecision.objects.filter(application_id=application.pk, current=True).exists()
    ):
        raise RuleViolation(
            _(
                "Ohne hochgeladenen Gemeinderats- bzw. Kreistagsbeschluss kann das Programmbüro "
                "nicht aufnehmen."
            )
        )
    team_size = programme.team_size or 1
    if team_size > 1 and _team_count(facilitators) < team_size:
        raise RuleViolation(
            _(
                "Für diesen Prozess ist ein Moderationsteam von %(size)s Prozessbegleiter*innen "
                "erforderlich."
            )
            % {"size": team_size}
        )
