"""The two programmes the data migration seeds carry the rules of seeds 000–002."""

import pytest

from portal.models import Programme

pytestmark = pytest.mark.django_db

NOTICE = (
    "Gefördert aus Mitteln des Ministeriums für Soziales und Integration im Rahmen des "
    "Landesprogramms „Integration durch Bürgerschaftliches Engagement und Zivilgesellschaft“, "
    "durchgeführt durch die Führungsakademie Baden-Württemberg."
)


def test_prozessbegleitung_rules():
    pb = Programme.objects.get(slug="prozessbegleitung")
    assert pb.kind == "prozessbegleitung"
    assert pb.cap_minutes == 960  # 16 working hours per voucher
    assert pb.cap_units is None
    assert pb.partner_choice == "office"  # the office matches ("passgenau")
    assert pb.applicant_chooses is False
    assert pb.allows_follow_up is True
    assert pb.eligible_kinds == ["engagierte_stadt"]
    assert pb.code_prefix == "PB"
    assert pb.periods.count() >= 1
    assert all(p.contingent > 0 for p in pb.periods.all())
    assert pb.current_period() is not None
    topics = list(pb.topics.values_list("name", flat=True))
    assert topics[0] == "Klärungs- und Entscheidungsprozesse"
    assert "Verstetigung" in topics
    assert pb.topics.get(name="Spezifische Themenfelder").is_free_text


def test_virtuelle_begleitung_rules():
    vb = Programme.objects.get(slug="virtuelle-begleitung")
    assert vb.kind == "virtuell"
    assert vb.is_virtual
    assert (vb.unit_minutes, vb.cap_units, vb.cap_units_in_process) == (60, 12, 5)
    assert vb.cap_minutes is None
    assert vb.partner_choice == "applicant"  # free choice from the directory
    assert vb.applicant_chooses is True
    assert vb.allows_follow_up is False
    assert sorted(vb.eligible_kinds) == ["kommune", "landkreis"]
    assert sorted(c.name for c in vb.eligible_cohorts.all()) == ["2018/19", "2020/21"]
    assert vb.offer_ends is not None
    assert vb.topics.count() == 11


@pytest.mark.parametrize("slug", ["integration-durch-be", "virtuelle-begleitung"])
def test_funding_notice_is_verbatim_and_short_form_only_drops_the_programme_clause(slug):
    programme = Programme.objects.get(slug=slug)
    assert programme.funding_notice == NOTICE
    assert programme.agreement_funding_notice() == NOTICE
    short = programme.funding_notice_short
    assert "im Rahmen des Landesprogramms" not in short
    assert short.startswith("Gefördert aus Mitteln des Ministeriums für Soziales und Integration")
    assert short.endswith("durchgeführt durch die Führungsakademie Baden-Württemberg.")
    programme.use_short_notice = True
    assert programme.agreement_funding_notice() == short


def test_the_dsee_voucher_carries_no_notice_of_the_fuehrungsakademie():
    programme = Programme.objects.get(slug="prozessbegleitung")
    assert programme.operator.slug == "dsee"
    assert programme.funding_notice == ""
    assert programme.agreement_funding_notice() == ""


def test_reference_data_is_seeded():
    from portal.models import Cohort, Language, Method, Region

    assert Region.objects.count() == 16
    assert Language.objects.filter(code="de").exists()
    assert Method.objects.filter(name="Moderation").exists()
    assert Cohort.objects.count() == 2
