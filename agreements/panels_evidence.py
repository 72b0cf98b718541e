"""The evidence panel on the case page (rule 13): the proof of use (office: draft, sign off;
organisation: download once accepted, and its own closing statement) and the audit folder
download for the operator's office. Constant queries: the versions and the statement."""

from __future__ import annotations

from django.urls import reverse

from agreements.models import ClosingStatement, ProofOfUse
from agreements.proof_of_use import PROOF_STATUSES
from portal.predicates import is_office
from vouchers.models import Voucher

TEMPLATE = "agreements/partials/case_evidence.html"
STATEMENT_STATUSES = (Voucher.Status.ACTIVE, *PROOF_STATUSES)


def case_panel(voucher: Voucher, user) -> dict | None:
    if not user.is_authenticated:
        return None
    office = bool(is_office(user, voucher))
    member = user.role == "applicant" and user.organisation_id == voucher.organisation_id
    if not (office or member):
        return None
    proofs = ProofOfUse.objects.filter(voucher=voucher).order_by("-number")
    if not office:
        proofs = proofs.filter(status=ProofOfUse.Status.ACCEPTED)
    proofs = list(proofs[:5])
    has_statement = ClosingStatement.objects.filter(voucher=voucher).exists()
    if not office and not proofs and voucher.status not in STATEMENT_STATUSES:
        return None
    return {
        "template": TEMPLATE,
        "context": {
            "evidence": {
                "voucher": voucher,
                "is_office": office,
                "proofs": proofs,
                "has_accepted": any(p.is_accepted for p in proofs),
                "can_generate": office and voucher.status in PROOF_STATUSES,
                "generate_url": reverse("agreements:proof_of_use_generate", args=[voucher.pk]),
                "audit_folder_url": reverse("agreements:audit_folder", args=[voucher.pk]),
                "can_write_statement": member
                and not has_statement
                and voucher.status in STATEMENT_STATUSES,
                "statement_url": reverse("agreements:closing_statement", args=[voucher.pk]),
                "has_statement": has_statement,
            }
        },
    }
