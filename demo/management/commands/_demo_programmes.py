"""Demo data of the programme platform (issue 14): office logins per operator, the FüAk's
accompanied process, more Virtuelle Begleitung and the admitted sites of the NRW
Entwicklungswerkstatt. Every Antrag obeys the programme's eligibility (kinds, cohorts); the
Werkstatt takes no Antrag (entry by call), so its sites are admitted cases without one."""

from __future__ import annotations

# email, first, last, operator slugs
OFFICE_LOGINS = [
    ("office@demo.example", "Tobias", "Kern", ["dsee"]),
    ("fueak@demo.example", "Carla", "Dörr", ["fueak-bw"]),
    ("nrw@demo.example", "Lars", "Brinkmann", ["ews-nrw"]),
    ("zwei@demo.example", "Petra", "Vogel", ["dsee", "fueak-bw"]),
]
OPERATOR_LABELS = {
    "dsee": "DSEE – Engagierte Stadt",
    "fueak-bw": "Führungsakademie Baden-Württemberg",
    "ews-nrw": "Entwicklungswerkstatt NRW",
}
PROGRAMME_SLUGS = {
    "pb": "prozessbegleitung",
    "vb": "virtuelle-begleitung",
    "ibe": "integration-durch-be",
    "ews": "entwicklungswerkstatt",
}

# The organisation that has a FüAk accompanied process and a Virtuelle Begleitung, so that
# "at most 5 units with facilitators already in the process" can be seen and tried: Oleksandr
# Koval (begleitung6) is on its process team and one of its sparring partners.
IN_PROCESS_ORGANISATION = "Gemeinde Baiersbronn"

NRW_ORGANISATIONS = [
    # name, kind, Bundesland, city, postcode, weak, rural, confirmed, cohorts
    ("Stadt Lemgo", "kommune", "NW", "Lemgo", "32657", False, False, True, []),
    ("Stadt Arnsberg", "kommune", "NW", "Arnsberg", "59755", False, True, True, []),
    ("Gemeinde Hiddenhausen", "kommune", "NW", "Hiddenhausen", "32120", False, True, False, []),
]

_PROCESS_SESSIONS = [
    ("gespraech_spitze", 120, "vor_ort", 3),
    ("baustein_konzeption", 360, "vor_ort", 20),
    ("baustein_commitment", 90, "vor_ort", 40),
    ("baustein_zukunftsbild", 480, "vor_ort", 70),
]

# Added to the scenarios of ``_demo_data`` per organisation and programme: a programme's steps
# are applied when the organisation has nothing in that programme yet (a second run, and a
# database seeded before these programmes existed, get exactly what is missing).
PROGRAMME_SCENARIOS = {
    "Gemeinde Baiersbronn": [
        # First the accompanied process, so the sparring units know who is in the process.
        {
            "programme": "ibe",
            "status": "approved",
            "days_ago": 150,
            "voucher": {
                "status": "active",
                "facilitators": ["begleitung6", "begleitung5"],
                "sessions": _PROCESS_SESSIONS,
            },
        },
    ],
    "Stadt Rottenburg am Neckar": [
        {
            "programme": "ibe",
            "status": "approved",
            "days_ago": 300,
            "voucher": {
                "status": "closed",
                "facilitators": ["begleitung", "begleitung5"],
                "sessions": [*_PROCESS_SESSIONS, ("wirksamkeit", 240, "vor_ort", 200)],
            },
        },
        {
            "programme": "vb",
            "status": "approved",
            "days_ago": 4,
            "preferred": "begleitung8",
            "voucher": {"status": "issued", "facilitators": ["begleitung8"], "sessions": []},
        },
    ],
    "Landkreis Tuttlingen": [
        {
            "programme": "ibe",
            "status": "approved",
            "days_ago": 220,
            "voucher": {
                "status": "closing_requested",
                "facilitators": ["begleitung6", "begleitung"],
                "sessions": _PROCESS_SESSIONS,
            },
        },
        {"programme": "vb", "status": "submitted", "days_ago": 6, "preferred": "begleitung6"},
    ],
    "Gemeinde Wutöschingen": [
        {
            "programme": "ibe",
            "status": "approved",
            "days_ago": 10,
            "voucher": {"status": "issued", "facilitators": ["begleitung5", "begleitung6"]},
        },
        {
            "programme": "vb",
            "status": "approved",
            "days_ago": 160,
            "preferred": "begleitung2",
            "voucher": {
                "status": "closing_requested",
                "facilitators": ["begleitung2", "begleitung3"],
                "sessions": [("sparring", 60, "video", d) for d in (4, 18, 32, 46)],
            },
        },
    ],
    "Stadt Bietigheim-Bissingen": [{"programme": "ibe", "status": "submitted", "days_ago": 14}],
    "Stadt Mössingen": [{"programme": "ibe", "status": "in_review", "days_ago": 21}],
    "Landkreis Calw": [{"programme": "ibe", "status": "waitlisted", "days_ago": 45}],
    "Stadt Bruchsal": [{"programme": "ibe", "status": "draft"}],
    "Stadt Schwäbisch Hall": [{"programme": "ibe", "status": "rejected", "days_ago": 60}],
    "Gemeinde Weissach im Tal": [{"programme": "ibe", "status": "withdrawn", "days_ago": 27}],
    "Landkreis Sigmaringen": [{"programme": "ibe", "status": "submitted", "days_ago": 3}],
    # Entwicklungswerkstatt: sites admitted through the call (no Antrag), one per state.
    "Kreis Steinfurt": [{"programme": "ews", "site": "active", "days_ago": 120}],
    "Stadt Lemgo": [{"programme": "ews", "site": "closed", "days_ago": 330}],
    "Stadt Arnsberg": [{"programme": "ews", "site": "issued", "days_ago": 7}],
    "Gemeinde Hiddenhausen": [{"programme": "ews", "site": "closing_requested", "days_ago": 300}],
}
WERKSTATT_TEAM = ["begleitung2", "begleitung8"]
WERKSTATT_SESSIONS = [
    ("workshop", 720, "vor_ort", 14),
    ("workshop", 720, "vor_ort", 75),
    ("vorbereitung", 120, "video", 80),
]
