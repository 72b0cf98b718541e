"""Keyboard only: log in and submit an Antrag with TAB, SPACE, ENTER and typing (no
``.click()``); a refused form's error summary takes the focus and its links move the focus
to the fields (GOV.UK error summary)."""

from __future__ import annotations

import pytest
from django.urls import reverse
from selenium.webdriver.common.action_chains import ActionChains
from selenium.webdriver.common.keys import Keys

from tests.browser import scenario
from tests.factories import TEST_PASSWORD, OrganisationFactory
from vouchers.models import Application, Voucher

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

MAX_TABS = 120


def press(browser, *keys) -> None:
    ActionChains(browser.driver).send_keys(*keys).perform()


def describe(element) -> str:
    return " ".join(
        f"{attr}={element.get_attribute(attr)!r}"
        for attr in ("tagName", "id", "name", "value", "href")
        if element.get_attribute(attr)
    )


def tab_to(browser, matches, what: str):
    """Press TAB until the focused element matches; fail after MAX_TABS."""
    seen = []
    for _ in range(MAX_TABS):
        press(browser, Keys.TAB)
        element = browser.focused()
        if matches(element):
            return element
        seen.append(describe(element))
    raise AssertionError(f"TAB never reached {what}; focus went through: {seen}")


def by_id(value):
    return lambda el: el.get_attribute("id") == value


def by_href(path):
    return lambda el: (el.get_attribute("href") or "").endswith(path)


def type_text(browser, text: str) -> None:
    press(browser, text)


def activate_and_wait(browser, key=Keys.ENTER) -> None:
    old = browser.find("html")
    press(browser, key)
    browser.wait_for_new_page(old)


@pytest.fixture
def organisation(reference_data):
    return OrganisationFactory(name="Engagierte Stadt Tastheim", rural=True)


def test_antrag_by_keyboard_only(browser, organisation, reference_data):
    applicant = organisation.members.get()
    programme = reference_data["prozessbegleitung"]

    # Log in: the email field has the focus when the page opens.
    browser.get(reverse("login"))
    assert browser.focused().get_attribute("id") == "id_username"
    type_text(browser, applicant.email)
    press(browser, Keys.TAB)
    type_text(browser, TEST_PASSWORD)
    activate_and_wait(browser)

    # From the dashboard to the Antrag form by links.
    browser.get(reverse("vouchers:applicant_dashboard"))
    tab_to(browser, by_href(reverse("vouchers:application_start")), "„Neuen Antrag stellen“")
    activate_and_wait(browser)
    create_url = reverse("vouchers:application_create", args=[programme.slug])
    tab_to(browser, by_href(create_url), "„Antrag für Prozessbegleitung stellen“")
    activate_and_wait(browser)
    assert browser.path == create_url

    # The form.
    first_topic = tab_to(browser, lambda el: el.get_attribute("name") == "topics", "a topic")
    press(browser, Keys.SPACE)
    assert first_topic.is_selected()
    tab_to(browser, by_id("id_challenge"), "the challenge")
    type_text(browser, "Die Kerngruppe ist überlastet; wir wollen Aufgaben neu verteilen.")
    tab_to(browser, by_id("id_goals"), "the goals")
    type_text(browser, "Klare Zuständigkeiten und ein gemeinsames Leitbild.")
    tab_to(browser, by_id("id_desired_start"), "the start date")
    type_text(browser, "03032027")  # the same in TT.MM.JJJJ and MM/DD/YYYY
    fmt = tab_to(browser, lambda el: el.get_attribute("name") == "desired_format", "the format")
    press(browser, Keys.SPACE)
    assert fmt.is_selected()
    rural = tab_to(browser, by_id("id_rural"), "the rural flag")
    assert rural.is_selected(), "pre-filled from the organisation"
    tab_to(browser, by_id("id_flags_justification"), "the justification")
    type_text(browser, "Gemeinde mit 2.000 Einwohner*innen.")
    consent = tab_to(browser, by_id("id_consent"), "the consent")
    press(browser, Keys.SPACE)
    assert consent.is_selected()
    tab_to(
        browser,
        lambda el: el.get_attribute("name") == "action" and el.get_attribute("value") == "submit",
        "„Antrag absenden“",
    )
    activate_and_wait(browser)

    assert "Ihr Antrag ist eingegangen" in browser.text(), browser.text()
    application = Application.objects.get(organisation=organisation)
    assert application.status == Application.Status.SUBMITTED
    assert application.topics.count() == 1
    assert application.challenge.startswith("Die Kerngruppe")
    assert application.desired_start.isoformat() == "2027-03-03"
    assert application.desired_format
    assert application.consent is True


def assert_summary_links_move_focus(browser) -> list[str]:
    """The error summary has the focus; each of its links moves the focus to its field
    (for a group of radios or checkboxes: to the first one). Returns the link targets."""
    summary = browser.find(".error-summary")
    assert browser.focused() == summary, "the summary has the focus after a refused submit"
    assert summary.get_attribute("role") == "alert"
    links = summary.find_elements("css selector", "a")
    targets = [link.get_attribute("href").split("#", 1)[1] for link in links]
    assert targets, "the summary links to the fields"
    for index, target in enumerate(targets):
        browser.driver.execute_script("arguments[0].focus()", summary)
        for _ in range(index + 1):
            press(browser, Keys.TAB)
        assert browser.focused().get_attribute("href").endswith("#" + target)
        press(browser, Keys.ENTER)
        focused = browser.focused()
        assert focused.get_attribute("id") == target, (
            f"link #{target} moved the focus to {describe(focused)}"
        )
        assert focused.tag_name in ("input", "textarea", "select"), describe(focused)
    return targets


def test_error_summary_takes_focus_and_links_to_fields(browser, organisation, reference_data):
    browser.login(organisation.members.get())
    programme = reference_data["prozessbegleitung"]
    browser.get(reverse("vouchers:application_create", args=[programme.slug]))
    browser.fill("#id_goals", "Nur die Ziele sind ausgefüllt.")
    browser.submit("button[name=action][value=submit]")

    targets = assert_summary_links_move_focus(browser)
    assert "id_topics_0" in targets, targets  # a group: its first checkbox
    assert "id_challenge" in targets, targets
    assert "id_consent" in targets, targets
    assert browser.find("#id_goals").get_attribute("value") == "Nur die Ziele sind ausgefüllt."


def test_decision_without_facilitator_links_to_the_suggestions(browser, reference_data):
    programme = reference_data["prozessbegleitung"]
    scenario.facilitator(programme)
    application = scenario.open_applications(programme)["tier1"]
    browser.login(scenario.staff()["office"])
    browser.get(reverse("vouchers:application_decide", args=[application.pk]))
    for box in browser.find_all("input[name=facilitators]:checked"):
        box.click()
    browser.submit("input[name=action][value=approve] ~ button[type=submit]")
    assert assert_summary_links_move_focus(browser) == ["id_facilitators_0"]
    assert not Voucher.objects.filter(application=application).exists()
    application.refresh_from_db()
    assert application.status == Application.Status.SUBMITTED
