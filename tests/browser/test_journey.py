"""The whole journey of one case in a real browser, by four people: an applicant registers
and applies; the programme office confirms the organisation and its region flags, finds the
Antrag at its rank in the queue and approves it with a suggested facilitator; the agreement
is generated, downloaded, signed and confirmed; the facilitator logs sessions until the
16-hour cap refuses one; the case is closed; the feedback link from the email is answered;
the admin exports the vouchers report. Every step checks the page, the database and the
emails."""

from __future__ import annotations

import csv
import io
from base64 import b32decode

import openpyxl
import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_otp.oath import TOTP

from agreements.models import AgreementVersion, SignedAgreement
from portal.models import AuditEntry, Organisation, User
from sessions_log.models import SessionEntry
from tests.browser import scenario
from tests.factories import TEST_PASSWORD
from vouchers.models import Application, FeedbackResponse, Voucher

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ORG_NAME = "Engagierte Stadt Neuweiler"
APPLICANT_EMAIL = "koordination@neuweiler.example.org"


def recipients() -> list[str]:
    return [address for message in mail.outbox for address in message.to]


def subjects_to(address: str) -> list[str]:
    return [m.subject for m in mail.outbox if address in m.to]


def test_whole_journey(browser, reference_data):
    programme = reference_data["prozessbegleitung"]
    people = scenario.staff()
    profile = scenario.facilitator(programme)
    others = scenario.open_applications(programme)
    mail.outbox.clear()

    register_new_organisation(browser)
    office_approves_organisation(browser, people["office"])
    application = applicant_submits_antrag(browser, programme)
    voucher = office_ranks_and_approves(browser, people["office"], application, others, profile)
    agreement_signed(browser, people["office"], voucher)
    facilitator_logs_until_cap(browser, profile, voucher)
    applicant_confirms_hours(browser, profile, voucher)
    case_closed(browser, people["office"], profile, voucher)
    feedback_answered(browser, voucher)
    admin_exports(browser, people["admin"], voucher)


# --- 1. registration ----------------------------------------------------------------------


def register_new_organisation(browser) -> None:
    browser.get("/")
    browser.find("a[href='/konto/registrieren/']").click()
    browser.wait_for_path("/konto/registrieren/")
    browser.fill("#id_first_name", "Rita")
    browser.fill("#id_last_name", "Neumann")
    browser.fill("#id_email", APPLICANT_EMAIL)
    browser.fill("#id_password1", TEST_PASSWORD)
    browser.fill("#id_password2", TEST_PASSWORD)
    browser.check("input[name=organisation_choice][value=new]")
    browser.fill("#id_org_name", ORG_NAME)
    browser.select("#id_org_kind", value="engagierte_stadt")
    browser.fill("#id_org_municipality", "Neuweiler")
    browser.select("#id_org_bundesland", value="BW")
    browser.fill("#id_org_street", "Rathausplatz 2")
    browser.fill("#id_org_postcode", "75389")
    browser.fill("#id_org_city", "Neuweiler")
    browser.check("#id_org_structurally_weak")
    browser.fill(
        "#id_org_flags_justification", "Gemeinde im Nordschwarzwald mit sinkender Einwohnerzahl."
    )
    browser.check("#id_privacy")
    browser.submit("main form [type=submit]")

    assert "/konto/registrieren/" not in browser.path, browser.text()
    assert "Das Programmbüro prüft die neue Organisation" in browser.text()
    user = User.objects.get(email=APPLICANT_EMAIL)
    assert user.role == User.Role.APPLICANT
    organisation = user.organisation
    assert organisation.name == ORG_NAME
    assert organisation.approved is False
    assert organisation.structurally_weak is True
    assert organisation.flags_confirmed is False
    assert len(mail.outbox) == 1
    assert ORG_NAME in mail.outbox[0].body
    browser.logout()


def office_approves_organisation(browser, office) -> None:
    mail.outbox.clear()
    browser.login_form(office.email, TEST_PASSWORD)
    browser.get(reverse("organisation_pending"))
    assert ORG_NAME in browser.text()
    organisation = Organisation.objects.get(name=ORG_NAME)
    browser.submit(
        f"form[action='{reverse('organisation_approve', args=[organisation.pk])}'] button"
    )
    assert f"„{ORG_NAME}“ ist freigegeben." in browser.text()
    organisation.refresh_from_db()
    assert organisation.approved is True
    assert AuditEntry.objects.filter(action="organisation.approved", actor=office).exists()
    assert recipients() == [APPLICANT_EMAIL]
    browser.logout()


# --- 2. the Antrag ------------------------------------------------------------------------


def applicant_submits_antrag(browser, programme) -> Application:
    browser.login_form(APPLICANT_EMAIL, TEST_PASSWORD)
    browser.get(reverse("vouchers:applicant_dashboard"))
    assert ORG_NAME in browser.text() or "Neuen Antrag stellen" in browser.text()
    browser.screenshot("applicant-dashboard-empty")
    browser.find(f"a[href='{reverse('vouchers:application_start')}']").click()
    browser.wait_for_path(reverse("vouchers:application_start"))
    create_url = reverse("vouchers:application_create", args=[programme.slug])
    browser.find(f"a[href='{create_url}']").click()
    browser.wait_for_path(create_url)

    topics = browser.find_all("input[name=topics]")
    assert len(topics) >= 7, "the seeded Prozessbegleitung topics are offered"
    browser.check("input[name=topics]")  # the first: Klärungs- und Entscheidungsprozesse
    browser.fill(
        "#id_challenge",
        "Unsere Kerngruppe ist klein und überlastet; Aufgaben sind nicht klar verteilt.",
    )
    browser.fill("#id_goals", "Klare Zuständigkeiten und ein Arbeitsplan für das nächste Jahr.")
    today = timezone.localdate()
    browser.set_date("#id_desired_start", (today + timezone.timedelta(days=30)).isoformat())
    browser.set_date("#id_desired_end", (today + timezone.timedelta(days=200)).isoformat())
    browser.check("input[name=desired_format]")
    assert browser.find("#id_structurally_weak").is_selected(), "declared at registration"
    browser.check("#id_consent")
    browser.screenshot("antrag-form")
    browser.submit("button[name=action][value=submit]")

    assert "Ihr Antrag ist eingegangen" in browser.text(), browser.text()
    application = Application.objects.get(organisation__name=ORG_NAME)
    assert application.status == Application.Status.SUBMITTED
    assert application.submitted_at is not None
    assert application.programme == programme
    assert list(application.topics.values_list("order", flat=True)) == [0]
    assert browser.path == application.get_absolute_url()
    assert APPLICANT_EMAIL in recipients()
    browser.get(reverse("vouchers:applicant_dashboard"))
    assert "Eingereicht" in browser.text() or "eingereicht" in browser.text()
    browser.screenshot("applicant-dashboard")
    browser.logout()
    return application


# --- 3. queue and decision ----------------------------------------------------------------


def queue_rows(browser) -> list[list[str]]:
    return [
        [cell.text for cell in row.find_elements("css selector", "td")]
        for row in browser.find_all("main table tbody tr")
    ]


def office_ranks_and_approves(browser, office, application, others, profile) -> Voucher:
    browser.login_form(office.email, TEST_PASSWORD)
    queue_url = reverse("vouchers:queue") + f"?programme={application.programme_id}"
    browser.get(queue_url)
    rows = queue_rows(browser)
    order = [row[1].splitlines()[0] for row in rows]
    # Tier 1 (first-time and rural, earlier) → ours (tier 1, declared) → tier 2 → tier 4.
    assert order == [
        others["tier1"].organisation.name,
        ORG_NAME,
        others["tier2"].organisation.name,
        others["tier4"].organisation.name,
    ], order
    ours = rows[1]
    assert ours[0] == "2"
    assert "Rang 1" in ours[2]
    assert "unbestätigt" in ours[2] or "unbestätigt" in ours[6]

    # Confirm the declared flag (structurally weak) in the queue's inline form.
    form = f"form[action='{reverse('vouchers:confirm_flags', args=[application.organisation_id])}']"
    assert browser.find(f"{form} input[name=structurally_weak]").is_selected()
    browser.submit(f"{form} button[type=submit]")
    assert "sind bestätigt" in browser.text()
    organisation = application.organisation
    organisation.refresh_from_db()
    assert organisation.flags_confirmed is True
    assert organisation.structurally_weak is True
    rows = queue_rows(browser)
    ours = rows[1]
    assert ours[1].startswith(ORG_NAME)
    assert "Rang 1" in ours[2]
    assert "unbestätigt" not in ours[2]
    assert "bestätigt" in ours[6]
    browser.screenshot("queue")

    # The decision page: the suggested facilitator, approve.
    browser.find(
        f"a[href='{reverse('vouchers:application_decide', args=[application.pk])}']"
    ).click()
    browser.wait_for_path(reverse("vouchers:application_decide", args=[application.pk]))
    page = browser.text()
    assert profile.name in page
    assert "Klärungs- und Entscheidungsprozesse" in page
    browser.screenshot("decision")
    browser.check(f"input[name=facilitators][value='{profile.pk}']")
    mail.outbox.clear()
    browser.submit("input[name=action][value=approve] ~ button[type=submit]")

    application.refresh_from_db()
    assert application.status == Application.Status.APPROVED
    voucher = application.voucher
    assert voucher.status == Voucher.Status.ISSUED
    assert list(voucher.facilitators.all()) == [profile]
    assert browser.path == voucher.get_absolute_url()
    assert f"Gutschein {voucher.code} ist ausgestellt" in browser.text()
    assert APPLICANT_EMAIL in recipients()
    assert profile.user.email in recipients()
    browser.screenshot("case-issued")
    return voucher


# --- 4. the agreement ---------------------------------------------------------------------


def agreement_signed(browser, office, voucher) -> None:
    detail = reverse("agreements:detail", args=[voucher.pk])
    browser.get(detail)
    mail.outbox.clear()
    browser.submit(f"form[action='{reverse('agreements:generate', args=[voucher.pk])}'] button")
    version = AgreementVersion.objects.get(voucher=voucher)
    assert version.number == 1
    assert len(version.sha256) == 64
    assert APPLICANT_EMAIL in recipients()
    browser.logout()

    # The applicant downloads the PDF in the browser and uploads it as the signed scan.
    browser.login_form(APPLICANT_EMAIL, TEST_PASSWORD)
    browser.get(detail)
    browser.screenshot("agreement")
    browser.find(f"a[href='{reverse('agreements:download', args=[version.pk])}']").click()
    pdf = browser.wait_for_download(".pdf")
    assert pdf.read_bytes().startswith(b"%PDF")
    version.pdf.open("rb")
    try:
        assert pdf.read_bytes() == version.pdf.read()
    finally:
        version.pdf.close()

    browser.find(f"a[href='{reverse('agreements:upload', args=[voucher.pk])}']").click()
    browser.wait_for_path(reverse("agreements:upload", args=[voucher.pk]))
    browser.find("input[type=file]").send_keys(str(pdf))
    mail.outbox.clear()
    browser.submit("main form button[type=submit]")
    signed = SignedAgreement.objects.get(voucher=voucher)
    assert signed.version == version
    voucher.refresh_from_db()
    assert voucher.status == Voucher.Status.ISSUED, "active only once the office confirms"
    browser.logout()

    # The office confirms the signature: the voucher becomes active.
    browser.login_form(office.email, TEST_PASSWORD)
    browser.get(detail)
    mail.outbox.clear()
    browser.submit(f"form[action='{reverse('agreements:confirm', args=[signed.pk])}'] button")
    voucher.refresh_from_db()
    assert voucher.status == Voucher.Status.ACTIVE
    assert voucher.activated_at is not None
    assert APPLICANT_EMAIL in recipients()
    browser.logout()


# --- 5. sessions up to the cap ------------------------------------------------------------


def log_one(browser, voucher, minutes: int, notes: str) -> None:
    browser.get(reverse("sessions_log:session_add", args=[voucher.pk]))
    browser.fill("#id_minutes", str(minutes))
    browser.wait_htmx_settled("#remaining-after")  # the preview of what remains
    browser.select("#id_activity", value="workshop")
    browser.check("input[name=format][value=vor_ort]")
    browser.fill("#id_notes", notes)
    browser.submit("main form button[type=submit]")


def facilitator_logs_until_cap(browser, profile, voucher) -> None:
    browser.login_form(profile.user.email, TEST_PASSWORD)
    browser.get(reverse("sessions_log:dashboard"))
    assert voucher.code in browser.text()
    for number in range(7):
        log_one(browser, voucher, 120, f"Workshop {number + 1}")
        assert "/eintragen/" not in browser.path, browser.text()
    log_one(browser, voucher, 90, "Vor- und Nachbereitung")
    assert SessionEntry.objects.filter(voucher=voucher).count() == 8
    assert (
        sum(SessionEntry.objects.filter(voucher=voucher).values_list("minutes", flat=True)) == 930
    )

    # One more hour would pass the 16 hours: refused, and the page names what remains.
    browser.get(reverse("sessions_log:session_add", args=[voucher.pk]))
    browser.screenshot("log-form")
    log_one(browser, voucher, 60, "Zu viel")
    page = browser.text()
    assert "Es verbleiben" in page, page
    assert "Es verbleiben noch 30 Minuten (30 Min.)" in page, page
    assert browser.find(".error-summary").is_displayed()
    assert browser.find("#id_minutes").get_attribute("value") == "60", "input kept"
    assert SessionEntry.objects.filter(voucher=voucher).count() == 8
    browser.screenshot("log-form-refused")


# --- 5b. the municipality confirms the hours (rule 10) --------------------------------------


def applicant_confirms_hours(browser, profile, voucher) -> None:
    browser.logout()
    browser.login_form(APPLICANT_EMAIL, TEST_PASSWORD)
    browser.get(reverse("vouchers:applicant_dashboard"))
    assert "warten auf Ihre Bestätigung" in browser.text()
    browser.get(reverse("sessions_log:confirm_hours"))
    pending = SessionEntry.objects.filter(voucher=voucher, status="pending").count()
    assert pending > 0
    browser.screenshot("confirm-hours")
    browser.submit("main form button[type=submit]")
    assert not SessionEntry.objects.filter(voucher=voucher, status="pending").exists()
    assert SessionEntry.objects.filter(voucher=voucher, status="confirmed").count() == pending
    browser.logout()
    browser.login_form(profile.user.email, TEST_PASSWORD)  # back to the facilitator


# --- 6. closing ---------------------------------------------------------------------------


def case_closed(browser, office, profile, voucher) -> None:
    browser.get(reverse("sessions_log:request_closing", args=[voucher.pk]))
    browser.fill("#id_report", "Zuständigkeiten sind verteilt, ein Arbeitsplan steht.")
    browser.submit("main form button[type=submit]")
    voucher.refresh_from_db()
    assert voucher.status == Voucher.Status.CLOSING_REQUESTED
    browser.logout()

    browser.login_form(office.email, TEST_PASSWORD)
    browser.get(voucher.get_absolute_url())
    page = browser.text()
    assert voucher.code in page
    assert "15 Std. 30 Min. von 16 Std. genutzt" in page, page
    browser.screenshot("case")
    mail.outbox.clear()
    browser.get(reverse("sessions_log:close", args=[voucher.pk]))
    browser.submit("main form button[type=submit]")
    voucher.refresh_from_db()
    # The feedback email went out after the commit (Celery runs eagerly in the tests).
    assert voucher.status == Voucher.Status.FEEDBACK_SENT, voucher.status
    assert voucher.closed_at is not None
    assert APPLICANT_EMAIL in recipients()
    browser.logout()


# --- 7. feedback --------------------------------------------------------------------------


def feedback_answered(browser, voucher) -> None:
    link = scenario.feedback_link_from_outbox()
    assert link.startswith(browser.base), link
    browser.get(link)
    assert "Prozessbegleitung" in browser.text()
    browser.screenshot("feedback-form")
    browser.check("input[name=satisfaction][value='5']")
    browser.check("input[name=goals_reached][value='4']")
    browser.check("input[name=would_recommend][value=yes]")
    browser.check("input[name=structure_useful][value='4']")
    browser.fill("#id_what_helped", "Die klare Moderation.")
    browser.submit("main form button[type=submit]")
    assert browser.path == reverse("feedback:thanks"), browser.path
    response = FeedbackResponse.objects.get(request__voucher=voucher)
    assert response.satisfaction == 5
    assert response.would_recommend is True
    voucher.refresh_from_db()
    assert voucher.status == Voucher.Status.FEEDBACK_RECEIVED
    # The link is single-use.
    browser.get(link)
    assert "bereits" in browser.text()


# --- 8. reports ---------------------------------------------------------------------------


def admin_exports(browser, admin, voucher) -> None:
    browser.login_form(admin.email, TEST_PASSWORD)
    # Admins must set up the second factor first: the app's key from the page, its code back.
    assert browser.path.startswith(reverse("two_factor_setup")), browser.path
    assert "vorgeschrieben" in browser.text()
    secret = browser.text("#totp-secret").replace(" ", "")
    browser.screenshot("two-factor-setup")
    key = b32decode(secret + "=" * (-len(secret) % 8))
    browser.fill("#id_code", f"{TOTP(key).token():06d}")
    browser.submit("main form [type=submit]")
    assert "Ihre Ersatzcodes" in browser.text()
    assert len(browser.text("#backup-codes").split()) == 10
    browser.get(reverse("reports:dashboard"))
    assert "Gutscheine" in browser.text()
    browser.screenshot("reports-dashboard")

    body, headers = browser.fetch(
        reverse("reports:export", kwargs={"report": "gutscheine", "file_format": "csv"})
    )
    assert "csv" in headers["Content-Type"]
    rows = list(csv.reader(io.StringIO(body.decode("utf-8-sig")), delimiter=";"))
    header, data = rows[0], rows[1:]
    assert header[0] == "Gutscheincode"
    ours = [row for row in data if row[0] == voucher.code]
    assert len(ours) == 1, data
    assert ours[0][header.index("Organisation")] == ORG_NAME
    assert ours[0][header.index("Stunden erfasst")] in ("15,5", "15,50", "15.5")

    body, headers = browser.fetch(
        reverse("reports:export", kwargs={"report": "gutscheine", "file_format": "xlsx"})
    )
    assert "spreadsheet" in headers["Content-Type"]
    sheet = openpyxl.load_workbook(io.BytesIO(body), read_only=True).worksheets[0]
    values = [list(row) for row in sheet.iter_rows(values_only=True)]
    header = values[0]
    ours = [row for row in values[1:] if row[0] == voucher.code]
    assert len(ours) == 1
    assert ours[0][header.index("Organisation")] == ORG_NAME
    assert ours[0][header.index("Stunden erfasst")] == pytest.approx(15.5)


def test_office_of_another_operator_does_not_see_the_queue(browser, reference_data):
    """Issue 14: the DSEE's open Anträge are not on the queue of the Führungsakademie's
    office, and the decision page of one of them is a 404; the DSEE's office sees them."""
    from portal.models import Operator
    from tests.factories import UserFactory

    programme = reference_data["prozessbegleitung"]
    others = scenario.open_applications(programme)
    fueak = UserFactory(
        role=User.Role.OFFICE,
        email="buero@fueak.example.org",
        operators=[Operator.objects.get(slug="fueak-bw")],
    )
    dsee = UserFactory(
        role=User.Role.OFFICE,
        email="buero@dsee.example.org",
        operators=[Operator.objects.get(slug="dsee")],
    )
    names = [application.organisation.name for application in others.values()]

    browser.login_form(fueak.email, TEST_PASSWORD)
    browser.get(reverse("vouchers:queue"))
    text = browser.text()
    assert "Führungsakademie Baden-Württemberg" in text
    for name in names:
        assert name not in text
    some = next(iter(others.values()))
    browser.get(reverse("vouchers:application_decide", args=[some.pk]))
    assert "Seite nicht gefunden" in browser.text()
    browser.logout()

    browser.login_form(dsee.email, TEST_PASSWORD)
    browser.get(reverse("vouchers:queue"))
    text = browser.text()
    for name in names:
        assert name in text
