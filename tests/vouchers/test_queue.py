"""Rule 1: the ranked queue, computed in the database."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from django.conf import settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from portal.models import Topic
from tests.factories import (
    ApplicationFactory,
    OrganisationFactory,
    ProgrammeFactory,
    VoucherFactory,
)
from vouchers import services
from vouchers.models import Application
from vouchers.services.queue import annotate_rank

pytestmark = pytest.mark.django_db


def _app(
    programme,
    minutes_ago,
    *,
    weak=False,
    rural=False,
    confirmed=False,
    had_voucher=None,
    status="submitted",
):
    org = OrganisationFactory(structurally_weak=weak, rural=rural, flags_confirmed=confirmed)
    if had_voucher:
        VoucherFactory(organisation=org, programme=programme, status=had_voucher)
    return ApplicationFactory(
        organisation=org,
        programme=programme,
        status=status,
        submitted_at=timezone.now() - dt.timedelta(minutes=minutes_ago),
    )


def test_tiers_and_order(programme):
    tier4_old = _app(programme, 500, had_voucher="closed")
    tier3 = _app(programme, 400, rural=True, confirmed=True, had_voucher="closed")
    tier2_late = _app(programme, 100)
    tier1_late = _app(programme, 50, weak=True)
    tier2_early = _app(programme, 300)
    tier1_early = _app(programme, 200, rural=True, confirmed=True)
    queue = list(services.ranked_queue(programme))
    assert queue == [tier1_early, tier1_late, tier2_early, tier2_late, tier3, tier4_old]
    assert [a.tier for a in queue] == [1, 1, 2, 2, 3, 4]


def test_rank_reasons(programme):
    weak_unconfirmed = _app(programme, 10, weak=True)
    rural_unconfirmed = _app(programme, 9, rural=True)
    both_confirmed = _app(programme, 8, weak=True, rural=True, confirmed=True)
    plain = _app(programme, 7)
    follow_up_weak = _app(programme, 6, weak=True, confirmed=True, had_voucher="closed")
    follow_up = _app(programme, 5, had_voucher="feedback_received")
    reasons = {a.pk: a.rank_reason for a in services.ranked_queue(programme)}
    assert (
        reasons[weak_unconfirmed.pk] == "Erstantrag · strukturschwach · Regionsangaben unbestätigt"
    )
    assert reasons[rural_unconfirmed.pk] == "Erstantrag · ländlich · Regionsangaben unbestätigt"
    assert reasons[both_confirmed.pk] == "Erstantrag · strukturschwach · ländlich"
    assert reasons[plain.pk] == "Erstantrag"
    assert reasons[follow_up_weak.pk] == "Folgeantrag · strukturschwach"
    assert reasons[follow_up.pk] == "Folgeantrag"


def test_unconfirmed_declared_flags_count_until_corrected(programme, office_user):
    declared = _app(programme, 100, rural=True)
    plain = _app(programme, 200)
    assert list(services.ranked_queue(programme)) == [declared, plain]
    services.confirm_region_flags(
        declared.organisation, by=office_user, structurally_weak=False, rural=False
    )
    queue = list(services.ranked_queue(programme))
    assert queue == [plain, declared]  # both tier 2 now, first come first served
    assert queue[1].rank_reason == "Erstantrag"


def test_cancelled_voucher_keeps_first_time(programme):
    application = _app(programme, 10, rural=True, had_voucher="cancelled")
    assert services.ranked_queue(programme).get().tier == 1
    assert application.pk == services.ranked_queue(programme).get().pk


def test_voucher_in_other_programme_keeps_first_time(programme):
    application = _app(programme, 10)
    VoucherFactory(organisation=application.organisation, status="closed")
    assert services.ranked_queue(programme).get().tier == 2


def test_only_open_applications_of_the_programme(programme):
    open_ones = [_app(programme, 10, status=s) for s in ("submitted", "in_review", "waitlisted")]
    for status in ("approved", "rejected", "withdrawn"):
        _app(programme, 5, status=status)
    ApplicationFactory(status="draft", programme=programme)
    _app(ProgrammeFactory(), 1)
    assert set(services.ranked_queue(programme)) == set(open_ones)


def test_ties_broken_by_pk(programme):
    moment = timezone.now()
    first = ApplicationFactory(programme=programme, submitted_at=moment)
    second = ApplicationFactory(programme=programme, submitted_at=moment)
    assert list(services.ranked_queue(programme)) == [first, second]


def test_one_query_with_annotations(programme):
    for i in range(5):
        _app(programme, i, rural=bool(i % 2))
    with CaptureQueriesContext(connection) as ctx:
        rows = [
            (a.tier, a.rank_reason, a.organisation.name, a.waiting)
            for a in services.ranked_queue(programme)
        ]
    assert len(ctx.captured_queries) == 1
    assert len(rows) == 5
    sql = ctx.captured_queries[0]["sql"].upper()
    assert "EXISTS" in sql
    assert "CASE" in sql
    assert "ORDER BY" in sql


def test_waiting_time(programme):
    _app(programme, 60 * 24 * 3 + 5)
    assert services.ranked_queue(programme).get().waiting.days == 3


def test_contingent_status(programme):
    period = programme.current_period()
    VoucherFactory(programme=programme, status="issued")
    VoucherFactory(programme=programme, status="closed")
    VoucherFactory(programme=programme, status="cancelled")
    status = services.contingent_status(programme)
    assert (status.period, status.used, status.total, status.left) == (period, 2, 40, 38)


# --- the rank in one EXISTS, the explaining fields filled in as rows are read -------------
def test_voucher_exists_evaluated_once_per_row(programme):
    sql = str(services.ranked_queue(programme).query).upper()
    assert sql.count("EXISTS") == 1
    assert "RANK_REASON" not in sql  # the reason text is built for the rows read, in Python


def test_rank_fields_on_every_ranked_queryset(programme):
    application = _app(programme, 10, weak=True, had_voucher="closed")
    _app(programme, 5, rural=True, confirmed=True)
    row = annotate_rank(Application.objects.filter(pk=application.pk)).get()
    assert (row.tier, row.first_time, row.weak_or_rural) == (3, False, True)
    assert row.rank_reason == "Folgeantrag · strukturschwach · Regionsangaben unbestätigt"
    filtered = services.ranked_queue(programme).filter(organisation__rural=True)
    assert [(a.tier, a.first_time, a.rank_reason) for a in filtered] == [
        (1, True, "Erstantrag · ländlich")
    ]


# --- the page ---------------------------------------------------------------------------
QUEUE = reverse("vouchers:queue")


def _page(client, programme, **params):
    response = client.get(QUEUE, {"programme": programme.pk, **params})
    assert response.status_code == 200
    return response


def _names(html):
    return re.findall(r'entscheidung/">([^<]+)</a>', html)


def test_page_rows_in_rank_order_across_pages(client, office_user, programme):
    for i in range(30):
        _app(
            programme,
            100 - i,
            weak=i % 3 == 0,
            rural=i % 5 == 0,
            had_voucher="closed" if i % 4 == 0 else None,
        )
    ranked = [a.organisation.name for a in services.ranked_queue(programme)]
    client.force_login(office_user)
    first = _page(client, programme)
    second = _page(client, programme, seite=2)
    assert _names(first.content.decode()) == ranked[:25]
    assert _names(second.content.decode()) == ranked[25:]
    assert "<td>26</td>" in second.content.decode()
    assert first.context["page"].paginator.count == 30
    assert _names(_page(client, programme, seite=99).content.decode()) == ranked[25:]
    assert _names(_page(client, programme, seite="x").content.decode()) == ranked[:25]


def test_page_count_follows_the_filters(client, office_user, programme):
    _app(programme, 30, rural=True, confirmed=True)  # tier 1
    _app(programme, 20, weak=True)  # tier 1, flags unconfirmed
    _app(programme, 10)  # tier 2
    _app(programme, 5, rural=True, had_voucher="closed", status="waitlisted")  # tier 3
    client.force_login(office_user)
    for params, expected in (
        ({}, 4),
        ({"tier": 1}, 2),
        ({"tier": 1, "flags_confirmed": "nein"}, 1),
        ({"tier": 3, "status": "waitlisted"}, 1),
        ({"tier": 4}, 0),
    ):
        page = _page(client, programme, **params).context["page"]
        assert page.paginator.count == len(page.object_list) == expected, params


def test_invalid_filter_values_are_shown_and_ignored(client, office_user, programme):
    _app(programme, 10)
    client.force_login(office_user)
    html = _page(client, programme, tier=9, status="x").content.decode()
    assert 'id="id_tier_error"' in html
    assert "9 ist keine gültige Auswahl" in html
    assert 'aria-describedby="id_status_error"' in html
    assert len(_names(html)) == 1
    selected = re.findall(r'<option value="([^"]*)" selected>', html)
    assert selected == [str(programme.pk), "", ""]  # programme; Bundesland, flags: "alle"


def test_page_labels_topics_and_links(client, office_user, programme):
    application = _app(programme, 60 * 24 * 2 + 5, rural=True, status="waitlisted")
    _app(programme, 30)
    second = Topic.objects.create(programme=programme, name="Zweites Thema", order=2)
    first = Topic.objects.create(programme=programme, name="Erstes Thema", order=1)
    application.topics.add(second, first)
    client.force_login(office_user)
    html = _page(client, programme).content.decode()
    assert "Erstes Thema · Zweites Thema" in html
    assert '<td class="small">–</td>' in html
    assert "<strong>Rang 1</strong><br>Erstantrag · ländlich · Regionsangaben unbestätigt" in html
    assert "2 Tagen<br>" in html
    assert ">Warteliste</span>" in html
    assert reverse("vouchers:application_decide", args=[application.pk]) in html
    assert reverse("vouchers:confirm_flags", args=[application.organisation_id]) in html
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    html = _page(client, programme).content.decode()
    assert "<strong>Rank 1</strong><br>First application · rural" in html
    assert "2 days<br>" in html


def test_page_queries_do_not_grow_with_the_queue(client, office_user, programme):
    topic = Topic.objects.create(programme=programme, name="Verstetigung")
    client.force_login(office_user)

    def queries():
        with CaptureQueriesContext(connection) as ctx:
            _page(client, programme)
        return len(ctx.captured_queries)

    for i in range(3):
        _app(programme, i, rural=bool(i % 2)).topics.add(topic)
    few = queries()
    for i in range(60):
        _app(
            programme, 10 + i, weak=bool(i % 3), had_voucher="closed" if i % 2 == 0 else None
        ).topics.add(topic)
    assert queries() == few <= 8
