"""A large, realistic data set for the benchmarks, generated fast with ``bulk_create``.

At ``scale=1.0``: 3,000 organisations (all Bundesländer, every kind, mixed region flags),
30 facilitators (users + profiles with topics, methods, regions, languages), the two seeded
programmes with 10 periods each (2018–2027), 20,000 applications in every status (submitted
over ten years, topics through the M2M table), 8,000 vouchers in every status (unique codes,
facilitators through the M2M table), 200,000 session entries within the caps, 5,000 feedback
requests with answers (plus unanswered ones) and an audit trail for every case.

    .venv/bin/python bench/seed.py [--small | --scale 0.5]    # into the configured database

``seed(scale=1.0) -> SeedResult`` is what ``bench/run.py`` and the tests call; it expects a
migrated database without earlier bench data (``clear()`` removes it again). The data are
deterministic for a given ``scale`` and ``rng_seed``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import sys
import time
from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BATCH = 5_000
SMALL_SCALE = 0.02
BENCH_PASSWORD = "Bench-Passwort-2026"  # noqa: S105 -- throwaway benchmark database only

# Counts at scale 1.0 (the figures).
ORGANISATIONS = 3_000
FACILITATORS = 30
APPLICATIONS = 20_000
VOUCHERS = 8_000
SESSIONS = 200_000
FEEDBACK_ANSWERS = 5_000
PERIOD_YEARS = range(2018, 2028)  # 10 periods per programme; 2026 and 2027 come seeded

CITIES = [
    "Aalen", "Bad Kreuznach", "Bautzen", "Biberach", "Bocholt", "Cottbus", "Delmenhorst",
    "Eberswalde", "Erlangen", "Flensburg", "Freiberg", "Fulda", "Gotha", "Göttingen",
    "Greifswald", "Hameln", "Husum", "Ilmenau", "Jena", "Kempten", "Konstanz", "Landshut",
    "Lörrach", "Lüneburg", "Marburg", "Meißen", "Merzig", "Neuruppin", "Nördlingen",
    "Offenburg", "Passau", "Plauen", "Quedlinburg", "Rostock", "Saarlouis", "Schwäbisch Hall",
    "Stendal", "Tübingen", "Überlingen", "Weimar", "Wismar", "Zittau",
]  # fmt: skip
FIRST_NAMES = [
    "Anna", "Jürgen", "Ayşe", "Petra", "Mehmet", "Käthe", "Lukas", "Sofia", "Björn", "Marta",
    "Hannah", "Jörg", "Leonie", "Ömer", "Greta", "Tobias", "Ines", "Paul", "Zoë", "Frank",
]  # fmt: skip
LAST_NAMES = [
    "Müller", "Schmidt", "Weiß", "Öztürk", "Becker", "Hoffmann", "Schäfer", "Koch", "Bauer",
    "Richter", "Klein", "Wolf", "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun",
    "Krüger", "Hofmann", "Hartmann",
]  # fmt: skip
NOTES = [
    "Workshop mit der Steuergruppe; Ergebnisse im Protokoll festgehalten.",
    "Vorbereitung des Auftakttreffens, Abstimmung mit der Koordination.",
    "Telefonat mit der Bürgermeisterin zur Rolle der Verwaltung.",
    "",
    "Nachbereitung: Fotoprotokoll und nächste Schritte verschickt.",
]
CHALLENGES = [
    "Die Kerngruppe ist überlastet; neue Engagierte fehlen und Aufgaben sind unklar verteilt.",
    "Nach dem Wechsel in der Koordination fehlt ein gemeinsames Bild, wohin das Netzwerk will.",
    "Wir wollen Jugendliche und „stille Gruppen“ besser an Entscheidungen beteiligen.",
    "Die Zusammenarbeit zwischen Hauptamt und Ehrenamt soll verlässlicher werden.",
]
GOALS = [
    "Klare Zuständigkeiten und ein gemeinsames Leitbild für die nächsten drei Jahre.",
    "Ein Beteiligungsformat, das wir selbst weiterführen können.",
    "Ein tragfähiges Partnernetzwerk mit Unternehmen und Verwaltung.",
]

# Application statuses (weights in %): ~12 % open, 40 % approved (= one voucher each).
APPLICATION_MIX = {
    "draft": 5,
    "submitted": 6,
    "in_review": 3,
    "waitlisted": 3,
    "rejected": 30,
    "withdrawn": 13,
}


@dataclass
class SeedResult:
    """What the benchmark needs to find again (primary keys) and what was created (counts)."""

    scale: float
    seconds: float = 0.0
    counts: dict[str, int] = field(default_factory=dict)
    office_id: int = 0
    superuser_id: int = 0
    facilitator_user_id: int = 0  # the facilitator with the most open cases
    case_voucher_id: int = 0  # an active Prozessbegleitung voucher with sessions and audit rows
    programme_id: int = 0  # Prozessbegleitung (the queue's default programme)
    log_voucher_ids: list[int] = field(default_factory=list)  # active, no sessions yet

    def line(self) -> str:
        parts = ", ".join(f"{k} {v:,}" for k, v in self.counts.items())
        return f"seeded (scale {self.scale:g}) in {self.seconds:.1f} s: {parts}"


def _scaled(n: int, scale: float, minimum: int) -> int:
    return max(minimum, round(n * scale))


class _Rows:
    """Like ``_Bulk`` for the one very large table: plain tuples, already adapted for the
    database, inserted with ``executemany`` in batches of ``BATCH``. ``bulk_create`` spends
    ~150 µs per row preparing each value (twelve fields × 200,000 rows); this path skips
    the model instances and the per-value preparation and is ~5× faster."""

    def __init__(self, model, fields: list[str], counts: dict, name: str):
        from django.db import connection

        qn = connection.ops.quote_name
        columns = ", ".join(qn(model._meta.get_field(f).column) for f in fields)
        marks = ", ".join(["%s"] * len(fields))
        self.sql = f"INSERT INTO {qn(model._meta.db_table)} ({columns}) VALUES ({marks})"  # noqa: S608
        self.counts, self.name = counts, name
        self.pending: list[tuple] = []
        counts.setdefault(name, 0)

    def add(self, row: tuple) -> None:
        self.pending.append(row)
        if len(self.pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        from django.db import connection

        if self.pending:
            with connection.cursor() as cursor:
                cursor.executemany(self.sql, self.pending)
            self.counts[self.name] += len(self.pending)
            self.pending = []


class _Bulk:
    """Collects objects and inserts them in batches of ``BATCH`` (keeps memory flat)."""

    def __init__(self, model, counts: dict, name: str):
        self.model, self.counts, self.name = model, counts, name
        self.pending: list = []
        counts.setdefault(name, 0)

    def add(self, obj) -> None:
        self.pending.append(obj)
        if len(self.pending) >= BATCH:
            self.flush()

    def flush(self) -> None:
        if self.pending:
            self.model.objects.bulk_create(self.pending, batch_size=BATCH)
            self.counts[self.name] += len(self.pending)
            self.pending = []


def seed(scale: float = 1.0, *, rng_seed: int = 20261123, verbose: bool = False) -> SeedResult:
    """Generate the data set into the current database (migrated, no bench data yet)."""
    from django.db import transaction

    started = time.perf_counter()
    with transaction.atomic():
        result = _Seeder(scale, random.Random(rng_seed), verbose).run()
    result.seconds = time.perf_counter() - started
    return result


class _Seeder:
    def __init__(self, scale: float, rng: random.Random, verbose: bool):
        from django.contrib.auth.hashers import make_password
        from django.utils import timezone

        self.scale, self.rng, self.verbose = scale, rng, verbose
        self.result = SeedResult(scale=scale)
        self.counts = self.result.counts
        self.now = timezone.now()
        self.today = timezone.localdate()
        # One hash for every bench user: hashing 3,000 passwords would take minutes.
        self.password = make_password(BENCH_PASSWORD)
        self.n_orgs = _scaled(ORGANISATIONS, scale, 40)
        self.n_facilitators = _scaled(FACILITATORS, scale, 5)
        self.n_applications = _scaled(APPLICATIONS, scale, 200)
        self.n_vouchers = min(_scaled(VOUCHERS, scale, 80), self.n_applications * 2 // 5)
        self.n_sessions = _scaled(SESSIONS, scale, 2_000)
        self.n_answers = _scaled(FEEDBACK_ANSWERS, scale, 40)

    def log(self, message: str) -> None:
        if self.verbose:
            print(f"  {message}", file=sys.stderr)

    # --- orchestration ----------------------------------------------------------------
    def run(self) -> SeedResult:
        self.reference()
        self.staff()
        self.organisations()
        self.facilitators()
        self.applications_and_vouchers()
        self.sessions()
        self.feedback()
        self.audit()
        self.pick_bench_objects()
        return self.result

    # --- reference data: the seeded programmes, 10 periods each ----------------------
    def reference(self) -> None:
        from portal.models import Language, Method, Programme, ProgrammePeriod, Region

        self.pb = Programme.objects.get(slug="prozessbegleitung")
        self.vb = Programme.objects.get(slug="virtuelle-begleitung")
        self.result.programme_id = self.pb.pk
        self.periods: dict[tuple[int, int], ProgrammePeriod] = {}
        # Contingents large enough for the vouchers each period receives below.
        per_period = max(1, self.n_vouchers // 9)
        for programme in (self.pb, self.vb):
            for year in PERIOD_YEARS:
                period, _ = ProgrammePeriod.objects.update_or_create(
                    programme=programme,
                    name=str(year),
                    defaults={
                        "start": dt.date(year, 1, 1),
                        "end": dt.date(year, 12, 31),
                        "contingent": per_period + 50,
                    },
                )
                self.periods[programme.pk, year] = period
        self.topics = {p.pk: list(p.topics.all()) for p in (self.pb, self.vb)}
        self.regions = list(Region.objects.all())
        self.languages = list(Language.objects.all())
        self.methods = list(Method.objects.all())

    def staff(self) -> None:
        from portal.models import User

        office = User(
            email="bench-office@example.org",
            first_name="Olga",
            last_name="Büro",
            role="office",
            password=self.password,
        )
        admin = User(
            email="bench-admin@example.org",
            first_name="Adam",
            last_name="Admin",
            role="admin",
            is_staff=True,
            is_superuser=True,
            password=self.password,
        )
        User.objects.bulk_create([office, admin])
        self.office = User.objects.get(email=office.email)
        # The benchmark's office works for both seeded programmes' operators.
        self.office.operators.add(self.pb.operator_id, self.vb.operator_id)
        self.result.office_id = self.office.pk
        self.result.superuser_id = User.objects.get(email=admin.email).pk

    # --- organisations with one applicant contact each -------------------------------
    def organisations(self) -> None:
        from portal.models import Bundesland, Cohort, Organisation, User

        rng = self.rng
        # Interleaved (50 % Engagierte Städte, 35 % Kommunen, 15 % Landkreise), so that
        # even the smallest scale has organisations of every kind for both programmes.
        kinds = [
            "engagierte_stadt" if n % 2 == 0 else "landkreis" if n in (1, 9, 15) else "kommune"
            for n in range(20)
        ]
        states = list(Bundesland.values)
        orgs = _Bulk(Organisation, self.counts, "organisations")
        for i in range(self.n_orgs):
            kind = kinds[i % len(kinds)]
            city = CITIES[i % len(CITIES)]
            label = {"engagierte_stadt": "Engagierte Stadt", "kommune": "Gemeinde"}.get(
                kind, "Landkreis"
            )
            confirmed = rng.random() < 0.6
            orgs.add(
                Organisation(
                    name=f"{label} {city} {i + 1:04d}",
                    kind=kind,
                    municipality=city,
                    district=f"Landkreis {CITIES[(i * 7) % len(CITIES)]}",
                    bundesland=states[i % len(states)],
                    street=f"Marktplatz {1 + i % 40}",
                    postcode=f"{10000 + (i * 37) % 89999:05d}",
                    city=city,
                    structurally_weak=rng.random() < 0.3,
                    rural=rng.random() < 0.4,
                    flags_confirmed=confirmed,
                    flags_confirmed_at=self.now if confirmed else None,
                    flags_confirmed_by=self.office if confirmed else None,
                    approved=rng.random() < 0.98,
                )
            )
        orgs.flush()
        self.orgs = list(Organisation.objects.order_by("pk").values_list("pk", "kind", named=False))
        self.org_kind = dict(self.orgs)
        cohorts = list(Cohort.objects.all())
        through = _Bulk(Organisation.cohorts.through, self.counts, "organisation cohorts")
        users = _Bulk(User, self.counts, "applicant users")
        for i, (pk, kind) in enumerate(self.orgs):
            if kind != "engagierte_stadt" and cohorts:
                through.add(
                    Organisation.cohorts.through(
                        organisation_id=pk, cohort_id=cohorts[i % len(cohorts)].pk
                    )
                )
            users.add(
                User(
                    email=f"kontakt{i + 1:05d}@bench.example.org",
                    first_name=FIRST_NAMES[i % len(FIRST_NAMES)],
                    last_name=LAST_NAMES[(i // 3) % len(LAST_NAMES)],
                    role="applicant",
                    organisation_id=pk,
                    password=self.password,
                )
            )
        through.flush()
        users.flush()
        self.contact = dict(
            User.objects.filter(role="applicant", organisation__isnull=False).values_list(
                "organisation_id", "pk"
            )
        )
        self.log(f"organisations: {len(self.orgs)}")

    # --- facilitators: users + profiles + M2M -----------------------------------------
    def facilitators(self) -> None:
        from portal.models import FacilitatorProfile, User

        rng = self.rng
        users = [
            User(
                email=f"begleitung{i + 1:03d}@bench.example.org",
                first_name=FIRST_NAMES[(i * 3) % len(FIRST_NAMES)],
                last_name=LAST_NAMES[(i * 7) % len(LAST_NAMES)],
                role="facilitator",
                password=self.password,
            )
            for i in range(self.n_facilitators)
        ]
        User.objects.bulk_create(users, batch_size=BATCH)
        user_ids = list(
            User.objects.filter(role="facilitator").order_by("pk").values_list("pk", flat=True)
        )
        FacilitatorProfile.objects.bulk_create(
            [
                FacilitatorProfile(
                    user_id=uid,
                    capacity=rng.choice([4, 6, 8, 12]),
                    bio="Moderation von Beteiligungsprozessen, Organisationsentwicklung.",
                )
                for uid in user_ids
            ],
            batch_size=BATCH,
        )
        self.facilitator_ids = list(
            FacilitatorProfile.objects.order_by("pk").values_list("pk", flat=True)
        )
        self.counts["facilitators"] = len(self.facilitator_ids)
        all_topics = self.topics[self.pb.pk] + self.topics[self.vb.pk]
        rows = {
            FacilitatorProfile.topics.through: ("topic_id", all_topics, 4),
            FacilitatorProfile.methods.through: ("method_id", self.methods, 3),
            FacilitatorProfile.regions.through: ("region_id", self.regions, 3),
            FacilitatorProfile.languages.through: ("language_id", self.languages, 2),
            FacilitatorProfile.programmes.through: ("programme_id", [self.pb, self.vb], 2),
        }
        for through, (column, choices, k) in rows.items():
            objs = []
            for pk in self.facilitator_ids:
                for choice in rng.sample(choices, min(k, len(choices))):
                    objs.append(through(facilitatorprofile_id=pk, **{column: choice.pk}))
            through.objects.bulk_create(objs, batch_size=BATCH)

    # --- applications and their vouchers -----------------------------------------------
    def _status_plan(self) -> list[str]:
        """Exactly ``n_vouchers`` approved applications, the rest by ``APPLICATION_MIX``."""
        rest = self.n_applications - self.n_vouchers
        total = sum(APPLICATION_MIX.values())
        plan = []
        for status, weight in APPLICATION_MIX.items():
            plan += [status] * round(rest * weight / total)
        plan = (plan + ["rejected"] * rest)[:rest]
        plan += ["approved"] * self.n_vouchers
        self.rng.shuffle(plan)
        return plan

    def applications_and_vouchers(self) -> None:
        from portal.models import User
        from vouchers.models import Application
        from vouchers.models.applications import submission_day_of

        rng = self.rng
        pb_orgs = [pk for pk, kind in self.orgs if kind == "engagierte_stadt"]
        vb_orgs = [pk for pk, kind in self.orgs if kind != "engagierte_stadt"]
        pools = {self.pb.pk: pb_orgs, self.vb.pk: vb_orgs}
        # Vouchers go to a "veteran" 70 % of each pool, so the other 30 % stay first-timers.
        veterans = {p: pool[: max(1, len(pool) * 7 // 10)] for p, pool in pools.items()}
        start = self.now.replace(year=2017, month=1, day=2, hour=9)  # ten years of history
        span = (self.now - dt.timedelta(days=1) - start).total_seconds()
        recent = (self.now - dt.timedelta(days=730) - start).total_seconds()

        plan = self._status_plan()
        specs = []  # (programme, status, submitted_at)
        for status in plan:
            programme = self.pb.pk if rng.random() < 0.6 else self.vb.pk
            if status in Application.OPEN_STATUSES or status == "draft":
                offset = recent + rng.random() * (span - recent)  # the last two years
            else:
                offset = rng.random() * span
            specs.append((programme, status, start + dt.timedelta(seconds=offset)))

        # Vouchers: the approved ones; period = the year of the decision (2018–2026).
        voucher_specs = [i for i, s in enumerate(specs) if s[1] == "approved"]
        open_voucher_orgs: dict[int, set[int]] = defaultdict(set)
        org_of: dict[int, int] = {}
        decided: dict[int, dt.datetime] = {}
        voucher_status: dict[int, str] = {}
        for i in sorted(voucher_specs, key=lambda i: specs[i][2]):
            programme, _, submitted = specs[i]
            when = submitted + dt.timedelta(days=rng.randint(3, 60), hours=rng.randint(0, 8))
            when = min(when, self.now - dt.timedelta(hours=2))
            decided[i] = when
            status = self._voucher_status(when)
            voucher_status[i] = status
            pool = veterans[programme]
            if status in ("issued", "active", "closing_requested"):
                # At most one open voucher per organisation and programme (rule 3).
                sample = rng.sample(pool, min(len(pool), 50))
                free = [o for o in sample if o not in open_voucher_orgs[programme]] or [
                    o for o in pool if o not in open_voucher_orgs[programme]
                ]
                if not free:  # pool exhausted at tiny scales: close this one instead
                    voucher_status[i] = status = "closed"
                    org_of[i] = rng.choice(pool)
                else:
                    org_of[i] = free[0]
                    open_voucher_orgs[programme].add(free[0])
            else:
                org_of[i] = rng.choice(pool)
        for i, (programme, status, _) in enumerate(specs):
            if i in org_of:
                continue
            pool = pools[programme]
            candidates = pool
            if status in Application.OPEN_STATUSES:
                # submit_application refuses while an open voucher exists in the programme.
                blocked = open_voucher_orgs[programme]
                candidates = [o for o in rng.sample(pool, min(len(pool), 20)) if o not in blocked]
                candidates = candidates or [o for o in pool if o not in blocked] or pool
            org_of[i] = rng.choice(candidates)

        apps = _Bulk(Application, self.counts, "applications")
        formats = ["vor_ort", "digital", "gemischt", ""]
        for i, (programme, status, submitted) in enumerate(specs):
            org = org_of[i]
            is_draft = status == "draft"
            decided_at = decided.get(i)
            if status in ("rejected", "withdrawn"):
                decided_at = min(submitted + dt.timedelta(days=rng.randint(2, 90)), self.now)
            apps.add(
                Application(
                    organisation_id=org,
                    programme_id=programme,
                    status=status,
                    challenge=CHALLENGES[i % len(CHALLENGES)],
                    goals=GOALS[i % len(GOALS)],
                    desired_format=formats[i % len(formats)],
                    preferred_facilitator_id=(
                        self.facilitator_ids[i % len(self.facilitator_ids)] if i % 5 == 0 else None
                    ),
                    contact_name=f"{FIRST_NAMES[i % 20]} {LAST_NAMES[(i // 20) % 20]}",
                    contact_email=f"kontakt{i + 1:05d}@antrag.bench.example.org",
                    consent=True,
                    created_by_id=self.contact.get(org),
                    submitted_at=None if is_draft else submitted,
                    submitted_on=None if is_draft else submission_day_of(submitted),
                    decided_at=decided_at,
                    decided_by=self.office if decided_at and status != "withdrawn" else None,
                )
            )
        apps.flush()
        # auto_now_add stamped "now" on every row: move creation before submission.
        from django.db.models import F

        Application.objects.filter(submitted_at__isnull=False).update(
            created_at=F("submitted_at") - dt.timedelta(days=2)
        )
        app_ids = list(Application.objects.order_by("pk").values_list("pk", flat=True))
        self.app_ids = app_ids
        through = _Bulk(Application.topics.through, self.counts, "application topics")
        for i, (programme, _, _) in enumerate(specs):
            for topic in rng.sample(self.topics[programme], rng.randint(1, 3)):
                through.add(
                    Application.topics.through(application_id=app_ids[i], topic_id=topic.pk)
                )
        through.flush()
        self._vouchers(specs, voucher_specs, org_of, decided, voucher_status, app_ids)
        self.counts["users"] = User.objects.count()

    def _voucher_status(self, issued: dt.datetime) -> str:
        """Open in the current period (and a few late ones of last year), closed before."""
        r = self.rng.random()
        age_days = (self.now - issued).days
        if age_days < 300:
            if r < 0.03:
                return "cancelled"
            if r < 0.20 or age_days < 20:
                return "issued"
            if r < 0.80:
                return "active"
            if r < 0.92:
                return "closing_requested"
            return "closed"
        if age_days < 420 and r < 0.25:
            return "active"  # ending within the next weeks (the dashboard's "ending soon")
        if r < 0.04:
            return "cancelled"
        if r < 0.12:
            return "closed"
        if r < 0.30:
            return "feedback_sent"
        return "feedback_received"

    def _vouchers(self, specs, voucher_specs, org_of, decided, voucher_status, app_ids) -> None:
        from vouchers.models import Voucher

        rng = self.rng
        programmes = {self.pb.pk: self.pb, self.vb.pk: self.vb}
        vouchers = _Bulk(Voucher, self.counts, "vouchers")
        serial: dict[tuple[str, int], int] = defaultdict(int)
        for i in voucher_specs:
            programme = programmes[specs[i][0]]
            issued = decided[i]
            status = voucher_status[i]
            year = min(max(issued.year, 2018), 2026)
            serial[programme.code_prefix, year] += 1
            activated = closing = closed = cancelled = None
            if status not in ("issued", "cancelled"):
                activated = issued + dt.timedelta(days=rng.randint(5, 40))
            if status == "cancelled":
                cancelled = issued + dt.timedelta(days=rng.randint(5, 40))
            if status in ("closing_requested", *Voucher.CLOSED_STATUSES):
                closing = activated + dt.timedelta(days=rng.randint(60, 300))
            if status in Voucher.CLOSED_STATUSES:
                closed = closing + dt.timedelta(days=rng.randint(1, 20))
            cap = [t for t in (activated, closing, closed, cancelled) if t]
            if cap and max(cap) > self.now:  # keep every date in the past
                shift = max(cap) - self.now + dt.timedelta(hours=1)
                activated, closing, closed, cancelled = (
                    t - shift if t else None for t in (activated, closing, closed, cancelled)
                )
                issued = min(issued, (activated or closing or closed or cancelled))
            feedback = {"feedback_sent": "sent", "feedback_received": "answered"}.get(status, "")
            vouchers.add(
                Voucher(
                    code=f"{programme.code_prefix}-{year}-{serial[programme.code_prefix, year]:05d}",
                    application_id=app_ids[i],
                    organisation_id=org_of[i],
                    programme_id=programme.pk,
                    period=self.periods[programme.pk, year],
                    status=status,
                    cap_minutes=programme.cap_minutes,
                    cap_units=programme.cap_units,
                    cap_units_in_process=programme.cap_units_in_process,
                    valid_until=(issued + dt.timedelta(days=365)).date(),
                    issued_at=issued,
                    issued_by=self.office,
                    activated_at=activated,
                    closing_requested_at=closing,
                    closing_report="Ziele weitgehend erreicht." if closing else "",
                    closed_at=closed,
                    closed_by=self.office if closed else None,
                    cancelled_at=cancelled,
                    feedback_status=feedback,
                    feedback_enqueued_at=closed if feedback else None,
                )
            )
        vouchers.flush()
        rows = list(
            Voucher.objects.order_by("pk").values_list(
                "pk", "programme_id", "organisation_id", "status", "activated_at", "valid_until"
            )
        )
        self.vouchers = rows
        through = _Bulk(Voucher.facilitators.through, self.counts, "voucher facilitators")
        self.team: dict[int, list[int]] = {}
        for pk, programme, *_ in rows:
            k = 1 if rng.random() < 0.7 else 2
            if programme == self.vb.pk and rng.random() < 0.3:
                k = 3
            team = rng.sample(self.facilitator_ids, min(k, len(self.facilitator_ids)))
            self.team[pk] = team
            for f in team:
                through.add(Voucher.facilitators.through(voucher_id=pk, facilitatorprofile_id=f))
        through.flush()
        self.log(f"vouchers: {len(rows)}")

    # --- session entries within the caps ----------------------------------------------
    def sessions(self) -> None:
        from sessions_log.models import SessionEntry

        rng = self.rng
        logged = ("active", "closing_requested", "closed", "feedback_sent", "feedback_received")
        pb, vb = [], []
        for row in self.vouchers:
            if row[3] in logged and row[4] is not None:
                (pb if row[1] == self.pb.pk else vb).append(row)
        from django.db import connection

        fields = [
            "voucher", "facilitator", "date", "minutes", "units", "activity", "format",
            "participants", "notes", "with_facilitator_in_process", "created_at", "updated_at",
        ]  # fmt: skip
        entries = _Rows(SessionEntry, fields, self.counts, "session entries")
        stamp = connection.ops.adapt_datetimefield_value(self.now)
        adapt_date = connection.ops.adapt_datefield_value
        pb_activities = [
            "vorbereitung", "vorbereitung", "workshop", "steuergruppe", "auftakt",
            "konsultation", "analyse", "gespraech_spitze", "quartalstreffen", "wirksamkeit",
            "baustein_konzeption", "baustein_projektplan",
        ]  # fmt: skip
        formats = ["vor_ort", "vor_ort", "telefon", "video"]

        def entry(voucher, day, minutes, units, activity, fmt, in_process=False):
            pk, _, _, _, activated, valid_until = voucher
            team = self.team[pk]
            facilitator = team[day % len(team)]
            first = activated.date()
            last = max(first, min(valid_until, self.today))
            date = first + dt.timedelta(days=day % ((last - first).days + 1))
            participants = rng.choice([None, 4, 8, 12, 25])
            notes = NOTES[day % len(NOTES)]
            row = [pk, facilitator, adapt_date(date), minutes, units, activity, fmt]
            row += [participants, notes, in_process, stamp, stamp]
            entries.add(tuple(row))

        # Virtuelle Begleitung: units of 60 minutes, at most 12 per organisation (5 in process).
        units_left: dict[int, int] = defaultdict(lambda: 12)
        in_process_left: dict[int, int] = defaultdict(lambda: 5)
        vb_budget = self.n_sessions // 12
        for voucher in vb:
            org = voucher[2]
            for _ in range(min(units_left[org], rng.randint(1, 6))):
                if self.counts["session entries"] + len(entries.pending) >= vb_budget:
                    break
                in_process = in_process_left[org] > 0 and rng.random() < 0.2
                in_process_left[org] -= in_process
                units_left[org] -= 1
                day = rng.randint(0, 400)
                entry(voucher, day, 60, 1, "sparring", rng.choice(["telefon", "video"]), in_process)
        entries.flush()
        # Prozessbegleitung: the rest, spread over the vouchers, each within its 960 minutes.
        remaining = self.n_sessions - self.counts["session entries"]
        rng.shuffle(pb)
        for n, voucher in enumerate(pb):
            k = remaining // (len(pb) - n)
            if n < len(pb) - 1:
                k = max(1, min(remaining, k + rng.randint(-k // 3, k // 3)))
            remaining -= k
            closed = voucher[3] != "active"
            budget = 960 * (rng.uniform(0.6, 1.0) if closed else rng.uniform(0.2, 0.9))
            base = max(5, int(budget / k) // 5 * 5)
            if base * k > 960:  # a very busy voucher: many short preparation entries
                base = max(1, 960 // k)
            for j in range(k):
                delta = 5 if base > 10 and j < k - (k % 2) else 0
                minutes = base + (delta if j % 2 else -delta)
                activity = pb_activities[j % len(pb_activities)]
                entry(voucher, j * 7 + n, minutes, 0, activity, formats[j % len(formats)])
        entries.flush()
        self.log(f"sessions: {self.counts['session entries']}")

    # --- feedback requests and answers ------------------------------------------------
    def feedback(self) -> None:
        from vouchers.models import FeedbackRequest, FeedbackResponse

        rng = self.rng
        received = [v for v in self.vouchers if v[3] == "feedback_received"]
        sent = [v for v in self.vouchers if v[3] == "feedback_sent"]
        # Answers: one or two contacts per feedback_received voucher until n_answers.
        requests = _Bulk(FeedbackRequest, self.counts, "feedback requests")
        answered_nonces = []
        n = 0
        for voucher in received:
            for k in range(2 if len(received) * 2 <= self.n_answers else 1):
                if len(answered_nonces) >= self.n_answers:
                    break
                n += 1
                nonce = f"bench-{n:07d}"
                answered_nonces.append(nonce)
                requests.add(self._request(voucher, k, nonce, answered=True))
        for voucher in sent:
            n += 1
            requests.add(self._request(voucher, 0, f"bench-{n:07d}", answered=False))
        requests.flush()
        ids = FeedbackRequest.objects.filter(answered_at__isnull=False).values_list("pk", flat=True)
        responses = _Bulk(FeedbackResponse, self.counts, "feedback answers")
        for pk in ids.iterator():
            responses.add(
                FeedbackResponse(
                    request_id=pk,
                    satisfaction=rng.choice([3, 4, 4, 5, 5]),
                    goals_reached=rng.choice([2, 3, 4, 4, 5]),
                    structure_useful=rng.choice([3, 4, 5]),
                    would_recommend=rng.random() < 0.85,
                    what_helped="Die klare Moderation und der Blick von außen.",
                    what_to_improve="Mehr Zeit für die Nachbereitung.",
                )
            )
        responses.flush()

    def _request(self, voucher, k: int, nonce: str, *, answered: bool):
        from vouchers.models import FeedbackRequest

        pk, _, org, *_ = voucher
        sent_at = self.now - dt.timedelta(days=30 + pk % 900)
        return FeedbackRequest(
            voucher_id=pk,
            recipient_id=self.contact.get(org) if k == 0 else None,
            recipient_email=f"feedback{k}-{pk}@bench.example.org",
            recipient_name=f"{FIRST_NAMES[pk % 20]} {LAST_NAMES[k]}",
            nonce=nonce,
            sent_at=sent_at,
            answered_at=sent_at + dt.timedelta(days=3) if answered else None,
            expires_at=sent_at + dt.timedelta(days=60),
        )

    # --- audit trail: a few rows per case ----------------------------------------------
    def audit(self) -> None:
        from django.contrib.contenttypes.models import ContentType

        from portal.models import AuditEntry
        from vouchers.models import Application, Voucher

        app_type = ContentType.objects.get_for_model(Application)
        voucher_type = ContentType.objects.get_for_model(Voucher)
        rows = _Bulk(AuditEntry, self.counts, "audit entries")
        office = self.office
        for pk in self.app_ids:
            when = self.now - dt.timedelta(days=pk % 3000)
            rows.add(
                AuditEntry(
                    actor=None,
                    action="application.submitted",
                    target_type=app_type,
                    target_id=pk,
                    from_state="draft",
                    to_state="submitted",
                    created_at=when,
                )
            )
        steps = [
            ("issued", "active"),
            ("active", "closing_requested"),
            ("closing_requested", "closed"),
        ]
        for pk, *_ in self.vouchers:
            when = self.now - dt.timedelta(days=pk % 3000)
            for n, (before, after) in enumerate(steps[: 1 + pk % 3]):
                rows.add(
                    AuditEntry(
                        actor=office,
                        action=f"voucher.{after}",
                        target_type=voucher_type,
                        target_id=pk,
                        from_state=before,
                        to_state=after,
                        created_at=when + dt.timedelta(days=n),
                    )
                )
        rows.flush()

    # --- objects the benchmark visits -------------------------------------------------
    def pick_bench_objects(self) -> None:
        from django.db.models import Count, Q

        from portal.models import FacilitatorProfile
        from sessions_log.models import SessionEntry
        from vouchers.models import Voucher

        busiest = (
            FacilitatorProfile.objects.annotate(
                open_cases=Count("vouchers", filter=Q(vouchers__status__in=Voucher.OPEN_STATUSES))
            )
            .order_by("-open_cases", "pk")
            .first()
        )
        self.result.facilitator_user_id = busiest.user_id
        case = (
            SessionEntry.objects.filter(voucher__status="active", voucher__programme=self.pb)
            .values("voucher")
            .annotate(n=Count("pk"))
            .order_by("-n", "voucher")
            .first()
        )
        self.result.case_voucher_id = case["voucher"]
        # Fresh active vouchers (no sessions) for log_session: one per run of 40 entries.
        from vouchers.models import Application

        profile = busiest
        picked = []
        orgs = [pk for pk, kind in self.orgs if kind == "engagierte_stadt"]
        busy = set(
            Voucher.objects.filter(programme=self.pb, status__in=Voucher.OPEN_STATUSES).values_list(
                "organisation_id", flat=True
            )
        )
        free = [o for o in orgs if o not in busy][:5]
        period = self.periods[self.pb.pk, 2026]
        for n, org in enumerate(free):
            application = Application.objects.create(
                organisation_id=org,
                programme=self.pb,
                status="approved",
                submitted_at=self.now - dt.timedelta(days=30),
                decided_at=self.now - dt.timedelta(days=20),
                consent=True,
            )
            voucher = Voucher.objects.create(
                code=f"PB-BENCH-{n + 1:03d}",
                application=application,
                organisation_id=org,
                programme=self.pb,
                period=period,
                status="active",
                cap_minutes=960,
                valid_until=self.today + dt.timedelta(days=200),
                issued_at=self.now - dt.timedelta(days=20),
                issued_by=self.office,
                activated_at=self.now - dt.timedelta(days=10),
            )
            voucher.facilitators.add(profile)
            picked.append(voucher.pk)
        self.result.log_voucher_ids = picked


def clear() -> None:
    """Remove everything ``seed`` created (keeps the migrations' reference data)."""
    from django.contrib.sessions.models import Session
    from django.db import connection, transaction

    from agreements.models import AgreementVersion, SignedAgreement
    from portal.models import (
        AuditEntry,
        FacilitatorProfile,
        Organisation,
        ProgrammePeriod,
        User,
    )
    from reports.models import ExportJob
    from sessions_log.models import SessionEntry
    from vouchers.models import Application, FeedbackRequest, FeedbackResponse, Voucher

    models = [
        FeedbackResponse,
        FeedbackRequest,
        SessionEntry,
        SignedAgreement,
        AgreementVersion,
        AuditEntry,
        ExportJob,
        Voucher.facilitators.through,
        Application.topics.through,
        Voucher,
        Application,
        FacilitatorProfile.topics.through,
        FacilitatorProfile.methods.through,
        FacilitatorProfile.regions.through,
        FacilitatorProfile.languages.through,
        FacilitatorProfile.programmes.through,
        FacilitatorProfile,
        Organisation.cohorts.through,
        Session,
    ]
    # Every other row of the case apps (offers, allocation log, confirmations, proofs of use,
    # sparring calendar, process work), the office staff's operators and the outbox: none of
    # it is reference data, except the agreement texts and plan templates of the migrations.
    from django.apps import apps

    keep = {"agreementtextblock", "plantemplate", "templatemilestone"}
    listed = {model._meta.db_table for model in models}
    for label in ("vouchers", "sessions_log", "agreements", "appointments", "programme_work"):
        for model in apps.get_app_config(label).get_models(include_auto_created=True):
            if model._meta.model_name not in keep and model._meta.db_table not in listed:
                models.insert(0, model)
    models += [User.operators.through, User.groups.through, User.user_permissions.through]
    models.append(apps.get_model("portal", "OutboundMail"))
    with transaction.atomic(), connection.cursor() as cursor:
        # Raw DELETEs: the FK constraints are deferred to the commit, so the order is free
        # and the ORM's cascade collector (slow on 200,000 rows) is not needed.
        for model in models:
            cursor.execute(f"DELETE FROM {connection.ops.quote_name(model._meta.db_table)}")  # noqa: S608
        cursor.execute(
            f"UPDATE {connection.ops.quote_name(Organisation._meta.db_table)} "  # noqa: S608
            "SET flags_confirmed_by_id = NULL"
        )
        cursor.execute(f"DELETE FROM {connection.ops.quote_name(User._meta.db_table)}")  # noqa: S608
        cursor.execute(f"DELETE FROM {connection.ops.quote_name(Organisation._meta.db_table)}")  # noqa: S608
        ProgrammePeriod.objects.exclude(name__in=["2026", "2027"]).delete()


def setup_django() -> None:
    """Configure Django for a script run from the project root (settings from the env)."""
    sys.path.insert(0, str(ROOT))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "portal.settings")
    os.environ.setdefault(
        "STATICFILES_BACKEND", "django.contrib.staticfiles.storage.StaticFilesStorage"
    )
    import django

    django.setup()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--small", action="store_true", help=f"scale {SMALL_SCALE}")
    group.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--clear", action="store_true", help="remove earlier bench data first")
    args = parser.parse_args()
    setup_django()
    if args.clear:
        clear()
    result = seed(SMALL_SCALE if args.small else args.scale, verbose=True)
    print(result.line())


if __name__ == "__main__":
    main()
