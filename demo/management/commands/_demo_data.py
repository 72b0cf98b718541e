"""Demo data for ``seed_demo``: organisations, facilitators and one scenario per organisation.

Names of places are real towns; people and addresses are invented."""

from __future__ import annotations

DEMO_PASSWORD = "Demo-Portal-2026!"  # noqa: S105 - printed on purpose: demo logins only
DEMO_DOMAIN = "demo.example"

ROLE_LOGINS = [
    # email, role, first name, last name
    ("antrag@demo.example", "applicant", "Jana", "Hoffmann"),
    ("office@demo.example", "office", "Tobias", "Kern"),
    ("begleitung@demo.example", "facilitator", "Miriam", "Albrecht"),
    ("admin@demo.example", "admin", "Sabine", "Ott"),
]

ES, KOMMUNE, LANDKREIS = "engagierte_stadt", "kommune", "landkreis"

# name, kind, Bundesland, city, postcode, structurally weak, rural, flags confirmed, cohorts
ORGANISATIONS = [
    (
        "Engagierte Stadt Sendenhorst",
        ES,
        "NW",
        "Sendenhorst",
        "48324",
        False,
        True,
        True,
        ["2020/21"],
    ),
    ("Engagierte Stadt Prenzlau", ES, "BB", "Prenzlau", "17291", True, True, True, []),
    ("Engagierte Stadt Zittau", ES, "SN", "Zittau", "02763", True, True, False, []),
    ("Engagierte Stadt Bad Belzig", ES, "BB", "Bad Belzig", "14806", False, True, False, []),
    ("Engagierte Stadt Goslar", ES, "NI", "Goslar", "38640", False, False, False, []),
    ("Engagierte Stadt Saarlouis", ES, "SL", "Saarlouis", "66740", False, False, False, []),
    ("Engagierte Stadt Ravensburg", ES, "BW", "Ravensburg", "88212", False, False, False, []),
    ("Engagierte Stadt Gladbeck", ES, "NW", "Gladbeck", "45964", True, False, True, []),
    ("Engagierte Stadt Hamburg-Harburg", ES, "HH", "Hamburg", "21073", False, False, False, []),
    ("Engagierte Stadt Güstrow", ES, "MV", "Güstrow", "18273", True, True, True, []),
    ("Engagierte Stadt Weißenfels", ES, "ST", "Weißenfels", "06667", True, False, True, []),
    ("Engagierte Stadt Eisenach", ES, "TH", "Eisenach", "99817", True, False, False, []),
    ("Engagierte Stadt Heide", ES, "SH", "Heide", "25746", False, True, False, []),
    ("Engagierte Stadt Dingolfing", ES, "BY", "Dingolfing", "84130", False, True, True, []),
    ("Engagierte Stadt Wolfhagen", ES, "HE", "Wolfhagen", "34466", False, True, False, []),
    ("Engagierte Stadt Bremerhaven", ES, "HB", "Bremerhaven", "27570", True, False, True, []),
    ("Engagierte Stadt Berlin-Marzahn", ES, "BE", "Berlin", "12679", True, False, False, []),
    (
        "Engagierte Stadt Neustadt an der Weinstraße",
        ES,
        "RP",
        "Neustadt an der Weinstraße",
        "67433",
        False,
        False,
        False,
        [],
    ),
    ("Gemeinde Baiersbronn", KOMMUNE, "BW", "Baiersbronn", "72270", False, True, True, ["2018/19"]),
    ("Stadt Mössingen", KOMMUNE, "BW", "Mössingen", "72116", False, False, False, ["2018/19"]),
    (
        "Landkreis Sigmaringen",
        LANDKREIS,
        "BW",
        "Sigmaringen",
        "72488",
        True,
        True,
        True,
        ["2018/19"],
    ),
    (
        "Stadt Schwäbisch Hall",
        KOMMUNE,
        "BW",
        "Schwäbisch Hall",
        "74523",
        False,
        False,
        False,
        ["2020/21"],
    ),
    (
        "Gemeinde Weissach im Tal",
        KOMMUNE,
        "BW",
        "Weissach im Tal",
        "71554",
        False,
        True,
        False,
        ["2020/21"],
    ),
    ("Landkreis Calw", LANDKREIS, "BW", "Calw", "75365", False, True, True, ["2020/21"]),
    ("Stadt Bruchsal", KOMMUNE, "BW", "Bruchsal", "76646", False, False, False, ["2018/19"]),
    (
        "Gemeinde Wutöschingen",
        KOMMUNE,
        "BW",
        "Wutöschingen",
        "79793",
        True,
        True,
        False,
        ["2020/21"],
    ),
    (
        "Stadt Rottenburg am Neckar",
        KOMMUNE,
        "BW",
        "Rottenburg am Neckar",
        "72108",
        False,
        False,
        False,
        ["2018/19"],
    ),
    (
        "Landkreis Tuttlingen",
        LANDKREIS,
        "BW",
        "Tuttlingen",
        "78532",
        False,
        True,
        False,
        ["2020/21"],
    ),
    (
        "Stadt Bietigheim-Bissingen",
        KOMMUNE,
        "BW",
        "Bietigheim-Bissingen",
        "74321",
        False,
        False,
        False,
        [],
    ),
    ("Kreis Steinfurt", LANDKREIS, "NW", "Steinfurt", "48565", False, True, False, []),
]

# Registered by an applicant, waiting for the office ("Neue Registrierungen").
PENDING_ORGANISATION = (
    "Engagierte Stadt Wittstock/Dosse",
    ES,
    "BB",
    "Wittstock/Dosse",
    "16909",
    True,
    True,
    False,
    [],
)

# email local part, first, last, Bundesländer, languages, PB topic indexes, VB topic indexes,
# methods, capacity, bio
FACILITATORS = [
    (
        "begleitung",
        "Miriam",
        "Albrecht",
        ["BW", "RP", "HE", "NW"],
        ["de", "en"],
        [0, 1, 5],
        [0, 2],
        ["Moderation", "Zukunftswerkstatt", "Open Space"],
        5,
        "Moderatorin und Organisationsberaterin. Begleitet seit 2015 Engagement-Netzwerke beim "
        "Klären von Rollen und beim Entwickeln eines gemeinsamen Leitbildes.",
    ),
    (
        "begleitung2",
        "Kemal",
        "Yıldız",
        ["NW", "NI", "HB"],
        ["de", "tr", "en"],
        [2, 3],
        [1, 8],
        ["Stakeholder-Analyse", "World Café"],
        4,
        "Netzwerkentwickler mit Erfahrung in Migrantenselbstorganisationen und in der "
        "Zusammenarbeit mit Unternehmen.",
    ),
    (
        "begleitung3",
        "Ulrike",
        "Brandt",
        ["MV", "BB", "BE"],
        ["de"],
        [4, 6],
        [4, 10],
        ["Konfliktmoderation", "Kollegiale Beratung"],
        3,
        "Mediatorin; unterstützt bei Koordinationswechseln und in festgefahrenen Situationen.",
    ),
    (
        "begleitung4",
        "Jonas",
        "Weber",
        ["ST", "SN", "TH"],
        ["de", "en"],
        [5, 7],
        [3, 5],
        ["Online-Beteiligung", "Großgruppenverfahren"],
        4,
        "Beteiligungsexperte für Bürgerräte und Zufallsauswahl; moderiert auch online.",
    ),
    (
        "begleitung5",
        "Sophie",
        "Lambert",
        ["RP", "SL", "BW"],
        ["de", "fr"],
        [1, 6],
        [6, 7],
        ["Umfragen", "Strategieentwicklung"],
        4,
        "Sozialwissenschaftlerin; verbindet Befragungen mit Strategieworkshops zur Verstetigung.",
    ),
    (
        "begleitung6",
        "Oleksandr",
        "Koval",
        ["BW", "BY"],
        ["de", "uk", "ru"],
        [2, 7],
        [0, 1],
        ["Design Thinking", "Moderation"],
        3,
        "Begleitet Initiativen mit Geflüchteten und digitale Formate der Zusammenarbeit.",
    ),
    (
        "begleitung7",
        "Hanna",
        "Schulte",
        ["SH", "HH", "NI"],
        ["de", "en"],
        [0, 3, 4],
        [8, 9],
        ["Open Space", "Kollegiale Beratung"],
        4,
        "Verwaltungswissenschaftlerin; bringt Hauptamt und Ehrenamt an einen Tisch.",
    ),
    (
        "begleitung8",
        "Rania",
        "Haddad",
        ["HE", "BE", "NW"],
        ["de", "ar", "en"],
        [5, 7],
        [5, 7],
        ["World Café", "Großgruppenverfahren", "Online-Beteiligung"],
        4,
        "Moderiert mehrsprachige Beteiligungsformate und erreicht „stille Gruppen“.",
    ),
]

CHALLENGES = [
    (
        "Unsere Kerngruppe ist überlastet; Aufgaben liegen bei wenigen Personen.",
        "Klare Zuständigkeiten und eine Arbeitsweise, die auch in zwei Jahren noch trägt.",
    ),
    (
        "Nach dem Wechsel der Koordination fehlt ein gemeinsames Bild, wohin das Netzwerk will.",
        "Ein gemeinsames Leitbild und drei Vorhaben für das kommende Jahr.",
    ),
    (
        "Wir erreichen vor allem Menschen, die sich ohnehin engagieren.",
        "Neue Zielgruppen ansprechen, insbesondere Jugendliche und Zugezogene.",
    ),
    (
        "Die Zusammenarbeit mit der Verwaltung und mit Unternehmen ist bisher zufällig.",
        "Verbindliche Partnerschaften und ein regelmäßiges Austauschformat.",
    ),
]

# One scenario per organisation: its applications (and vouchers). Applied only to an
# organisation that has neither applications nor vouchers yet, so a second run adds nothing.
# Application: programme ("pb"/"vb"), status, days since submission, optional voucher.
# Voucher: status, facilitator keys, sessions (activity, minutes, format, days after start).
# The queue of Prozessbegleitung then shows all four tiers:
#   tier 1 Prenzlau, Zittau, Bad Belzig, Berlin-Marzahn · tier 2 Goslar, Saarlouis, Ravensburg
#   tier 3 Gladbeck (follow-up, strukturschwach) · tier 4 Hamburg-Harburg (follow-up).
SCENARIOS = {
    "Engagierte Stadt Sendenhorst": [
        {
            "programme": "pb",
            "status": "approved",
            "days_ago": 75,
            "voucher": {
                "status": "active",
                "facilitators": ["begleitung"],
                "sessions": [
                    ("gespraech_spitze", 90, "vor_ort", 3),
                    ("vorbereitung", 60, "video", 10),
                    ("auftakt", 180, "vor_ort", 14),
                    ("workshop", 240, "vor_ort", 35),
                ],
            },
        },
        # A draft while the voucher is open: it can be sent once the voucher is closed. (No
        # Virtuelle Begleitung: an Engagierte Stadt is not among those eligible for it.)
        {"programme": "pb", "status": "draft"},
    ],
    "Engagierte Stadt Prenzlau": [{"programme": "pb", "status": "submitted", "days_ago": 20}],
    "Engagierte Stadt Zittau": [{"programme": "pb", "status": "in_review", "days_ago": 16}],
    "Engagierte Stadt Bad Belzig": [{"programme": "pb", "status": "submitted", "days_ago": 2}],
    "Engagierte Stadt Berlin-Marzahn": [{"programme": "pb", "status": "submitted", "days_ago": 9}],
    "Engagierte Stadt Goslar": [{"programme": "pb", "status": "submitted", "days_ago": 12}],
    "Engagierte Stadt Saarlouis": [{"programme": "pb", "status": "waitlisted", "days_ago": 41}],
    "Engagierte Stadt Ravensburg": [{"programme": "pb", "status": "submitted", "days_ago": 25}],
    "Engagierte Stadt Gladbeck": [
        {
            "programme": "pb",
            "status": "approved",
            "days_ago": 290,
            "voucher": {
                "status": "feedback_received",
                "facilitators": ["begleitung2"],
                "sessions": [
                    ("auftakt", 240, "vor_ort", 10),
                    ("analyse", 300, "vor_ort", 40),
                    ("vorbereitung", 120, "telefon", 60),
                    ("praesentation", 180, "vor_ort", 90),
                ],
            },
        },
        {"programme": "pb", "status": "submitted", "days_ago": 8, "follow_up": True},
    ],
    "Engagierte Stadt Hamburg-Harburg": [
        {
            "programme": "pb",
            "status": "approved",
            "days_ago": 260,
            "voucher": {
                "status": "closed",
                "facilitators": ["begleitung7"],
                "sessions": [("steuergruppe", 180, "vor_ort", 7), ("workshop", 360, "vor_ort", 30)],
            },
        },
        {"programme": "pb", "status": "submitted", "days_ago": 5, "follow_up": True},
    ],
    "Engagierte Stadt Güstrow": [
        {
            "programme": "pb",
            "status": "approved",
            "days_ago": 6,
            "voucher": {"status": "issued", "facilitators": ["begleitung3"], "sessions": []},
        },
    ],
    "Engagierte Stadt Weißenfels": [
        {
            "programme": "pb",
            "status": "approved",
            "days_ago": 120,
            "voucher": {
                "status": "active",
                "facilitators": ["begleitung", "begleitung4"],
                "sessions": [
                    ("auftakt", 240, "vor_ort", 5),
                    ("konsultation", 240, "vor_ort", 30),
                    ("vorbereitung", 120, "video", 31),
                ],
            },
        },
    ],
    "Engagierte Stadt Eisenach": [
        {
            "programme": "pb",
            "status": "approved",
            "days_ago": 200,
            "voucher": {
                "status": "closing_requested",
                "facilitators": ["begleitung4"],
                "sessions": [
                    ("auftakt", 240, "vor_ort", 10),
                    ("workshop", 360, "vor_ort", 45),
                    ("quartalstreffen", 180, "video", 100),
                    ("wirksamkeit", 150, "vor_ort", 150),
                ],
            },
        },
    ],
    "Engagierte Stadt Bremerhaven": [
        {
            "programme": "pb",
            "status": "approved",
            "days_ago": 230,
            "voucher": {
                "status": "feedback_sent",
                "facilitators": ["begleitung7"],
                "sessions": [("auftakt", 180, "vor_ort", 8), ("workshop", 300, "vor_ort", 40)],
            },
        },
    ],
    "Engagierte Stadt Heide": [{"programme": "pb", "status": "rejected", "days_ago": 50}],
    "Engagierte Stadt Dingolfing": [{"programme": "pb", "status": "withdrawn", "days_ago": 30}],
    "Engagierte Stadt Wolfhagen": [{"programme": "pb", "status": "draft"}],
    "Gemeinde Baiersbronn": [
        {
            "programme": "vb",
            "status": "approved",
            "days_ago": 90,
            "preferred": "begleitung",
            "voucher": {
                "status": "active",
                "facilitators": ["begleitung", "begleitung6"],
                "sessions": [
                    ("sparring", 60, "video", 7),
                    ("sparring", 60, "telefon", 21),
                    ("sparring", 120, "video", 35),
                ],
            },
        },
    ],
    "Landkreis Sigmaringen": [
        {
            "programme": "vb",
            "status": "approved",
            "days_ago": 240,
            "preferred": "begleitung5",
            "voucher": {
                "status": "closed",
                "facilitators": ["begleitung5"],
                "sessions": [("sparring", 60, "video", d) for d in (5, 20, 35, 50, 65, 80)],
            },
        },
    ],
    "Stadt Mössingen": [
        {"programme": "vb", "status": "submitted", "days_ago": 4, "preferred": "begleitung8"}
    ],
    "Landkreis Calw": [
        {"programme": "vb", "status": "in_review", "days_ago": 11, "preferred": "begleitung6"}
    ],
    "Stadt Schwäbisch Hall": [{"programme": "vb", "status": "draft", "preferred": "begleitung"}],
    "Gemeinde Weissach im Tal": [
        {"programme": "vb", "status": "withdrawn", "days_ago": 19, "preferred": "begleitung5"}
    ],
    "Stadt Bruchsal": [
        {"programme": "vb", "status": "rejected", "days_ago": 33, "preferred": "begleitung2"}
    ],
}
