"""Issue 20, defect 4: audit codes in words."""

from django.utils import translation

from portal.audit import action_label


def test_known_codes_have_their_own_label():
    assert action_label("voucher.closed") == "Begleitung abgeschlossen"


def test_other_codes_are_named_by_object_and_verb():
    assert action_label("offer.expired") == "Platzangebot: abgelaufen"
    assert action_label("entry.deemed_confirmed") == "Eintrag: gilt als bestätigt"


def test_unknown_codes_stay_as_they_are():
    assert action_label("something.strange") == "something.strange"


def test_labels_follow_the_language():
    with translation.override("en"):
        assert action_label("voucher.closed") != "voucher.closed"
