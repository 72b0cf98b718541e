"""Permissions named ``agreements.<verb>_<model>`` (django-rules); the object is the voucher."""

import rules

from agreements.predicates import (
    is_assigned_facilitator,
    is_member_of_organisation,
    voucher_awaits_signature,
    voucher_not_cancelled,
)
from portal.predicates import is_office

rules.add_perm(
    "agreements.view_agreement",
    is_office | is_member_of_organisation | is_assigned_facilitator,
)
rules.add_perm("agreements.generate_agreement", is_office & voucher_not_cancelled)
rules.add_perm("agreements.view_signed_agreement", is_office | is_member_of_organisation)
rules.add_perm(
    "agreements.upload_signed_agreement", is_member_of_organisation & voucher_awaits_signature
)
rules.add_perm("agreements.decide_signed_agreement", is_office & voucher_awaits_signature)
