"""axe-core (WCAG 2.1 A and AA rules) finds no violation on the main pages, empty and with a
refused form; the page skeleton has its language, skip link, landmarks and visible focus."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.browser import scenario

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def check_pages(browser, pages) -> None:
    """Visit each (name, path or callable) and collect axe's violations of all of them, so
    one run reports every page that needs a fix."""
    problems = []
    for name, visit in pages:
        if callable(visit):
            visit()
        else:
            browser.get(visit)
        assert browser.find("h1").text, f"{name}: the page has no heading ({browser.path})"
        try:
            browser.assert_accessible(name)
        except AssertionError as exc:
            problems.append(str(exc))
    assert not problems, "\n\n".join(problems)


@pytest.fixture
def world(reference_data):
    programme = reference_data["prozessbegleitung"]
    people = scenario.staff()
    profile = scenario.facilitator(programme)
    others = scenario.open_applications(programme)
    voucher = scenario.active_case(programme, profile, minutes_logged=300)
    applicant = voucher.organisation.members.get()
    return {
        "programme": programme,
        "profile": profile,
        "voucher": voucher,
        "applicant": applicant,
        "application": others["tier2"],
        **people,
    }


def test_public_pages(browser, reference_data):
    def refused_login():
        browser.get(reverse("login"))
        browser.fill("#id_username", "niemand@example.org")
        browser.fill("#id_password", "falsch-falsch")
        browser.submit("main form [type=submit]")
        assert browser.find(".error-summary, .alert-danger")

    def refused_registration():
        browser.get(reverse("register"))
        browser.check("input[name=organisation_choice][value=new]")
        browser.submit("main form [type=submit]")
        assert browser.find(".error-summary")

    check_pages(
        browser,
        [
            ("Startseite", reverse("start")),
            ("Anmeldung", reverse("login")),
            ("Anmeldung mit Fehler", refused_login),
            ("Registrierung", reverse("register")),
            ("Registrierung mit Fehlern", refused_registration),
            ("Erklärung zur Barrierefreiheit", reverse("accessibility")),
        ],
    )


def test_applicant_pages(browser, world):
    programme = world["programme"]
    browser.login(world["applicant"])
    voucher = world["voucher"]

    def refused_antrag():
        browser.get(reverse("vouchers:application_create", args=[programme.slug]))
        browser.submit("button[name=action][value=submit]")
        assert browser.find(".error-summary")

    # The Antrag form belongs to an organisation without an open voucher.
    other = world["application"].organisation.members.get()
    check_pages(
        browser,
        [
            ("Übersicht der Antragsteller*in", reverse("vouchers:applicant_dashboard")),
            ("Gutschein (Antragsteller*in)", voucher.get_absolute_url()),
            ("Vereinbarung (Antragsteller*in)", reverse("agreements:detail", args=[voucher.pk])),
            ("Verzeichnis", reverse("facilitator_directory")),
            (
                "Programmwahl",
                lambda: (browser.login(other), browser.get(reverse("vouchers:application_start"))),
            ),
            (
                "Antrag (leer)",
                reverse("vouchers:application_create", args=[programme.slug]),
            ),
            ("Antrag mit Fehlern", refused_antrag),
        ],
    )


def test_office_pages(browser, world):
    voucher = world["voucher"]
    application = world["application"]
    browser.login(world["office"])
    decide = reverse("vouchers:application_decide", args=[application.pk])

    def refused_decision():
        browser.get(decide)
        for box in browser.find_all("input[name=facilitators]:checked"):
            box.click()
        browser.submit("input[name=action][value=approve] ~ button[type=submit]")
        assert browser.find(".error-summary")

    check_pages(
        browser,
        [
            ("Antragsliste", reverse("vouchers:queue")),
            ("Entscheidung", decide),
            ("Entscheidung mit Fehlern", refused_decision),
            ("Fallseite", voucher.get_absolute_url()),
            ("Vereinbarung (Programmbüro)", reverse("agreements:detail", args=[voucher.pk])),
            ("Laufende Gutscheine", reverse("sessions_log:office_list")),
            ("Neue Registrierungen", reverse("organisation_pending")),
        ],
    )
    browser.login(world["admin"])
    check_pages(
        browser,
        [
            ("Berichte", reverse("reports:dashboard")),
            (
                "Bericht Gutscheine",
                reverse("reports:report_list", kwargs={"report": "gutscheine"}),
            ),
        ],
    )


def test_facilitator_pages(browser, world):
    voucher = world["voucher"]
    browser.login(world["profile"].user)
    add = reverse("sessions_log:session_add", args=[voucher.pk])

    def refused_entry():
        browser.get(add)
        browser.fill("#id_minutes", "900")
        browser.submit("main form button[type=submit]")
        assert browser.find(".error-summary")

    check_pages(
        browser,
        [
            ("Meine Begleitungen", reverse("sessions_log:dashboard")),
            ("Sitzung eintragen", add),
            ("Sitzung eintragen mit Fehlern", refused_entry),
            ("Fallseite (Prozessbegleitung)", voucher.get_absolute_url()),
        ],
    )


def test_feedback_form(browser, world):
    link = scenario.feedback_link_for_closed_case(world["voucher"], world["office"])
    browser.logout()

    def refused_feedback():
        browser.get(link)
        browser.submit("main form button[type=submit]")
        assert browser.find(".error-summary")

    check_pages(browser, [("Feedback", link), ("Feedback mit Fehlern", refused_feedback)])


def test_page_skeleton(browser, reference_data):
    """``<html lang="de">``, a skip link that appears on focus and leads to ``<main>``,
    landmarks, and a focus outline that can be seen."""
    browser.get(reverse("accessibility"))
    assert browser.find("html").get_attribute("lang") == "de"
    assert browser.find_all("header")
    assert browser.find_all("footer")
    assert browser.find_all("main#main")
    footer = browser.text("footer")
    assert "Erklärung zur Barrierefreiheit" in footer

    from selenium.webdriver.common.action_chains import ActionChains
    from selenium.webdriver.common.keys import Keys

    ActionChains(browser.driver).send_keys(Keys.TAB).perform()
    skip = browser.focused()
    assert skip.get_attribute("class") == "skip-link"
    assert skip.is_displayed()
    assert skip.rect["x"] >= 0, "the skip link is on screen when focused"
    ActionChains(browser.driver).send_keys(Keys.ENTER).perform()
    assert browser.focused().get_attribute("id") == "main"

    # The next focusable element gets a visible outline.
    ActionChains(browser.driver).send_keys(Keys.TAB).perform()
    outline = browser.driver.execute_script(
        "const s = getComputedStyle(document.activeElement);"
        "return [s.outlineStyle, s.outlineWidth, s.boxShadow];"
    )
    assert outline[0] != "none" or outline[2] != "none", outline


def test_axe_reports_a_broken_page(browser, reference_data):
    """The harness is honest: the same axe run fails on a page with known faults."""
    browser.get(reverse("login"))
    browser.driver.execute_script(
        "const main = document.querySelector('main');"
        "main.insertAdjacentHTML('beforeend', '<img src=\"/static/none.png\">"
        '<input type="text" name="unlabelled">'
        '<p id="pale">blass</p>\');'
        # The CSP forbids inline style attributes; the CSSOM is allowed.
        "Object.assign(document.getElementById('pale').style, {color: '#bbb', background: '#fff'});"
        "document.documentElement.removeAttribute('lang');"
    )
    found = {violation["id"] for violation in browser.axe()}
    assert {"image-alt", "label", "color-contrast", "html-has-lang"} <= found, found
