"""Role × URL matrix (issue 8, acceptance 1): every URL pattern of the project, for the seven
roles, answers as the table in ``matrix.py`` says — an object of another tenant is a 404,
never a 403 or a 200. A URL without an entry fails the test. The same for POST: refused
state changes leave the database and the outbox unchanged; the allowed role's POST with the
same data does change it (so the refusals are not vacuous)."""

from __future__ import annotations

import pytest
from django.core import mail
from django.http import HttpResponse
from django.urls import include, path, reverse

from tests.security.conftest import changed_tables, fingerprint
from tests.security.matrix import (
    FUNCTION_VIEWS_WITHOUT_STATE_CHANGE,
    GET_MATRIX,
    LOGIN,
    OK,
    OWN_ROUTES,
    POST_EXEMPT,
    POST_MATRIX,
    E,
    Entry,
    check_role,
    observed,
    other_operator_expectation,
    other_operator_post_expectation,
    post_url_names,
    url_for,
    url_names,
    walk,
)
from tests.security.world import ROLES

pytestmark = pytest.mark.django_db


def test_every_url_pattern_has_an_entry():
    names = url_names()
    assert len(names) > 60  # the walk really went through every include()
    missing = [name for name in names if name not in GET_MATRIX]
    assert missing == [], f"URLs without an entry in the matrix: {missing}"
    stale = sorted(set(GET_MATRIX) - set(names))
    assert stale == [], f"matrix entries for URLs that no longer exist: {stale}"


def test_every_post_endpoint_is_in_the_post_matrix_or_exempt_with_a_reason():
    names = post_url_names()
    unclassified = [n for n in names if n not in POST_MATRIX and n not in POST_EXEMPT]
    assert unclassified == [], f"POST endpoints without an entry: {unclassified}"
    function_views = sorted(
        name
        for name, callback in walk()
        if name in GET_MATRIX and not hasattr(callback, "view_class")
    )
    assert function_views == sorted(FUNCTION_VIEWS_WITHOUT_STATE_CHANGE)


@pytest.mark.parametrize("role", ROLES)
def test_get_matrix(client, world, role):
    problems = check_role(client, world, role, url_names())
    assert problems == [], "\n".join(problems)


# --- The matrix really catches an unprotected page ---------------------------------------


def unprotected_view(request, pk):
    return HttpResponse(f"Gutschein {pk}: alles offen")


urlpatterns = [
    path("", include("portal.urls")),
    path("test-only/offen/<int:pk>/", unprotected_view, name="unprotected_test_view"),
]


@pytest.mark.urls(__name__)
def test_a_new_url_without_an_entry_is_reported():
    assert "unprotected_test_view" in url_names()
    assert "unprotected_test_view" not in GET_MATRIX


@pytest.mark.urls(__name__)
def test_an_unprotected_view_fails_the_matrix(client, world):
    """Listed as if it were a case page, the open view fails for anonymous users and for
    the other tenant: they get 200 where a login redirect or a 404 is due."""
    matrix = {
        "unprotected_test_view": Entry(
            kwargs=lambda w: {"pk": w.voucher.pk}, get=E(LOGIN, 200, 404, 200, 404, 200, 200)
        )
    }
    anonymous = check_role(client, world, "anonymous", ["unprotected_test_view"], matrix)
    foreign = check_role(client, world, "other_applicant", ["unprotected_test_view"], matrix)
    assert anonymous == [
        f"unprotected_test_view as anonymous: expected login, got 200 "
        f"(/test-only/offen/{world.voucher.pk}/)"
    ]
    assert len(foreign) == 1
    assert "expected 404, got 200" in foreign[0]


# --- POST ------------------------------------------------------------------------------


def test_refused_posts_change_nothing(client, world):
    """Every unauthorised role's POST is refused (login redirect, 403 or 404) and leaves
    every table and the outbox as they were."""
    problems = []
    for role in ROLES:
        client.logout()
        if world.user(role) is not None:
            client.force_login(world.user(role))
        for name, entry in POST_MATRIX.items():
            expected = entry.expect[role]
            if expected == OK:
                continue
            url = reverse(name, kwargs=entry.kwargs(world))
            before, sent = fingerprint(), len(mail.outbox)
            response = client.post(url, entry.data(world))
            got = observed(response)
            if got != expected:
                problems.append(f"POST {name} as {role}: expected {expected}, got {got}")
            changed = changed_tables(before, fingerprint())
            if changed:
                problems.append(f"POST {name} as {role} changed {changed}")
            if len(mail.outbox) != sent:
                problems.append(f"POST {name} as {role} sent an email")
    assert problems == [], "\n".join(problems)


@pytest.mark.parametrize("name", sorted(POST_MATRIX))
def test_allowed_post_with_the_same_data_changes_the_database(client, world, name):
    """The positive control: the data of the refused POSTs is valid, so a missing check
    would have shown up as a change."""
    entry = POST_MATRIX[name]
    assert entry.expect[entry.control] == OK
    client.force_login(world.user(entry.control))
    before = fingerprint()
    response = client.post(reverse(name, kwargs=entry.kwargs(world)), entry.data(world))
    assert response.status_code in (200, 302), response.content.decode()[:2000]
    assert changed_tables(before, fingerprint()), f"POST {name} changed nothing"


# --- A second operator (issue 14) ----------------------------------------------------------


def test_office_of_another_operator_gets_404_on_every_id_route(client, world):
    """Every id route of the first operator's programmes answers 404 to office staff of the
    second operator; list pages open but show none of the first operator's cases."""
    client.force_login(world.user("other_operator_office"))
    problems, checked = [], 0
    for name, entry in GET_MATRIX.items():
        expected = other_operator_expectation(name, entry, world)
        checked += expected == 404
        response = client.get(url_for(name, entry, world))
        if response.streaming:
            b"".join(response.streaming_content)
        got = observed(response)
        if got != expected:
            problems.append(f"{name}: expected {expected}, got {got}")
        elif got == 200 and "text/html" in response.get("Content-Type", ""):
            text = response.content.decode()
            for code in (world.voucher.code, world.issued_voucher.code):
                if code in text:
                    problems.append(f"{name}: shows {code} of the first operator")
    assert checked >= 20  # the id routes of cases, Anträge, agreements, sessions, feedback
    assert problems == [], "\n".join(problems)


def test_office_of_both_operators_and_admins_open_every_id_route(client, world):
    for role, expected_of in (("both_operators_office", "office"), ("admin", "admin")):
        client.force_login(world.user(role))
        problems = []
        for name, entry in GET_MATRIX.items():
            response = client.get(url_for(name, entry, world))
            if response.streaming:
                b"".join(response.streaming_content)
            expected = entry.get[expected_of]
            if name in OWN_ROUTES and entry.kwargs(world) and role != "admin":
                expected = 404  # the first office user's export, not this one's
            if observed(response) != expected:
                problems.append(f"{name} as {role}: got {observed(response)}")
        assert problems == [], "\n".join(problems)
    # And the second operator's case is theirs too, not the first operator's staff's.
    url = reverse("vouchers:case_detail", args=[world.other_voucher.pk])
    client.force_login(world.user("both_operators_office"))
    assert client.get(url).status_code == 200
    client.force_login(world.user("office"))
    assert client.get(url).status_code == 404


def test_refused_posts_of_another_operator_change_nothing(client, world):
    client.force_login(world.user("other_operator_office"))
    problems = []
    for name, entry in POST_MATRIX.items():
        expected = other_operator_post_expectation(name, entry)
        if expected == OK:
            continue
        before, sent = fingerprint(), len(mail.outbox)
        response = client.post(reverse(name, kwargs=entry.kwargs(world)), entry.data(world))
        if observed(response) != expected:
            problems.append(f"POST {name}: expected {expected}, got {observed(response)}")
        if changed := changed_tables(before, fingerprint()):
            problems.append(f"POST {name} changed {changed}")
        if len(mail.outbox) != sent:
            problems.append(f"POST {name} sent an email")
    assert problems == [], "\n".join(problems)
