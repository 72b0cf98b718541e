"""On a phone (375 px wide) the applicant's pages and the facilitator's log form fit the
screen: no horizontal scrolling. Screenshots at that size go to the artifacts (and, with
``SCREENSHOTS=1``, to ``docs/screenshots/mobile-*.png``)."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.browser import scenario
from vouchers.models import Application

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = {"width": 375, "height": 812, "deviceScaleFactor": 1, "mobile": True}


@pytest.fixture
def phone(browser):
    """The browser emulating a 375 px phone screen (the viewport meta tag applies)."""
    browser.driver.execute_cdp_cmd("Emulation.setDeviceMetricsOverride", PHONE)
    yield browser
    browser.driver.execute_cdp_cmd("Emulation.clearDeviceMetricsOverride", {})


def assert_fits(browser, name: str) -> None:
    """No sideways scrolling. On a phone Chromium widens the layout viewport to fit content
    that is too wide (and zooms out), so the viewport must still be 375 px wide."""
    width, scroll_width = browser.driver.execute_script(
        "return [window.innerWidth, document.documentElement.scrollWidth];"
    )
    too_wide = browser.driver.execute_script(
        """
        const limit = arguments[0] + 1;
        return [...document.querySelectorAll('body *')]
          .filter(el => el.getBoundingClientRect().right > limit
                        && !el.closest('.table-responsive, .visually-hidden, .skip-link'))
          .slice(-5).map(el => el.tagName + '.' + el.className + '#' + el.id
                               + ' ' + Math.round(el.getBoundingClientRect().right) + 'px');
        """,
        PHONE["width"],
    )
    browser.screenshot(f"mobile-{name}")
    assert (width, scroll_width) == (PHONE["width"], PHONE["width"]), (
        f"{name} does not fit a {PHONE['width']} px phone (viewport {width} px, content "
        f"{scroll_width} px); too wide: {too_wide}"
    )


def test_applicant_and_facilitator_pages_fit_a_phone(phone, reference_data):
    programme = reference_data["prozessbegleitung"]
    profile = scenario.facilitator(programme)
    voucher = scenario.active_case(programme, profile, minutes_logged=240)
    applicant = voucher.organisation.members.get()

    phone.login(applicant)
    for name, path in [
        ("applicant-dashboard", reverse("vouchers:applicant_dashboard")),
        ("case", voucher.get_absolute_url()),
        ("agreement", reverse("agreements:detail", args=[voucher.pk])),
    ]:
        phone.get(path)
        assert_fits(phone, name)

    # The Antrag form, empty and refused, for an organisation without an open voucher.
    other = scenario.open_applications(programme)["tier2"].organisation
    Application.objects.filter(organisation=other).delete()
    phone.login(other.members.get())
    phone.get(reverse("vouchers:application_create", args=[programme.slug]))
    assert_fits(phone, "antrag-form")
    phone.submit("button[name=action][value=submit]")
    assert phone.find(".error-summary")
    assert_fits(phone, "antrag-form-errors")

    # The menu collapses behind a button that opens it.
    toggler = phone.find(".navbar-toggler")
    assert toggler.is_displayed()
    assert toggler.get_attribute("aria-expanded") == "false"
    toggler.click()
    phone.wait(lambda: phone.find("#main-nav").is_displayed(), message="menu did not open")
    assert toggler.get_attribute("aria-expanded") == "true"

    phone.login(profile.user)
    phone.get(reverse("sessions_log:dashboard"))
    assert_fits(phone, "facilitator-dashboard")
    phone.get(reverse("sessions_log:session_add", args=[voucher.pk]))
    assert_fits(phone, "log-form")


def test_office_pages_fit_a_desktop_screen(browser, reference_data):
    """The office has the longest menu; at 1280 px it wraps instead of running off screen."""
    programme = reference_data["prozessbegleitung"]
    scenario.open_applications(programme)
    office = scenario.staff()["admin"]
    browser.login(office)
    for path in (reverse("vouchers:queue"), reverse("reports:dashboard")):
        browser.get(path)
        width, scroll_width, nav_right = browser.driver.execute_script(
            "return [document.documentElement.clientWidth,"
            " document.documentElement.scrollWidth,"
            " Math.max(...[...document.querySelectorAll('header .nav-item')]"
            "     .map(el => el.getBoundingClientRect().right))];"
        )
        assert scroll_width <= width, f"{path} scrolls sideways ({scroll_width} > {width})"
        assert nav_right <= width, f"the menu of {path} runs off screen ({nav_right} > {width})"
