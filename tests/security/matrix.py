"""The role × URL matrix: every URL pattern of the project, the keyword arguments that
point it at the first organisation's objects (``world.py``), and the expected answer for
each role. A URL without an entry here fails ``test_url_matrix`` — new pages cannot slip
through unchecked.

Statuses: ``LOGIN`` = redirect to the login page; ``REDIRECT`` = another redirect (e.g. the
login page sends logged-in users home); 200, 403 (wrong role), 404 (an object of another
tenant — never 403 or 200), 405 (the URL takes POST only)."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from tests.factories import TEST_PASSWORD
from tests.security.world import MINIMAL_PDF, ROLES, World

LOGIN = "login"
REDIRECT = "redirect"

# Not walked, with the reason. Everything else must have an entry in GET_MATRIX.
EXCLUDED = {
    "set_language": "Django's language switch: POST-only, changes only the language cookie",
}
# The Django admin: only its index is in the matrix (staff only). The model pages behind it
# are Django's own permission system (is_staff + model permissions), not tenant-scoped
# pages of the portal; the admin is for the programme's admins only.
EXCLUDED_NAMESPACES = {"admin": "Django admin (except admin:index, which is in the matrix)"}
INCLUDED_FROM_EXCLUDED_NAMESPACES = {"admin:index"}


def walk(resolver=None, namespace: str | None = None) -> Iterator[tuple[str | None, object]]:
    """(qualified name, callback) of every URL pattern, through every include()."""
    resolver = resolver or get_resolver()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = pattern.namespace
            ns = f"{namespace}:{inner}" if namespace and inner else (inner or namespace)
            yield from walk(pattern, ns)
        elif isinstance(pattern, URLPattern):
            name = pattern.name
            if name and namespace:
                name = f"{namespace}:{name}"
            yield (name or f"{namespace or ''}:<unnamed {pattern.pattern}>"), pattern.callback


def is_excluded(name: str) -> bool:
    if name in INCLUDED_FROM_EXCLUDED_NAMESPACES:
        return False
    if name in EXCLUDED:
        return True
    return name.split(":", 1)[0] in EXCLUDED_NAMESPACES and ":" in name


def url_names() -> list[str]:
    """Every URL pattern that the matrix must cover."""
    return sorted({name for name, _ in walk() if not is_excluded(name)})


def accepts_post(callback) -> bool:
    view_class = getattr(callback, "view_class", None)
    if view_class is None:
        return False  # function views: see FUNCTION_VIEWS
    return "post" in view_class.http_method_names and hasattr(view_class, "post")


def E(anonymous, applicant, other_applicant, facilitator, other_facilitator, office, admin):
    """Expected GET status per role, in the order of ``ROLES``."""
    return dict(
        zip(
            ROLES,
            (anonymous, applicant, other_applicant, facilitator, other_facilitator, office, admin),
            strict=True,
        )
    )


# Frequent rows.
PUBLIC = E(200, 200, 200, 200, 200, 200, 200)
LOGGED_IN = E(LOGIN, 200, 200, 200, 200, 200, 200)
OFFICE = E(LOGIN, 403, 403, 403, 403, 200, 200)
OFFICE_POST_ONLY = E(LOGIN, 403, 403, 403, 403, 405, 405)
POST_ONLY = E(405, 405, 405, 405, 405, 405, 405)
ADMIN = E(LOGIN, 403, 403, 403, 403, 403, 200)
# A case of the first organisation, seen by everybody involved (applicants, the assigned
# facilitator, office); the other organisation and the unassigned facilitator get 404.
CASE = E(LOGIN, 200, 404, 200, 404, 200, 200)
ANONYMOUS_ONLY = E(200, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT, REDIRECT)


@dataclass
class Entry:
    kwargs: Callable[[World], dict] = field(default=lambda w: {})
    get: dict = field(default_factory=dict)
    query: str = ""


def _voucher(w: World) -> dict:
    return {"voucher_pk": w.voucher.pk}


GET_MATRIX: dict[str, Entry] = {
    # Public pages and the account pages.
    "start": Entry(get=PUBLIC),
    "healthz": Entry(get=PUBLIC),
    "readyz": Entry(get=PUBLIC),
    "metrics": Entry(get=E(404, 404, 404, 404, 404, 404, 404)),  # token or address only
    "accessibility": Entry(get=PUBLIC),
    "privacy": Entry(get=PUBLIC),
    "imprint": Entry(get=PUBLIC),
    "home": Entry(get=E(LOGIN, *[REDIRECT] * 6)),  # each role to its dashboard
    "login": Entry(get=ANONYMOUS_ONLY),
    "logout": Entry(get=E(405, 405, 405, 405, 405, 405, 405)),  # POST only (Django 5)
    "register": Entry(get=ANONYMOUS_ONLY),
    "password_reset": Entry(get=PUBLIC),
    "password_reset_done": Entry(get=PUBLIC),
    # An unusable token shows the "link invalid" page to anyone.
    "password_reset_confirm": Entry(
        kwargs=lambda w: {"uidb64": "MQ", "token": "abc-0123456789abcdef"}, get=PUBLIC
    ),
    "password_reset_complete": Entry(get=PUBLIC),
    # Second factor: office staff and admins, each for their own account only. Nobody owes a
    # code after force_login (tests/conftest.py), so the code page sends everyone on.
    "two_factor": Entry(get=OFFICE),
    "two_factor_setup": Entry(get=OFFICE),
    "two_factor_verify": Entry(get=E(LOGIN, *[REDIRECT] * 6)),
    "two_factor_backup_codes": Entry(get=OFFICE_POST_ONLY),
    # Office staff without a device are sent to the overview; admins may not switch it off.
    "two_factor_disable": Entry(get=E(LOGIN, 403, 403, 403, 403, REDIRECT, 403)),
    "password_change": Entry(get=LOGGED_IN),
    "password_change_done": Entry(get=LOGGED_IN),
    "organisation_pending": Entry(get=OFFICE),
    "organisation_approve": Entry(
        kwargs=lambda w: {"pk": w.pending_organisation.pk}, get=OFFICE_POST_ONLY
    ),
    "membership_approve": Entry(kwargs=lambda w: {"pk": w.pending_member.pk}, get=OFFICE_POST_ONLY),
    "membership_reject": Entry(kwargs=lambda w: {"pk": w.pending_member.pk}, get=OFFICE_POST_ONLY),
    # Directory: everybody logged in.
    "facilitator_directory": Entry(get=LOGGED_IN),
    "facilitator_detail": Entry(kwargs=lambda w: {"pk": w.facilitator.pk}, get=LOGGED_IN),
    # Anträge and vouchers.
    "vouchers:applicant_dashboard": Entry(get=E(LOGIN, 200, 200, 403, 403, 403, 403)),
    "vouchers:application_start": Entry(get=E(LOGIN, 200, 200, 403, 403, 403, 403)),
    "vouchers:application_create": Entry(
        kwargs=lambda w: {"programme": w.fresh_programme.slug},
        get=E(LOGIN, 200, 200, 403, 403, 403, 403),
    ),
    "vouchers:application_detail": Entry(kwargs=lambda w: {"pk": w.application.pk}, get=CASE),
    "vouchers:application_edit": Entry(
        kwargs=lambda w: {"pk": w.draft.pk}, get=E(LOGIN, 200, 404, 403, 403, 403, 403)
    ),
    "vouchers:application_withdraw": Entry(
        kwargs=lambda w: {"pk": w.submitted.pk}, get=E(LOGIN, 200, 404, 403, 403, 403, 403)
    ),
    "vouchers:application_decide": Entry(kwargs=lambda w: {"pk": w.submitted.pk}, get=OFFICE),
    "vouchers:queue": Entry(get=OFFICE),
    # Offers of freed places (issue 19): the offered organisation and the office.
    "vouchers:offer_detail": Entry(
        kwargs=lambda w: {"pk": w.offer.pk}, get=E(LOGIN, 200, 404, 403, 403, 200, 200)
    ),
    "vouchers:offer_accept": Entry(
        kwargs=lambda w: {"pk": w.offer.pk}, get=E(LOGIN, 405, 405, 403, 403, 403, 403)
    ),
    "vouchers:offer_decline": Entry(
        kwargs=lambda w: {"pk": w.offer.pk}, get=E(LOGIN, 405, 405, 403, 403, 403, 403)
    ),
    "vouchers:offer_free_place": Entry(
        kwargs=lambda w: {"programme": w.submitted.programme_id}, get=OFFICE_POST_ONLY
    ),
    "vouchers:voucher_cancel": Entry(
        kwargs=lambda w: {"pk": w.issued_voucher.pk}, get=E(LOGIN, 405, 405, 403, 403, 405, 405)
    ),
    # The allocation log: public only when the programme publishes it; else its office.
    "allocation_log:detail": Entry(
        kwargs=lambda w: {"programme": w.programme.slug}, get=E(404, 404, 404, 404, 404, 200, 200)
    ),
    "allocation_log:csv": Entry(
        kwargs=lambda w: {"programme": w.programme.slug}, get=E(404, 404, 404, 404, 404, 200, 200)
    ),
    "vouchers:confirm_flags": Entry(
        kwargs=lambda w: {"pk": w.organisation.pk}, get=OFFICE_POST_ONLY
    ),
    "vouchers:case_detail": Entry(kwargs=lambda w: {"pk": w.voucher.pk}, get=CASE),
    # POST only; the role is checked before the method, the object only on POST.
    "vouchers:follow_up": Entry(
        kwargs=lambda w: {"pk": w.closed_voucher.pk}, get=E(LOGIN, 405, 405, 403, 403, 403, 403)
    ),
    # Feedback: the form is public behind its signed link; the evaluation is office only.
    "feedback:thanks": Entry(get=PUBLIC),
    "feedback:form": Entry(kwargs=lambda w: {"token": w.feedback_token}, get=PUBLIC),
    "feedback:overview": Entry(get=OFFICE),
    "outbox": Entry(get=OFFICE),
    "inbox": Entry(get=OFFICE),
    # The sparring calendar (appointments): its POST endpoints answer GET with 405; who may
    # POST what is tested in tests/appointments (foreign slots and bookings are 404).
    "appointments:calendar": Entry(get=E(LOGIN, 200, 200, 200, 200, REDIRECT, REDIRECT)),
    "appointments:office": Entry(get=OFFICE),
    "appointments:office_csv": Entry(get=OFFICE),
    "appointments:feed": Entry(
        kwargs=lambda w: {"token": "kein-gueltiges-token"}, get=E(404, 404, 404, 404, 404, 404, 404)
    ),
    "appointments:book": Entry(kwargs=lambda w: {"pk": 1}, get=POST_ONLY),
    "appointments:withdraw": Entry(kwargs=lambda w: {"pk": 1}, get=POST_ONLY),
    "appointments:publish": Entry(get=POST_ONLY),
    "appointments:publish_series": Entry(get=POST_ONLY),
    "appointments:settings": Entry(get=POST_ONLY),
    "appointments:cancel": Entry(kwargs=lambda w: {"pk": 1}, get=POST_ONLY),
    "appointments:reschedule": Entry(kwargs=lambda w: {"pk": 1}, get=POST_ONLY),
    "appointments:held": Entry(kwargs=lambda w: {"pk": 1}, get=POST_ONLY),
    "appointments:no_show": Entry(kwargs=lambda w: {"pk": 1}, get=POST_ONLY),
    "appointments:renew_feed": Entry(get=POST_ONLY),
    # Process work (programme_work). The world's cases are vouchers (no plan): their plan is
    # a 404 for everyone; plans of accompanied processes, foreign facilitators, other
    # organisations and other operators are tested in tests/programme_work (404).
    "programme_work:plan": Entry(
        kwargs=lambda w: {"pk": w.voucher.pk}, get=E(LOGIN, 404, 404, 404, 404, 404, 404)
    ),
    "programme_work:milestone_edit": Entry(
        kwargs=lambda w: {"pk": 999999}, get=E(LOGIN, 403, 403, 404, 404, 404, 404)
    ),
    "programme_work:milestone_done": Entry(
        kwargs=lambda w: {"pk": 999999}, get=E(LOGIN, 403, 403, 404, 404, 404, 404)
    ),
    "programme_work:milestone_drop": Entry(
        kwargs=lambda w: {"pk": 999999}, get=E(LOGIN, 403, 403, 404, 404, 404, 404)
    ),
    "programme_work:milestone_move": Entry(
        kwargs=lambda w: {"pk": 999999}, get=E(LOGIN, 403, 403, 405, 405, 405, 405)
    ),
    "programme_work:member_delete": Entry(
        kwargs=lambda w: {"pk": 999999}, get=E(LOGIN, 405, 405, 405, 405, 405, 405)
    ),
    "programme_work:progress": Entry(get=OFFICE),
    "programme_work:attendance": Entry(kwargs=lambda w: {"pk": w.programme.pk}, get=OFFICE),
    "programme_work:prerequisites": Entry(
        kwargs=lambda w: {"pk": w.application.pk}, get=E(LOGIN, 404, 404, 403, 403, 403, 403)
    ),
    "programme_work:decision_file": Entry(
        kwargs=lambda w: {"pk": 999999}, get=E(LOGIN, 404, 404, 403, 403, 404, 404)
    ),
    "programme_work:events": Entry(get=LOGGED_IN),
    "programme_work:event_create": Entry(get=OFFICE),
    "programme_work:event_detail": Entry(
        kwargs=lambda w: {"pk": 999999}, get=E(LOGIN, 404, 404, 404, 404, 404, 404)
    ),
    "outbox_resend": Entry(kwargs=lambda w: {"pk": 1}, get=OFFICE_POST_ONLY),
    "feedback:programme": Entry(kwargs=lambda w: {"slug": w.programme.slug}, get=OFFICE),
    "feedback:facilitator": Entry(
        kwargs=lambda w: {"slug": w.programme.slug, "pk": w.facilitator.pk}, get=OFFICE
    ),
    "feedback:voucher": Entry(kwargs=lambda w: {"pk": w.closed_voucher.pk}, get=OFFICE),
    # Session log.
    "sessions_log:dashboard": Entry(get=E(LOGIN, 403, 403, 200, 200, REDIRECT, REDIRECT)),
    "sessions_log:office_list": Entry(get=OFFICE),
    "sessions_log:voucher_sessions": Entry(kwargs=_voucher, get=CASE),
    "sessions_log:session_add": Entry(kwargs=_voucher, get=E(LOGIN, 403, 403, 200, 404, 200, 200)),
    "sessions_log:remaining_preview": Entry(
        kwargs=_voucher, get=E(LOGIN, 403, 403, 200, 404, 200, 200), query="minutes=60"
    ),
    "sessions_log:request_closing": Entry(
        kwargs=_voucher, get=E(LOGIN, 403, 403, 200, 404, 403, 403)
    ),
    "sessions_log:close": Entry(kwargs=_voucher, get=OFFICE),
    "sessions_log:session_edit": Entry(
        kwargs=lambda w: {"pk": w.entry.pk}, get=E(LOGIN, 403, 403, 200, 404, 200, 200)
    ),
    "sessions_log:session_delete": Entry(
        kwargs=lambda w: {"pk": w.entry.pk}, get=E(LOGIN, 403, 403, 200, 404, 200, 200)
    ),
    # Two-sided hours (issue 17): the world's entry is pending, so no dispute to resolve.
    "sessions_log:confirm_hours": Entry(get=E(LOGIN, 200, 200, 403, 403, 403, 403)),
    "sessions_log:dispute_entry": Entry(
        kwargs=lambda w: {"pk": w.entry.pk}, get=E(LOGIN, 200, 404, 403, 403, 403, 403)
    ),
    "sessions_log:resolve_dispute": Entry(
        kwargs=lambda w: {"pk": w.entry.pk}, get=E(LOGIN, 403, 403, 403, 403, 404, 404)
    ),
    # Proof of use and audit folder (issue 17); the world has no proof of use yet.
    "agreements:audit_folder": Entry(kwargs=_voucher, get=OFFICE),
    "agreements:proof_of_use_generate": Entry(kwargs=_voucher, get=OFFICE_POST_ONLY),
    "agreements:closing_statement": Entry(
        kwargs=_voucher, get=E(LOGIN, 200, 404, 403, 403, 403, 403)
    ),
    "agreements:proof_of_use_download": Entry(
        kwargs=lambda w: {"pk": 987654}, get=E(LOGIN, 404, 404, 404, 404, 404, 404)
    ),
    "agreements:proof_of_use_accept": Entry(kwargs=lambda w: {"pk": 987654}, get=OFFICE_POST_ONLY),
    # Agreements.
    "agreements:detail": Entry(kwargs=_voucher, get=CASE),
    "agreements:generate": Entry(kwargs=_voucher, get=OFFICE_POST_ONLY),
    "agreements:upload": Entry(
        kwargs=lambda w: {"voucher_pk": w.issued_voucher.pk},
        get=E(LOGIN, 200, 404, 403, 403, 403, 403),
    ),
    "agreements:paper": Entry(kwargs=lambda w: {"voucher_pk": w.issued_voucher.pk}, get=OFFICE),
    "agreements:download": Entry(kwargs=lambda w: {"pk": w.version.pk}, get=CASE),
    # Facilitators do not need the partner's signed scan.
    "agreements:signed_download": Entry(
        kwargs=lambda w: {"pk": w.signed.pk}, get=E(LOGIN, 200, 404, 404, 404, 200, 200)
    ),
    "agreements:confirm": Entry(kwargs=lambda w: {"pk": w.signed.pk}, get=OFFICE_POST_ONLY),
    "agreements:reject": Entry(kwargs=lambda w: {"pk": w.signed.pk}, get=OFFICE),
    "agreements:pending": Entry(get=OFFICE),
    "agreements:regenerate": Entry(get=OFFICE),
    "agreements:regeneration": Entry(kwargs=lambda w: {"pk": w.regeneration.pk}, get=OFFICE),
    "agreements:regeneration_resume": Entry(
        kwargs=lambda w: {"pk": w.regeneration.pk}, get=OFFICE_POST_ONLY
    ),
    # Reports (office and admin); the GDPR tools are for admins only.
    "reports:dashboard": Entry(get=OFFICE),
    "reports:funder_report": Entry(get=OFFICE),
    "reports:report_list": Entry(kwargs=lambda w: {"report": "gutscheine"}, get=OFFICE),
    "reports:export": Entry(
        kwargs=lambda w: {"report": "gutscheine", "file_format": "csv"}, get=OFFICE
    ),
    "reports:export_job": Entry(kwargs=lambda w: {"uuid": w.export_job.uuid}, get=OFFICE),
    "reports:export_download": Entry(kwargs=lambda w: {"uuid": w.export_job.uuid}, get=OFFICE),
    "reports:utilisation": Entry(get=OFFICE),
    "reports:my_utilisation": Entry(get=E(LOGIN, 403, 403, 200, 200, 403, 403)),
    "reports:facilitator_utilisation": Entry(
        kwargs=lambda w: {"pk": w.facilitator.pk}, get=E(LOGIN, 403, 403, 200, 404, 200, 200)
    ),
    "reports:gdpr": Entry(get=ADMIN),
    "reports:gdpr_export": Entry(kwargs=lambda w: {"pk": w.pending_member.pk}, get=ADMIN),
    "reports:gdpr_anonymise": Entry(kwargs=lambda w: {"pk": w.pending_member.pk}, get=ADMIN),
    # Django admin index: staff only; everybody else is sent to the admin's login.
    "admin:index": Entry(get=E(LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, LOGIN, 200)),
}

LOGIN_PATHS = ("/konto/anmelden/", "/admin/login/")
# Inline script (without src, and not a JSON data block) and inline style attributes: the
# CSP forbids them, so no page may contain one.
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)(?![^>]*application/(?:ld\+)?json)[^>]*>", re.I)
INLINE_STYLE = re.compile(r"<style\b|\sstyle\s*=", re.I)


def observed(response) -> object:
    """The response as a matrix cell."""
    status = response.status_code
    if status in (301, 302):
        location = response["Location"]
        return LOGIN if location.startswith(LOGIN_PATHS) else REDIRECT
    return status


def url_for(name: str, entry: Entry, world: World) -> str:
    url = reverse(name, kwargs=entry.kwargs(world))
    return f"{url}?{entry.query}" if entry.query else url


def check_role(client, world: World, role: str, names, matrix=None) -> list[str]:
    """GET every URL as ``role``; the list of cells that differ from the table (empty when
    all hold), plus pages that contain inline script or style."""
    matrix = GET_MATRIX if matrix is None else matrix
    client.logout()
    if world.user(role) is not None:
        client.force_login(world.user(role))
    problems = []
    for name in names:
        entry = matrix.get(name)
        if entry is None:
            problems.append(f"{name}: no entry in the matrix")
            continue
        url = url_for(name, entry, world)
        response = client.get(url)
        if response.streaming:  # read to the end, which closes the served file
            b"".join(response.streaming_content)
        got, expected = observed(response), entry.get[role]
        if got != expected:
            problems.append(f"{name} as {role}: expected {expected}, got {got} ({url})")
        if response.status_code == 200 and "text/html" in response.get("Content-Type", ""):
            text = response.content.decode()
            for pattern in (INLINE_SCRIPT, INLINE_STYLE):
                if match := pattern.search(text):
                    problems.append(f"{name} as {role}: inline {match.group(0)!r} on the page")
    return problems


# --- POST ---------------------------------------------------------------------------------

OK = "allowed"

# Views that take POST but are not about permissions on the portal's data, with the reason.
POST_EXEMPT = {
    "appointments:book": "sparring calendar; roles and foreign objects in tests/appointments",
    "appointments:withdraw": "sparring calendar; roles and foreign objects in tests/appointments",
    "appointments:publish": "sparring calendar; roles and foreign objects in tests/appointments",
    "appointments:publish_series": "sparring calendar; roles and foreign objects in tests/appointments",
    "appointments:settings": "sparring calendar; roles and foreign objects in tests/appointments",
    "appointments:cancel": "sparring calendar; roles and foreign objects in tests/appointments",
    "appointments:reschedule": "sparring calendar; roles and foreign objects in tests/appointments",
    "appointments:held": "sparring calendar; roles and foreign objects in tests/appointments",
    "appointments:no_show": "sparring calendar; roles and foreign objects in tests/appointments",
    "appointments:renew_feed": "sparring calendar; roles and foreign objects in tests/appointments",
    "programme_work:plan": "process work; roles and foreign objects in tests/programme_work",
    "programme_work:milestone_edit": "process work; roles and foreign objects in tests/programme_work",
    "programme_work:milestone_done": "process work; roles and foreign objects in tests/programme_work",
    "programme_work:milestone_drop": "process work; roles and foreign objects in tests/programme_work",
    "programme_work:milestone_move": "process work; roles and foreign objects in tests/programme_work",
    "programme_work:member_delete": "process work; roles and foreign objects in tests/programme_work",
    "programme_work:prerequisites": "process work; roles and foreign objects in tests/programme_work",
    "programme_work:event_create": "process work; roles and foreign objects in tests/programme_work",
    "programme_work:event_detail": "process work; roles and foreign objects in tests/programme_work",
    "sessions_log:confirm_hours": "two-sided hours; stranger → 404, nothing changes "
    "(tests/sessions_log/test_confirmation_views.py, test_confirmation.py)",
    "sessions_log:dispute_entry": "two-sided hours; stranger → 404 "
    "(tests/sessions_log/test_confirmation_views.py)",
    "sessions_log:resolve_dispute": "office of the operator only; other operator → 404 "
    "(tests/sessions_log/test_confirmation_views.py, test_confirmation.py)",
    "agreements:proof_of_use_generate": "office of the operator only "
    "(tests/agreements/test_proof_of_use.py)",
    "agreements:proof_of_use_accept": "office of the operator only "
    "(tests/agreements/test_proof_of_use.py)",
    "agreements:closing_statement": "members of the organisation only, once "
    "(tests/agreements/test_proof_of_use.py)",
    "outbox_resend": "office resend of an uncertain email; its own operator only "
    "(tests/feedback/test_smtp_at_most_once.py)",
    "login": "public login form (throttled by django-axes, see test_login_security)",
    "logout": "ends the caller's own session only",
    "register": "public self-registration (anonymous only)",
    "password_reset": "public; throttled and without enumeration (test_login_security)",
    "password_reset_confirm": "protected by the signed one-time token in the URL",
    "feedback:form": "no login by design: the signed single-use link is the credential",
    "two_factor_setup": "the caller's own second factor only; needs a code from the app "
    "(test_two_factor)",
    "two_factor_verify": "the caller's own login only; needs a code from the app (test_two_factor)",
    "two_factor_disable": "the caller's own second factor only; needs a current code "
    "(test_two_factor)",
}
# Function views that accept any method but change nothing.
FUNCTION_VIEWS_WITHOUT_STATE_CHANGE = {
    "home": "redirects each role to its dashboard",
    "admin:index": "Django admin index (read-only page; staff only)",
    "healthz": "liveness probe: answers, reads nothing",
    "metrics": "Prometheus metrics, token or allowed address only",
}


def _session_data(w: World) -> dict:
    return {
        "facilitator": w.facilitator.pk,  # asked from office staff only
        "date": (timezone.localdate() - dt.timedelta(days=2)).isoformat(),
        "minutes": "60",
        "activity": "workshop",
        "format": "vor_ort",
        "notes": "Zwischenstand besprochen.",
    }


def _pdf_upload(w: World) -> dict:
    return {"file": SimpleUploadedFile("scan.pdf", MINIMAL_PDF, content_type="application/pdf")}


@dataclass
class PostEntry:
    kwargs: Callable[[World], dict]
    data: Callable[[World], dict]
    expect: dict  # per role: OK, or the refusal (LOGIN, 403, 404)
    control: str  # the role whose POST must change the database (proves the data is valid)


def P(anonymous, applicant, other_applicant, facilitator, other_facilitator, office, admin):
    return E(anonymous, applicant, other_applicant, facilitator, other_facilitator, office, admin)


OFFICE_P = P(LOGIN, 403, 403, 403, 403, OK, OK)
OWN_APPLICANT_P = P(LOGIN, OK, 404, 403, 403, 403, 403)
LOGGING_P = P(LOGIN, 403, 403, OK, 404, OK, OK)

POST_MATRIX: dict[str, PostEntry] = {
    "password_change": PostEntry(
        kwargs=lambda w: {},
        data=lambda w: {
            "old_password": TEST_PASSWORD,
            "new_password1": "Ein-ganz-neues-Passwort-2027",
            "new_password2": "Ein-ganz-neues-Passwort-2027",
        },
        expect=P(LOGIN, OK, OK, OK, OK, OK, OK),
        control="applicant",
    ),
    "organisation_approve": PostEntry(
        kwargs=lambda w: {"pk": w.pending_organisation.pk},
        data=lambda w: {},
        expect=OFFICE_P,
        control="office",
    ),
    "membership_approve": PostEntry(
        kwargs=lambda w: {"pk": w.pending_member.pk},
        data=lambda w: {},
        expect=OFFICE_P,
        control="office",
    ),
    "membership_reject": PostEntry(
        kwargs=lambda w: {"pk": w.pending_member.pk},
        data=lambda w: {"reason": "Nicht bekannt."},
        expect=OFFICE_P,
        control="office",
    ),
    "facilitator_detail": PostEntry(
        kwargs=lambda w: {"pk": w.facilitator.pk},
        data=lambda w: {"subject": "Anfrage", "message": "Hätten Sie im März Zeit?"},
        expect=P(LOGIN, OK, OK, OK, OK, OK, OK),
        control="applicant",
    ),
    "vouchers:application_create": PostEntry(
        kwargs=lambda w: {"programme": w.fresh_programme.slug},
        data=lambda w: {
            "action": "save",
            "challenge": "Die Kerngruppe ist überlastet.",
            "contact_name": "Erika Mustermann",
            "contact_email": "erika@example.org",
        },
        expect=P(LOGIN, OK, OK, 403, 403, 403, 403),
        control="applicant",
    ),
    "vouchers:application_edit": PostEntry(
        kwargs=lambda w: {"pk": w.draft.pk},
        data=lambda w: {
            "action": "save",
            "challenge": "Geändert: neue Ausgangslage.",
            "contact_name": "Erika Mustermann",
            "contact_email": "erika@example.org",
        },
        expect=OWN_APPLICANT_P,
        control="applicant",
    ),
    "vouchers:application_withdraw": PostEntry(
        kwargs=lambda w: {"pk": w.submitted.pk},
        data=lambda w: {"reason": "Hat sich erledigt."},
        expect=OWN_APPLICANT_P,
        control="applicant",
    ),
    "vouchers:application_decide": PostEntry(
        kwargs=lambda w: {"pk": w.submitted.pk},
        data=lambda w: {"action": "reject", "reject-reason": "Nicht förderfähig."},
        expect=OFFICE_P,
        control="office",
    ),
    "vouchers:confirm_flags": PostEntry(
        kwargs=lambda w: {"pk": w.organisation.pk},
        data=lambda w: {"structurally_weak": "on", "rural": "on"},
        expect=OFFICE_P,
        control="office",
    ),
    "vouchers:offer_accept": PostEntry(
        kwargs=lambda w: {"pk": w.offer.pk},
        data=lambda w: {},
        expect=OWN_APPLICANT_P,
        control="applicant",
    ),
    "vouchers:offer_decline": PostEntry(
        kwargs=lambda w: {"pk": w.offer.pk},
        data=lambda w: {},
        expect=OWN_APPLICANT_P,
        control="applicant",
    ),
    "vouchers:offer_free_place": PostEntry(
        kwargs=lambda w: {"programme": w.submitted.programme_id},
        data=lambda w: {},
        expect=OFFICE_P,
        control="office",
    ),
    "vouchers:voucher_cancel": PostEntry(
        kwargs=lambda w: {"pk": w.issued_voucher.pk},
        data=lambda w: {"reason": "Die Stadt verzichtet."},
        expect=P(LOGIN, OK, 404, 403, 403, OK, OK),
        control="office",
    ),
    "vouchers:follow_up": PostEntry(
        kwargs=lambda w: {"pk": w.closed_voucher.pk},
        data=lambda w: {},
        expect=OWN_APPLICANT_P,
        control="applicant",
    ),
    "sessions_log:session_add": PostEntry(
        kwargs=_voucher, data=_session_data, expect=LOGGING_P, control="facilitator"
    ),
    "sessions_log:request_closing": PostEntry(
        kwargs=_voucher,
        data=lambda w: {"report": "Leitbild steht, Steuergruppe arbeitet."},
        expect=P(LOGIN, 403, 403, OK, 404, 403, 403),
        control="facilitator",
    ),
    "sessions_log:close": PostEntry(
        kwargs=_voucher,
        data=lambda w: {"report": "Abgeschlossen."},
        expect=OFFICE_P,
        control="office",
    ),
    "sessions_log:session_edit": PostEntry(
        kwargs=lambda w: {"pk": w.entry.pk},
        data=lambda w: {**_session_data(w), "minutes": "120"},
        expect=LOGGING_P,
        control="facilitator",
    ),
    "sessions_log:session_delete": PostEntry(
        kwargs=lambda w: {"pk": w.entry.pk},
        data=lambda w: {},
        expect=LOGGING_P,
        control="facilitator",
    ),
    "agreements:generate": PostEntry(
        kwargs=_voucher, data=lambda w: {}, expect=OFFICE_P, control="office"
    ),
    "agreements:upload": PostEntry(
        kwargs=lambda w: {"voucher_pk": w.issued_voucher.pk},
        data=_pdf_upload,
        expect=OWN_APPLICANT_P,
        control="applicant",
    ),
    "agreements:paper": PostEntry(
        kwargs=lambda w: {"voucher_pk": w.issued_voucher.pk},
        data=lambda w: {"note": "Original per Post am 12.03. eingegangen."},
        expect=OFFICE_P,
        control="office",
    ),
    "agreements:confirm": PostEntry(
        kwargs=lambda w: {"pk": w.signed.pk}, data=lambda w: {}, expect=OFFICE_P, control="office"
    ),
    "agreements:reject": PostEntry(
        kwargs=lambda w: {"pk": w.signed.pk},
        data=lambda w: {"reason": "Unterschrift fehlt auf Seite 3."},
        expect=OFFICE_P,
        control="office",
    ),
    "agreements:regenerate": PostEntry(
        kwargs=lambda w: {},
        data=lambda w: {"programme": w.programme.pk},
        expect=OFFICE_P,
        control="office",
    ),
    "agreements:regeneration_resume": PostEntry(
        kwargs=lambda w: {"pk": w.regeneration.pk},
        data=lambda w: {},
        expect=OFFICE_P,
        control="office",
    ),
    "two_factor_backup_codes": PostEntry(
        kwargs=lambda w: {}, data=lambda w: {}, expect=OFFICE_P, control="admin"
    ),
    "reports:gdpr_anonymise": PostEntry(
        kwargs=lambda w: {"pk": w.pending_member.pk},
        data=lambda w: {"confirm": "yes"},
        expect=P(LOGIN, 403, 403, 403, 403, 403, OK),
        control="admin",
    ),
}


def post_url_names() -> list[str]:
    """Every URL whose view accepts POST (class-based views that define ``post``)."""
    return sorted(
        {name for name, callback in walk() if not is_excluded(name) and accepts_post(callback)}
    )


# --- A second operator (issue 14) ------------------------------------------------------------
# Every object of the world belongs to the first operator's programmes. Office staff of a
# second operator get a 404 on every id route that office staff of the first operator may
# open (200), and the same answer as those staff elsewhere (403, 405, a page without the first
# operator's data). The routes below point at things shared by all operators (organisations,
# facilitators, a report's key, a signed link) or at nothing of a programme.
SHARED_ROUTES = {
    "password_reset_confirm": "a token, no programme",
    "facilitator_detail": "facilitators are shared by all operators",
    "reports:facilitator_utilisation": "facilitators are shared by all operators",
    "reports:report_list": "a report's key; the rows are scoped (test_operator_scoping)",
    "reports:export": "a report's key; the rows are scoped (test_operator_scoping)",
    "feedback:form": "the signed single-use link is the credential",
    "organisation_approve": "any office confirms an organisation's registration",
    "membership_approve": "any office confirms an organisation's members",
    "membership_reject": "any office confirms an organisation's members",
    "vouchers:confirm_flags": "region flags are facts about the organisation",
}


# The caller's own things: answered for the caller, whatever the operator.
OWN_ROUTES = {
    "password_change": "the caller's own password",
    "two_factor_backup_codes": "the caller's own second factor",
    "reports:export_job": "an export belongs to the person who started it (404 for others)",
    "reports:export_download": "an export belongs to the person who started it",
}
# POSTs whose form offers only the caller's own programmes: another operator's programme is
# not a valid choice (400, the form with its error), nothing changes.
FORM_CHOICE_REFUSED = {"agreements:regenerate": 400}


def other_operator_expectation(name: str, entry: Entry, world: World) -> object:
    """What office staff of the second operator must get for ``name``."""
    office = entry.get["office"]
    if name in SHARED_ROUTES or name in OWN_ROUTES or office != 200 or not entry.kwargs(world):
        return 404 if name in OWN_ROUTES and entry.kwargs(world) else office
    return 404


def other_operator_post_expectation(name: str, entry: PostEntry) -> object:
    office = entry.expect["office"]
    if name in SHARED_ROUTES or name in OWN_ROUTES or office != OK:
        return office
    return FORM_CHOICE_REFUSED.get(name, 404)
