"""Plan templates from the seed documents, in their own wording.

Used by the data migration (``0002_plan_templates``) and by ``plans.ensure_templates`` for
programmes created later (a new programme of the same kind gets the same templates). Each
template: (key, name, is_default, [(section, title, description), …])."""

from __future__ import annotations

# Seed 002, "Neun Prozessbausteine". Bausteine 8 and 9 have no title in the seed; the title
# here names what the seed's text says (experienced facilitators; the state steering group).
BAUSTEINE = [
    (
        "Neun Prozessbausteine",
        "Baustein 1: Gemeinsame Konzeption",
        "Wir analysieren die Themenfelder und bisherigen Aktivitäten vor Ort und entwickeln "
        "gemeinsam mit kommunalen Verantwortlichen und lokalen Schlüsselakteur/innen (Verwaltung, "
        "Kreis- bzw. Gemeinderat, bestehende Arbeitskreise, bürgerschaftlich Engagierte, "
        "Geflüchtete ...) in einem Planungsworkshop das Grobkonzept. Eine beschließende "
        "Projekt-Steuerungsgruppe wird benannt. Der Steuerungsgruppe sollen auf jeden Fall "
        "Verwaltungs-externe Vertreter*innen angehören von der Akteur*innen- und "
        "Betroffenenenebene. Zusätzlich soll eine Begleit- oder Resonanzgruppe installiert werden.",
    ),
    (
        "Neun Prozessbausteine",
        "Baustein 2: Politisches Commitment",
        "Der Gemeinderat bzw. Kreisrat stellt sich hinter das Projekt. Meilensteine sind "
        "Gemeinderats- bzw. Kreistagsbeschlüsse. Die Verwaltungsspitze stellt Unterstützung "
        "sicher und verankert das Projekt in der obersten Führungsebene (OB, BM, Landrat, ELB,...).",
    ),
    (
        "Neun Prozessbausteine",
        "Baustein 3: Kraftvolles Zukunftsbild und Mobilisierung",
        "In einem Auftaktworkshop entwickeln wir ein kraftvolles Zukunftsbild, analysieren "
        "Herausforderungen sowie Handlungsfelder und finden weitere Akteur*innen. Zur Bearbeitung "
        "der Handlungsfelder werden Arbeitsgruppen eingesetzt und Handlungsfeldverantwortliche "
        "benannt. Eine Projektbegleit- oder Resonanzgruppe mit einem erweiterten Kreis "
        "(zivilgesellschaftliche Akteur*innen) wird gebildet. Bei allen Veranstaltungen ist auf "
        "Niederschwelligkeit und Barrierefreiheit zu achten.",
    ),
    (
        "Neun Prozessbausteine",
        "Baustein 4: Projektplan für den Prozess",
        "Zusammen mit der Projekt-Steuerungsgruppe erarbeiten wir in einem Strategieworkshop den "
        "maßgeschneiderten Projektplan. Er wird von den verantwortlichen Gremien legitimiert.",
    ),
    (
        "Neun Prozessbausteine",
        "Baustein 5: Integrationsplan",
        "Die Arbeitsgruppen erarbeiten konkrete Vorschläge für ihr jeweiliges Handlungsfeld und "
        "bauen die bereits laufenden Aktivitäten ein. Die Ergebnisse werden z.B. in "
        "Plenarworkshops koordiniert, mit der Projekt-Steuerungsgruppe und der "
        "Projekt-Begleitgruppe rückgekoppelt und die Umsetzung geplant.",
    ),
    (
        "Neun Prozessbausteine",
        "Baustein 6: Umsetzung und Umsetzungsbegleitung",
        "Die Maßnahmen werden umgesetzt. Eine Projekt-Begleitgruppe achtet auf Umsetzung, "
        "Kommunikation und Öffentlichkeitsarbeit. Die Arbeitsgruppen treffen sich regelmäßig. "
        "Projektstrukturen werden in die Regelsteuerung überführt und so die eigenständige, "
        "kontinuierliche Fortsetzung des Dialogs und eine systematische Umsetzung gewährleistet.",
    ),
    (
        "Neun Prozessbausteine",
        "Baustein 7: Netzwerktreffen und Öffentlichkeitsarbeit",
        "Die Führungsakademie lädt alle Projektpartnerinnen und -partner zu drei Netzwerktreffen "
        "und Transferworkshops ein. Dort findet Austausch über Erfahrungen, Ergebnisse, "
        "Erfolgsfaktoren und Qualitätssicherung statt. Die Teilnahme daran ist verpflichtend. "
        "Zu jedem Prozess gehört Öffentlichkeitsarbeit.",
    ),
    (
        "Neun Prozessbausteine",
        "Baustein 8: Erfahrene Prozessbegleiterinnen und Prozessbegleiter",
        "Erfahrene Prozessbegleiterinnen und Prozessbegleiter werden eingesetzt und in "
        "regelmäßigen Treffen vernetzt. Sie arbeiten nach gemeinsam vereinbarten Standards. "
        "Dadurch wird Qualität gesichert.",
    ),
    (
        "Neun Prozessbausteine",
        "Baustein 9: Steuerungsgruppe auf Landesebene",
        "Eine Steuerungsgruppe auf Landesebene steuert den Gesamtprozess. Sie besteht aus "
        "Vertreter*innen des Ministeriums für Soziales und Integration, des Staatsministeriums "
        "(Stabsstelle für Bürgerbeteiligung und Zivilgesellschaft), der drei Kommunalen "
        "Landesverbände, des Landesverbandes der kommunalen Migrantenorganisationen und der "
        "Führungsakademie.",
    ),
]

_ETABLIERUNG = "1. Empfehlungen zur Etablierung eines Prozesses"
_STRATEGIE = "2. Empfehlungen zur Entwicklung einer Strategie"
_UMSETZUNG = "3. Empfehlungen für die weitere Ausarbeitung und Umsetzung der Strategie"

# Seed 003, "Prozessschritte für die Netzwerkarbeit – Exemplarischer Ablauf".
SCHRITTE = [
    (
        _ETABLIERUNG,
        "Gespräch mit kommunaler Spitze",
        "Zuerst ist zu klären, ob der Oberbürgermeister oder die Landrätin den geplanten "
        "Veränderungsprozess unterstützen würden. Anschließend wird besprochen, welche Ämter und "
        "Beauftragte idealerweise in der Steuergruppe beteiligt sein müssen. Es empfiehlt sich, "
        "dass die kommunale Spitze die benannten Ämter und Beauftragten über den geplanten "
        "Prozess informiert. Abschließend kann darüber gesprochen werden, auf welche Weise "
        "weitere Akteure beteiligt werden.",
    ),
    (
        _ETABLIERUNG,
        "Auftakttreffen der Steuergruppe",
        "Was wollen wir gemeinsam erreichen? Diese Frage steht zu Beginn des ersten Treffens. "
        "Anschließend identifizieren die Mitglieder die jeweiligen Handlungsfelder, an denen "
        "gearbeitet werden soll. Danach kann eine Stakeholder-Analyse erfolgen. Abschließend "
        "empfiehlt es sich, Termine für einen Analyseworkshop, einen möglichen "
        "Konsultationsworkshop und die Zielformulierung zu vereinbaren.",
    ),
    (
        _ETABLIERUNG,
        "Konsultationsworkshop",
        "Geflüchtete werden angehört, damit ihre Interessen und Bedürfnisse bei der "
        "Strategieentwicklung im Zentrum stehen. Der Workshop findet idealerweise zu Beginn des "
        "Prozesses statt, bevor die Steuergruppe die Themenfelder im Detail festlegt.",
    ),
    (
        _ETABLIERUNG,
        "Zweites Treffen der Steuergruppe",
        "In diesem Treffen werden zunächst die Ergebnisse aus dem Konsultationsworkshop "
        "vorgestellt – idealerweise unter Beteiligung einzelner Teilnehmender. Anschließend "
        "werden die Handlungsfelder festgelegt. Außerdem können zukünftige Termine vereinbart "
        "und vorbereitet werden.",
    ),
    (
        _STRATEGIE,
        "Analyseworkshop",
        "Neben ausgewählten Personen aus der Verwaltung und den verschiedenen Ämtern bietet es "
        "sich an, dem Thema entsprechend Vertreter aus der Zivilgesellschaft und der Wirtschaft "
        "einzuladen. Gemeinsam identifizieren die Teilnehmenden die Themenfelder, analysieren zu "
        "diesen den aktuellen Ist-Stand und formulieren erste Ziele für den angestrebten "
        "Veränderungsprozess. Diese können mit ersten Meilensteinen und Maßnahmen unterlegt "
        "werden.",
    ),
    (
        _STRATEGIE,
        "Treffen der Steuergruppe",
        "Anschließend wertet die Steuergruppe die Ergebnisse des Analyseworkshops aus. Zudem "
        "können die Ziele und Maßnahmen für die weitere Arbeit konkreter formuliert werden.",
    ),
    (
        _STRATEGIE,
        "Gespräch mit kommunaler Spitze",
        "Im Vorfeld werden die bisherigen Ergebnisse in den relevanten Gremien wie Stadtrat, "
        "Kreistag oder speziellen Ausschüssen vorgestellt. Im Gespräch können zunächst die "
        "Ergebnisse des Konsultationsworkshops präsentiert werden. Anschließend können die "
        "Ergebnisse aus dem Analyseworkshop besprochen werden. Außerdem wird vereinbart, welche "
        "Ziele und Maßnahmen umgesetzt oder weiterentwickelt werden sollen. Abschließend wird "
        "verabredet, wer die Maßnahmen bis wann umsetzen soll.",
    ),
    (
        _STRATEGIE,
        "Präsentation der Ergebnisse",
        "Die Präsentation der zukünftigen Netzwerkarbeit in der Öffentlichkeit kann alle "
        "Beteiligten ermutigen, motivieren und schafft größere Verbindlichkeit für die "
        "Umsetzung. Die Neuigkeit lässt sich zum Beispiel in Form einer Pressemitteilung "
        "kommunizieren.",
    ),
    (
        _UMSETZUNG,
        "Quartalstreffen der Steuergruppe",
        "In regelmäßigen Treffen besprechen die Mitglieder den aktuellen Stand der Umsetzung. "
        "Eine zuvor vereinbarte Zielerklärung dient dafür als Orientierung. Außerdem können die "
        "Treffen dazu genutzt werden, neue Themen zu diskutieren und an diesen zu arbeiten.",
    ),
    (
        _UMSETZUNG,
        "Wirksamkeit überprüfen",
        "In einem Workshop, der in der Mitte und/oder am Ende der Netzwerkarbeit stattfindet, "
        "können die Teilnehmenden überprüfen, ob sie durch die Maßnahmen die verabredeten Ziele "
        "erreicht haben. Zu diesem Workshop werden die Teilnehmenden des Analyseworkshops "
        "eingeladen. Zudem ist zu prüfen, ob die Geflüchteten aus dem Konsultationsworkshop "
        "ebenfalls am Treffen teilnehmen können. Nachdem die bisherigen Ergebnisse vorgestellt "
        "worden sind, kann die Gruppe bei Bedarf weitere Projekte und Maßnahmen beschließen.",
    ),
]

_ANREGUNGEN = "Anregungen für die Strategie- und Strukturentwicklung vor Ort"
_NACHHALTIGKEIT = "Nachhaltigkeit sichern durch …"

# Seed 004, "Anregungen für die Strategie- und Strukturentwicklung vor Ort" and
# "Nachhaltigkeit sichern durch …" (the slide's words; no longer texts in the seed).
ANREGUNGEN = [
    (_ANREGUNGEN, "Intern: Bestandsanalyse", ""),
    (_ANREGUNGEN, "BE-Förderung zur Chefsache machen", ""),
    (_ANREGUNGEN, "Entwicklungsteam und weitere Strukturen aufbauen", ""),
    (_ANREGUNGEN, "Querschnittaufgabe BE gemeinsam strategisch angehen", ""),
    (_ANREGUNGEN, "Anlaufstellen schaffen und in Kooperation bringen", ""),
    (_ANREGUNGEN, "Eigeninitiative im Sozialraum achten und fördern", ""),
    (_ANREGUNGEN, "Plattformen für Vernetzung und gemeinsame Entwicklung bereitstellen", ""),
    (_ANREGUNGEN, "Öffentlichkeit herstellen", ""),
    (_ANREGUNGEN, "Politik einbeziehen", ""),
    (_ANREGUNGEN, "Gewinnung von Kooperationspartnern wie Unternehmen", ""),
    (_NACHHALTIGKEIT, "Berichtswesen und Monitoring", "Intern"),
    (
        _NACHHALTIGKEIT,
        "Sicherung des Wissenstransfers bei Personalwechsel / Wechsel an Verwaltungsspitze",
        "Intern",
    ),
]

# Programme kind → templates: (key, name, is_default, milestones).
TEMPLATES_BY_KIND = {
    "begleitprozess": [
        (
            "schritte",
            "Exemplarischer Ablauf: Prozessschritte für die Netzwerkarbeit",
            True,
            SCHRITTE,
        ),
        ("bausteine", "Neun Prozessbausteine", False, BAUSTEINE),
    ],
    "werkstatt": [
        ("anregungen", _ANREGUNGEN, True, ANREGUNGEN),
    ],
}

# Programme slugs of the seeded data (portal migration 0006) → their kind's templates.
SEEDED_PROGRAMMES = {"integration-durch-be": "begleitprozess", "entwicklungswerkstatt": "werkstatt"}


def seed_plan_templates(apps) -> int:
    """Install the templates for every programme of a kind that has some and has none yet.
    Idempotent; ``apps`` is the migration's app registry (or ``django.apps.apps``)."""
    programme_model = apps.get_model("portal", "Programme")
    created = 0
    for programme in programme_model.objects.filter(kind__in=list(TEMPLATES_BY_KIND)):
        created += install_templates(apps, programme)
    return created


def install_templates(apps, programme) -> int:
    template_model = apps.get_model("programme_work", "PlanTemplate")
    item_model = apps.get_model("programme_work", "TemplateMilestone")
    if template_model.objects.filter(programme_id=programme.pk).exists():
        return 0
    created = 0
    for position, (key, name, is_default, items) in enumerate(
        TEMPLATES_BY_KIND.get(programme.kind, ())
    ):
        template = template_model.objects.create(
            programme_id=programme.pk, key=key, name=name, is_default=is_default, position=position
        )
        item_model.objects.bulk_create(
            item_model(
                template=template,
                position=index,
                section=section,
                title=title,
                description=description,
            )
            for index, (section, title, description) in enumerate(items)
        )
        created += 1
    return created
