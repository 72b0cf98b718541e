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
        "contact_name": "Dr. Christine Dörner",
        "contact_email": "christine.doerner@fuehrungsakademie.bwl.de",
        "contact_phone": "0721 926-6613",
        "periods": [
            ("2026", "2026-01-01", "2026-12-31", 30),
            ("2027", "2027-01-01", "2027-12-31", 30),
        ],
    },
]


def seed_reference_data(apps) -> None:
    """Idempotently create programmes, periods, topics, cohorts, regions, languages, methods."""
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

    for spec in PROGRAMMES:
        spec = dict(spec)
        periods = spec.pop("periods")
        cohort_names = spec.pop("cohorts", [])
        slug = spec.pop("slug")
        if spec.get("offer_ends"):
            spec["offer_ends"] = dt.date.fromisoformat(spec["offer_ends"])
        spec.update(funding_notice=FUNDING_NOTICE_FULL, funding_notice_short=FUNDING_NOTICE_SHORT)
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
        if programme.kind == "prozessbegleitung":
            for order, (name, description, free) in enumerate(PB_TOPICS):
                Topic.objects.get_or_create(
                    programme=programme,
                    name=name,
                    defaults={"description": description, "order": order, "is_free_text": free},
                )
        else:
            for order, name in enumerate(VB_TOPICS):
                Topic.objects.get_or_create(
                    programme=programme, name=name, defaults={"order": order}
                )
