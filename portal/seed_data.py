"""Programme rules, topic lists and reference data from the seed documents.

Used by the data migration and by ``seed_demo``; the texts are the seeds' own wording."""

FUNDING_NOTICE_FULL = (
    "Gefördert aus Mitteln des Ministeriums für Soziales und Integration im Rahmen des "
    "Landesprogramms „Integration durch Bürgerschaftliches Engagement und Zivilgesellschaft“, "
    "durchgeführt durch die Führungsakademie Baden-Württemberg."
)
FUNDING_NOTICE_SHORT = (
    "Gefördert aus Mitteln des Ministeriums für Soziales und Integration, "
    "durchgeführt durch die Führungsakademie Baden-Württemberg."
)

PB_TOPICS = [
    (
        "Klärungs- und Entscheidungsprozesse",
        "Wie kommunizieren wir als Kerngruppe untereinander, wie organisieren wir uns? Wer übernimmt "
        "welche Aufgaben und wie können wir Überlastung vermeiden?",
        False,
    ),
    ("Entwicklung eines gemeinsamen Leitbildes", "Wo wollen wir mit unserem Netzwerk hin?", False),
    (
        "Netzwerkbildung und -erweiterung",
        "Wie gewinnen wir neue Engagierte und wie erreichen wir Menschen, die wir bis dato noch nicht "
        "erreichen?",
        False,
    ),
    (
        "Sektorenübergreifende Zusammenarbeit",
        "Wie können wir Partnerschaften mit Unternehmen anbahnen?",
        False,
    ),
    (
        "Begleitung bei Veränderungsprozessen",
        "Wie gehen wir am besten mit Koordinationswechsel, Wechsel Partnernetzwerk, Wechsel in Politik "
        "oder Verwaltung um?",
        False,
    ),
    (
        "Formate zur Beteiligung",
        "Wie starten wir Beteiligungsprozesse und wie binden wir Bürger*innen mit ein?",
        False,
    ),
    (
        "Verstetigung",
        "Wie können wir Schritte zu einer nachhaltigen Finanzierung setzen? Wie können wir gemeinsam "
        "an einer Engagement-Strategie arbeiten?",
        False,
    ),
    (
        "Spezifische Themenfelder",
        "z. B. intergenerationales Zusammenarbeiten, höhere Beteiligung von Jugendlichen, "
        "Wissenstransfer, gutes Zusammenwirken von Hauptamt und Ehrenamt, Zusammenarbeit mit der "
        "Verwaltung, Digitalisierung",
        True,
    ),
]

VB_TOPICS = [
    "Planung und Durchführung von Online-Veranstaltungen",
    "langfristige Motivation von Ehrenamtlichen/Förderung von freiwilligem Engagement",
    "Planung und Durchführung von Großgruppenverfahren",
    "(Online-)Beteiligungsverfahren",
    "Umgang mit Konfliktsituationen vor Ort",
    "Zufallsauswahl von Bürger*innen bei Beteiligungsprozessen",
    "Beratung zur Durchführung von Umfragen",
    "Ideen zur Zielgruppenansprache im Beteiligungsverfahren („Stille Gruppen“)",
    "Vernetzung von Gremien und Akteuren",
    "Verwaltung für Beteiligung begeistern",
    "Reflektion der eigenen Rolle in der Verwaltung oder bei Beteiligungsverfahren",
]

LANGUAGES = [
    ("de", "Deutsch"),
    ("en", "Englisch"),
    ("fr", "Französisch"),
    ("tr", "Türkisch"),
    ("ar", "Arabisch"),
    ("ru", "Russisch"),
    ("uk", "Ukrainisch"),
    ("fa", "Persisch"),
]

METHODS = [
    "Moderation",
    "Großgruppenverfahren",
    "Zukunftswerkstatt",
    "Open Space",
    "World Café",
    "Stakeholder-Analyse",
    "Online-Beteiligung",
    "Konfliktmoderation",
    "Umfragen",
    "Strategieentwicklung",
    "Design Thinking",
    "Kollegiale Beratung",
]

COHORTS = ["2018/19", "2020/21"]

OPERATORS = [
    {
        "slug": "dsee",
        "name": "DSEE – Engagierte Stadt",
        "legal_name": "Deutsche Stiftung für Engagement und Ehrenamt (DSEE)",
        "office_name": "Programmbüro Engagierte Stadt",
        "street": "Kleine Schulstraße 1",
        "postcode": "17235",
        "city": "Neustrelitz",
        "represented_by": "",
        "phone": "030-6298-106",
        "email": "anna.wegenschimmel@b-b-e.de",
        "office_notification_email": "anna.wegenschimmel@b-b-e.de",
        "email_sender_name": "Engagierte Stadt – Prozessbegleitung",
        "contacts": [
            (
                "Anna Wegenschimmel",
                "Referentin Engagierte Stadt / Engagiertes Land",
                "030-6298-106",
                "anna.wegenschimmel@b-b-e.de",
            ),
        ],
    },
    {
        "slug": "fueak-bw",
        "name": "Führungsakademie Baden-Württemberg",
        "legal_name": "Führungsakademie Baden-Württemberg",
        "office_name": "Programmbüro Integration durch BE",
        "street": "Hans Thoma Str. 1",
        "postcode": "76133",
        "city": "Karlsruhe",
        "represented_by": "Dr. Christine Dörner",
        "phone": "0721 - 926 6610",
        "email": "poststelle@fuehrungsakademie.bwl.de",
        "office_notification_email": "poststelle@fuehrungsakademie.bwl.de",
        "email_sender_name": "Führungsakademie Baden-Württemberg",
        "contacts": [
            (
                "Dr. Christine Dörner",
                "Projektleiterin",
                "0721 - 926-6613",
                "christine.doerner@fuehrungsakademie.bwl.de",
            ),
            ("Martin Schwarz", "", "0711 - 335000-69", "martin.schwarz@fuehrungsakademie.bwl.de"),
        ],
    },
    {
        # Seed 004 names no persons: the office's address is a placeholder to be set in the admin.
        "slug": "ews-nrw",
        "name": "Entwicklungswerkstatt NRW",
        "legal_name": "Entwicklungswerkstatt für kommunale Engagementstrategien in NRW",
        "office_name": "EWS-Leitung",
        "street": "",
        "postcode": "",
        "city": "Nordrhein-Westfalen",
        "represented_by": "",
        "phone": "",
        "email": "ews-leitung@example.org",
        "office_notification_email": "ews-leitung@example.org",
        "email_sender_name": "Entwicklungswerkstatt NRW",
        "contacts": [("EWS-Leitung", "Projektverantwortliche", "", "ews-leitung@example.org")],
    },
]

# Which operator runs which seeded programme (by slug); programmes made in the admin before
# operators existed went to the Führungsakademie, whose data the settings used to carry.
PROGRAMME_OPERATORS = {
    "prozessbegleitung": "dsee",
    "virtuelle-begleitung": "fueak-bw",
    "integration-durch-be": "fueak-bw",
    "entwicklungswerkstatt": "ews-nrw",
}
DEFAULT_OPERATOR_SLUG = "fueak-bw"

BEGLEITPROZESS_TOPICS = [
    "Beteiligungs- und Engagementkultur",
    "Lokale Integrationsstrategie mit Zielen und Maßnahmenplänen",
    "Beteiligungs- und Organisationsstrukturen",
    "Räume und Formate für Begegnung",
    "Kompetenz- und Erfahrungstransfer",
]

WERKSTATT_TOPICS = [
    "BE-Förderung zur Chefsache machen",
    "Eigeninitiative im Sozialraum achten und fördern",
    "Plattformen für Vernetzung und gemeinsame Entwicklung bereitstellen",
    "Querschnittaufgabe BE gemeinsam strategisch angehen",
    "Anlaufstellen schaffen und in Kooperation bringen",
    "Entwicklungsteam und weitere Strukturen aufbauen",
    "Öffentlichkeit herstellen",
    "Politik einbeziehen",
    "Gewinnung von Kooperationspartnern wie Unternehmen",
]


PROGRAMMES = [
    {
        "slug": "prozessbegleitung",
        "kind": "prozessbegleitung",
        "name": "Prozessbegleitung",
        "code_prefix": "PB",
        "description": (
            "Die Prozessbegleitung ist eine individuelle Beratung, in deren Rahmen Sie an aktuellen "
            "Herausforderungen arbeiten. Das Programmbüro vermittelt passgenau eine Person, die im "
            "Umfang von maximal 16 Arbeitsstunden die Begleitung übernimmt."
        ),
        "target_group": "Engagierte Städte des Netzwerkprogramms. Vorrang haben Engagierte Städte, "
        "die noch keinen Gutschein in Anspruch genommen haben und sich in strukturschwachen oder "
        "ländlichen Regionen befinden.",
        "cap_minutes": 960,
        "partner_choice": "office",
        "eligible_kinds": ["engagierte_stadt"],
        "allows_follow_up": True,
        "voucher_validity_days": 365,
        "notice": "",
        "contact_name": "Anna Wegenschimmel",
        "contact_email": "anna.wegenschimmel@b-b-e.de",
        "contact_phone": "030-6298-106",
        "periods": [
            ("2026", "2026-01-01", "2026-12-31", 40),
            ("2027", "2027-01-01", "2027-12-31", 40),
        ],
    },
    {
        "slug": "virtuelle-begleitung",
        "kind": "virtuell",
        "name": "Virtuelle Begleitung – Impulse und Beratung auf Distanz",
        "code_prefix": "VB",
        "description": (
            "Sparring per Telefon und/oder Videokonferenz mit professionellen Prozessbegleiter*innen: "
            "Gemeinsam reflektieren Sie die aktuellen Herausforderungen und erarbeiten konkrete "
            "Lösungsansätze. Pro Kommune können maximal 12 Sparring-Einheiten à 60 Minuten in "
            "Anspruch genommen werden (davon maximal 5 bei den bereits aktuell im Prozess "
            "befindlichen Prozessbegleiter*innen)."
        ),
        "target_group": "Alle Kommunen und Landkreise aus dem Projekt 2018/2019 und die Kommunen "
        "im Projekt 2020/2021.",
        "unit_minutes": 60,
        "cap_units": 12,
        "cap_units_in_process": 5,
        "partner_choice": "applicant",
        "eligible_kinds": ["kommune", "landkreis"],
        "cohorts": COHORTS,
        "allows_follow_up": False,
        "voucher_validity_days": 365,
        "offer_ends": "2027-12-31",
        "notice": "fueak",
        "contact_name": "Dr. Christine Dörner",
        "contact_email": "christine.doerner@fuehrungsakademie.bwl.de",
        "contact_phone": "0721 926-6613",
        "periods": [
            ("2026", "2026-01-01", "2026-12-31", 30),
            ("2027", "2027-01-01", "2027-12-31", 30),
        ],
    },
    {
        "slug": "integration-durch-be",
        "kind": "begleitprozess",
        "name": "Prozessbegleitung „Integration durch Bürgerschaftliches Engagement und Zivilgesellschaft“",
        "code_prefix": "IBE",
        "description": (
            "Mit der Prozessbegleitung „Integration durch Bürgerschaftliches Engagement und "
            "Zivilgesellschaft“ wird der Projektpartner dabei begleitet, gemeinsam mit den "
            "Einwohnerinnen und Einwohnern Ideen für das gute Zusammenleben von Menschen mit und "
            "ohne Migrationserfahrung zu entwickeln und umzusetzen sowie dauerhafte Dialog- und "
            "Arbeitsstrukturen dafür zu entwickeln. Ein Moderationsteam von zwei Personen begleitet "
            "den Prozess über den gesamten Projektzeitraum."
        ),
        "target_group": "Kommunen, Landkreise und Gemeindeverwaltungsverbände in "
        "Baden-Württemberg. Voraussetzung ist ein Gemeinderats- bzw. Kreistagsbeschluss.",
        "partner_choice": "office",
        "eligible_kinds": ["kommune", "landkreis", "gvv"],
        "allows_follow_up": False,
        "voucher_validity_days": 365,
        "project_end": "2027-10-30",
        "team_size": 2,
        "requires_council_decision": True,
        "use_short_notice": False,
        "notice": "fueak",
        "periods": [("2026/27", "2026-01-01", "2027-10-30", 12)],
    },
    {
        "slug": "entwicklungswerkstatt",
        "kind": "werkstatt",
        "name": "Entwicklungswerkstatt für kommunale Engagementstrategien in NRW",
        "code_prefix": "EWS",
        "description": (
            "Entwicklung von Strategien und Strukturen für eine effiziente BE-Förderung, "
            "Qualifizierung der teilnehmenden Entwicklungsteams (Verwaltungs-Tandems), "
            "kollegialer Austausch und Verzahnung von Landes- und lokaler Ebene: sechs "
            "zweitägige Werkstätten in zwölf Monaten, ein Lernquellenpool, Exkursionen und "
            "kollegiale Beratung."
        ),
        "target_group": "Kommunen und Kreise in Nordrhein-Westfalen, die bisher keine "
        "strategische Engagementförderung haben. Auswahl über eine Ausschreibung.",
        "partner_choice": "office",
        "eligible_kinds": ["kommune", "landkreis"],
        "allows_follow_up": False,
        "voucher_validity_days": 365,
        "entry_by_call": True,
        "team_size": 1,
        "notice": "",
        "periods": [("2027", "2027-01-01", "2027-12-31", 20)],
    },
]


def seed_operators(apps) -> dict:
    """Idempotently create the three operators of the seeds with their contact persons."""
    Operator = apps.get_model("portal", "Operator")
    OperatorContact = apps.get_model("portal", "OperatorContact")
    operators = {}
    for spec in OPERATORS:
        spec = dict(spec)
        contacts = spec.pop("contacts")
        operator, created = Operator.objects.get_or_create(slug=spec.pop("slug"), defaults=spec)
        if created:
            for order, (name, role, phone, email) in enumerate(contacts):
                OperatorContact.objects.create(
                    operator=operator, name=name, role=role, phone=phone, email=email, order=order
                )
        operators[operator.slug] = operator
    return operators


def seed_reference_data(apps) -> None:
    """Idempotently create operators, programmes, periods, topics, cohorts, regions, languages
    and methods. Also runs from the first data migration, when operators and the newer
    programme fields do not exist yet: it then creates what the schema of that time holds."""
    import datetime as dt

    Programme = apps.get_model("portal", "Programme")
    ProgrammePeriod = apps.get_model("portal", "ProgrammePeriod")
    Topic = apps.get_model("portal", "Topic")
    Cohort = apps.get_model("portal", "Cohort")
    Region = apps.get_model("portal", "Region")
    Language = apps.get_model("portal", "Language")
    Method = apps.get_model("portal", "Method")

    from portal.models import Bundesland

    for code in Bundesland.values:
        Region.objects.get_or_create(code=code)
    for code, name in LANGUAGES:
        Language.objects.get_or_create(code=code, defaults={"name": name})
    for name in METHODS:
        Method.objects.get_or_create(name=name)
    cohorts = {name: Cohort.objects.get_or_create(name=name)[0] for name in COHORTS}

    field_names = {f.name for f in Programme._meta.get_fields()}
    has_operators = "operator" in field_names
    operators = seed_operators(apps) if has_operators else {}
    notices = {
        "fueak": (FUNDING_NOTICE_FULL, FUNDING_NOTICE_SHORT),
        # Until operators existed every programme carried the Führungsakademie's notice.
        "": ("", "") if has_operators else (FUNDING_NOTICE_FULL, FUNDING_NOTICE_SHORT),
    }

    for spec in PROGRAMMES:
        spec = dict(spec)
        periods = spec.pop("periods")
        cohort_names = spec.pop("cohorts", [])
        slug = spec.pop("slug")
        if spec["kind"] in ("begleitprozess", "werkstatt") and not has_operators:
            continue  # these kinds came with the operators
        for key in ("offer_ends", "project_end"):
            if spec.get(key):
                spec[key] = dt.date.fromisoformat(spec[key])
        full, short = notices[spec.pop("notice")]
        spec.update(funding_notice=full, funding_notice_short=short)
        spec = {k: v for k, v in spec.items() if k in field_names}
        if has_operators:
            spec["operator"] = operators[PROGRAMME_OPERATORS[slug]]
        programme, _ = Programme.objects.get_or_create(slug=slug, defaults=spec)
        programme.eligible_cohorts.add(*[cohorts[n] for n in cohort_names])
        for name, start, end, contingent in periods:
            ProgrammePeriod.objects.get_or_create(
                programme=programme,
                name=name,
                defaults={
                    "start": dt.date.fromisoformat(start),
                    "end": dt.date.fromisoformat(end),
                    "contingent": contingent,
                },
            )
        topics = {
            "prozessbegleitung": PB_TOPICS,
            "virtuell": [(name, "", False) for name in VB_TOPICS],
            "begleitprozess": [(name, "", False) for name in BEGLEITPROZESS_TOPICS],
            "werkstatt": [(name, "", False) for name in WERKSTATT_TOPICS],
        }[programme.kind]
        for order, (name, description, free) in enumerate(topics):
            Topic.objects.get_or_create(
                programme=programme,
                name=name,
                defaults={"description": description, "order": order, "is_free_text": free},
            )


def attach_operators(apps) -> None:
    """Data migration step: operators for programmes that existed before them; office staff
    of an existing installation keep seeing what they saw (all operators)."""
    Programme = apps.get_model("portal", "Programme")
    User = apps.get_model("portal", "User")
    operators = seed_operators(apps)
    for programme in Programme.objects.filter(operator__isnull=True):
        programme.operator = operators[
            PROGRAMME_OPERATORS.get(programme.slug, DEFAULT_OPERATOR_SLUG)
        ]
        programme.save(update_fields=["operator"])
    # The DSEE's voucher carried the Führungsakademie's notice; it is not the DSEE's.
    Programme.objects.filter(slug="prozessbegleitung", funding_notice=FUNDING_NOTICE_FULL).update(
        funding_notice="", funding_notice_short="", use_short_notice=False
    )
    for user in User.objects.filter(role="office"):
        user.operators.add(*operators.values())
