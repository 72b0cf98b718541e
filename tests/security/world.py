"""One small but complete data set for the security tests: two organisations, two
facilitators (one assigned, one not), office and admin, and an object of every kind a URL
can point to — all belonging to the first organisation ("own"), so that the second
organisation's applicant and the unassigned facilitator are the "foreign" viewers."""

from __future__ import annotations

import datetime as dt
import hashlib
import uuid
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from agreements.models import AgreementVersion, RegenerationRun, SignedAgreement
from agreements.services import upload_signed_agreement
from portal import services as portal_services
from portal.models import FacilitatorProfile, Organisation, Programme, User
from reports.models import ExportJob
from sessions_log.models import SessionEntry
from sessions_log.services import log_session
from tests.factories import (
    ApplicationFactory,
    FacilitatorFactory,
    OperatorFactory,
    OrganisationFactory,
    ProgrammeFactory,
    UserFactory,
    VoucherFactory,
)
from tests.pdfs import minimal_pdf
from vouchers.models import Application, FeedbackRequest, Offer, Voucher
from vouchers.services.feedback import make_token, send_feedback_requests

MINIMAL_PDF = minimal_pdf()  # a one-page PDF as a scanner would produce it

ROLES = (
    "anonymous",
    "applicant",  # of the owning organisation
    "other_applicant",  # of another organisation
    "facilitator",  # assigned to the case
    "other_facilitator",  # not assigned
    "office",
    "admin",
)
# Besides the roles of the matrix (issue 14): office staff of a second operator, who must see
# none of the first operator's programmes, and office staff who work for both.
OPERATOR_ROLES = ("other_operator_office", "both_operators_office")


@dataclass
class World:
    programme: Programme  # the own voucher's programme
    fresh_programme: Programme  # only a draft here: a new Antrag may start
    organisation: Organisation
    other_organisation: Organisation
    users: dict[str, User | None]
    facilitator: FacilitatorProfile
    other_facilitator: FacilitatorProfile
    draft: Application  # editable
    submitted: Application  # open, undecided
    application: Application  # approved, the voucher's Antrag
    voucher: Voucher  # active, facilitator assigned
    issued_voucher: Voucher  # waiting for the signature, a signed copy uploaded
    closed_voucher: Voucher  # closed: a follow-up may be requested
    entry: SessionEntry
    version: AgreementVersion
    signed: SignedAgreement
    regeneration: RegenerationRun
    export_job: ExportJob
    feedback_token: str
    pending_organisation: Organisation
    pending_member: User  # asked to join ``organisation``
    other_operator: object  # runs ``other_programme``; every object above is the first's
    other_programme: Programme
    other_voucher: Voucher  # active, of the second operator, for the first organisation
    offer: Offer | None = None  # an open offer of a freed place to the first organisation

    def user(self, role: str) -> User | None:
        return self.users[role]


def _version(voucher: Voucher, by: User) -> AgreementVersion:
    data = MINIMAL_PDF + f"% voucher {voucher.pk}\n".encode()
    version = AgreementVersion(
        voucher=voucher,
        number=voucher.agreement_versions.count() + 1,
        sha256=hashlib.sha256(data).hexdigest(),
        snapshot={"test": True},
        created_by=by,
    )
    version.pdf.save("v.pdf", ContentFile(data), save=False)
    version.save()
    return version


def build_world() -> World:
    office = UserFactory(role="office")  # works for the default operator of every programme
    other_operator = OperatorFactory(name="Zweiter Programmträger")
    other_office = UserFactory(role="office", operators=[other_operator])
    both_office = UserFactory(role="office", operators=[office.operators.get(), other_operator])
    other_programme = ProgrammeFactory(kind="prozessbegleitung", operator=other_operator)
    admin = UserFactory(role="admin", is_staff=True, is_superuser=True)
    programme = ProgrammeFactory(kind="prozessbegleitung")
    second_programme = ProgrammeFactory(kind="prozessbegleitung")
    fresh_programme = ProgrammeFactory(kind="prozessbegleitung")
    follow_up_programme = ProgrammeFactory(kind="prozessbegleitung")
    organisation = OrganisationFactory(approved=True)
    other_organisation = OrganisationFactory(approved=True)
    applicant = organisation.members.get()
    other_applicant = other_organisation.members.get()
    facilitator = FacilitatorFactory()
    other_facilitator = FacilitatorFactory()
    # The other facilitator has a case of its own, with the other organisation.
    VoucherFactory(
        organisation=other_organisation, programme=programme, facilitators=[other_facilitator]
    )

    draft = ApplicationFactory(organisation=organisation, programme=fresh_programme, status="draft")
    submitted = ApplicationFactory(organisation=organisation, programme=second_programme)
    application = ApplicationFactory(
        organisation=organisation, programme=programme, status="approved"
    )
    voucher = VoucherFactory(
        organisation=organisation,
        programme=programme,
        application=application,
        status="active",
        facilitators=[facilitator],
        issued_at=timezone.now() - dt.timedelta(days=30),  # sessions lie after the issue
    )
    entry = log_session(
        voucher,
        by=facilitator.user,
        date=timezone.localdate() - dt.timedelta(days=1),
        minutes=90,
        activity="workshop",
        format="vor_ort",
        notes="Auftakt mit der Steuergruppe.",
    )
    # Rule 10: confirmed by the organisation, so the office may close the case.
    SessionEntry.objects.filter(pk=entry.pk).update(status=SessionEntry.Status.CONFIRMED)
    entry.refresh_from_db()
    version = _version(voucher, office)

    issued_voucher = VoucherFactory(
        organisation=organisation,
        programme=second_programme,
        status="issued",
        facilitators=[facilitator],
    )
    _version(issued_voucher, office)
    signed = upload_signed_agreement(
        issued_voucher,
        by=applicant,
        file=SimpleUploadedFile("scan.pdf", MINIMAL_PDF, content_type="application/pdf"),
    )

    closed_voucher = VoucherFactory(
        organisation=organisation,
        programme=follow_up_programme,
        status="closed",
        feedback_status="pending",
        facilitators=[facilitator],
    )
    send_feedback_requests(closed_voucher.pk)
    closed_voucher.refresh_from_db()
    feedback_token = make_token(FeedbackRequest.objects.filter(voucher=closed_voucher).first())

    regeneration = RegenerationRun.objects.create(programme=programme, created_by=office)
    export_job = ExportJob(
        created_by=office,
        report="gutscheine",
        file_format="csv",
        status=ExportJob.Status.DONE,
        total_rows=1,
        rows_written=1,
        finished_at=timezone.now(),
        expires_at=timezone.now() + dt.timedelta(days=7),
    )
    export_job.file.save("gutscheine.csv", ContentFile(b"\xef\xbb\xbfCode\r\nPB-1\r\n"), save=False)
    export_job.save()

    pending_member = portal_services.register_applicant(
        email=f"neu-{uuid.uuid4().hex[:8]}@example.org",
        password="Ein-langes-Passwort-2026",
        first_name="Neue",
        last_name="Kollegin",
        organisation=organisation,
    )
    founder = portal_services.register_applicant(
        email=f"gruender-{uuid.uuid4().hex[:8]}@example.org",
        password="Ein-langes-Passwort-2026",
        first_name="Gründer",
        last_name="Person",
        new_organisation={
            "name": "Neue Gemeinde Beispielhausen",
            "kind": Organisation.Kind.KOMMUNE,
            "municipality": "Beispielhausen",
            "bundesland": "BW",
            "street": "Rathausplatz 1",
            "postcode": "70000",
            "city": "Beispielhausen",
        },
    )
    other_voucher = VoucherFactory(
        organisation=organisation,
        programme=other_programme,
        status="active",
        facilitators=[facilitator],
    )
    offer_programme = ProgrammeFactory(kind="prozessbegleitung")
    offer = Offer.objects.create(
        application=ApplicationFactory(organisation=organisation, programme=offer_programme),
        period=offer_programme.current_period(),
        expires_at=timezone.now() + dt.timedelta(days=7),
    )
    return World(
        offer=offer,
        other_operator=other_operator,
        other_programme=other_programme,
        other_voucher=other_voucher,
        programme=programme,
        fresh_programme=fresh_programme,
        organisation=organisation,
        other_organisation=other_organisation,
        users={
            "anonymous": None,
            "applicant": applicant,
            "other_applicant": other_applicant,
            "facilitator": facilitator.user,
            "other_facilitator": other_facilitator.user,
            "office": office,
            "admin": admin,
            "other_operator_office": other_office,
            "both_operators_office": both_office,
        },
        facilitator=facilitator,
        other_facilitator=other_facilitator,
        draft=draft,
        submitted=submitted,
        application=application,
        voucher=voucher,
        issued_voucher=issued_voucher,
        closed_voucher=closed_voucher,
        entry=entry,
        version=version,
        signed=signed,
        regeneration=regeneration,
        export_job=export_job,
        feedback_token=feedback_token,
        pending_organisation=founder.organisation,
        pending_member=pending_member,
    )
