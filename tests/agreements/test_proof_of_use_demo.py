"""The demo data of issue 17: pending, disputed and confirmed entries, one accepted proof of
use; a second run changes nothing."""

import pytest
from django.core.management import call_command

from agreements.models import ProofOfUse
from sessions_log.models import SessionEntry

pytestmark = pytest.mark.django_db


def test_seed_demo_has_entries_in_every_state_and_an_accepted_proof(settings):
    settings.DEBUG = True
    call_command("seed_demo")
    states = set(SessionEntry.objects.values_list("status", flat=True))
    assert {"pending", "confirmed", "disputed"} <= states
    assert ProofOfUse.objects.filter(status="accepted").count() == 1
    call_command("seed_demo")
    assert ProofOfUse.objects.count() == 1
