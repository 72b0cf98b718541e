"""The seed 002 agreement (Vereinbarung) of an accompanied process (kind ``begleitprozess``).

Wording of seed 002; where it names the Führungsakademie the text says ``{programmträger}``
(the operator's legal name) or ``{kurzname}`` (the block ``kurzname-programmbuero``), so that
a programme of another operator never names the Führungsakademie."""

from __future__ import annotations

PROJECT = "„Integration durch Bürgerschaftliches Engagement und Zivilgesellschaft“"

_COMMON = {
    "kurzname-programmbuero": ("", "{programmträger}"),
    "kurzname-partner": ("", "Projektpartner"),
    "s3-foerderhinweis": (
        "",
        "In Einladungen, bei der Durchführung und in allen Publikationen zur Prozessbegleitung ist "
        "auf die Projektträgerschaft durch die {programmträger} und auf die "
        "Förderung durch das Ministerium für Soziales und Integration Baden-Württemberg "
        "hinzuweisen:",
    ),
    "s3-kurzform": (
        "",
        "Der Satzteil „im Rahmen des Landesprogramms „Integration durch Bürgerschaftliches "
        "Engagement und Zivilgesellschaft“ ist entbehrlich, wenn dies aus Platzgründen, bspw. bei "
        "Veröffentlichungen, notwendig ist.",
    ),
    "s4": (
        "Auftragsmodalitäten und Stornoregelung",
        "Im Falle von Verzögerungen, die die {kurzname} nicht zu verantworten hat und die "
        "einen Abschluss der Prozessbegleitung im Förderzeitraum verhindern oder im Falle des "
        "Projektabbruchs bestehen keine Ansprüche gegen die {kurzname} auf "
        "Ersatzleistungen, insbesondere die unentgeltliche Verlängerung der Prozessbegleitung oder "
        "Ersatz für nicht durchgeführte Maßnahmen.\n\n"
        "Der Projektpartner verpflichtet sich, an der Evaluation und an der Dokumentation "
        "teilzunehmen. Er unterstützt die Öffentlichkeitsarbeit der {kurzname} und des "
        "Landes Baden-Württemberg und stellt dafür Materialien aus dem Projekt wie schriftliche "
        "Dokumente, Vorlagen und Fotos zur Verfügung.",
    ),
    "s5": ("Ansprechpersonen", "Für Rückfragen stehen Ihnen zur Verfügung:"),
    "unterschriften": ("Beschluss zur Durchführung der Prozessbegleitung", ""),
}

_S3_WEITERE = (
    "Dem Moderationsteam obliegen die konzeptionelle Gestaltung und die Moderation des Prozesses "
    "in enger Abstimmung mit den örtlich Verantwortlichen. Für die Organisation von Terminen, "
    "Räumlichkeiten und Verpflegung, Medienarbeit sowie das Informations- und "
    "Einladungsmanagement sind die örtlich Verantwortlichen zuständig in enger Abstimmung mit dem "
    "Moderationsteam.\n\n"
    "Die Kosten für den Einsatz des Moderationsteams werden aus Mitteln des Ministeriums für "
    "Soziales und Integration Baden-Württemberg getragen, für die Projektpartner entstehen dafür "
    "keine Kosten. Alle weiteren Kosten wie Personaleinsatz und Reisekosten des Projektpartners, "
    "Kosten für Räume, Verpflegung oder Kommunikationsaufwand trägt der Projektpartner.\n\n"
    "Für eine erfolgreiche Durchführung der Maßnahme ist eine enge Zusammenarbeit zwischen "
    "Projektpartner, {kurzname} und beauftragtem Moderationsteam erforderlich.\n\n"
    "Die {kurzname} und das beauftragte Moderationsteam verpflichten sich zur "
    "Verschwiegenheit gegenüber Dritten bzgl. aller im Rahmen der Maßnahme erhaltenen "
    "Informationen.\n\n"
    "Der Projektpartner verpflichtet sich, alle Veränderungen, die für die Durchführung der "
    "Maßnahme von Bedeutung sind, der {kurzname} und dem beauftragten Moderationsteam "
    "unverzüglich mitzuteilen. Dies gilt insbesondere für Terminverschiebungen oder andere "
    "Verzögerungen oder Änderungen im Prozessablauf.\n\n"
    "Die {programmträger} garantiert, sich bei Ausfall eines Moderators oder "
    "einer Moderatorin um einen adäquaten Ersatz zu kümmern. Weitere Ansprüche sind "
    "ausgeschlossen."
)

VEREINBARUNG = {
    **_COMMON,
    "titel": (
        "Vereinbarung über die Durchführung einer Prozessbegleitung",
        f"im Rahmen des Projekts {PROJECT}",
    ),
    "s1": (
        "Inhalt und Ziele der Prozessbegleitung",
        "Das Landesprogramm „Integration durch BE und Zivilgesellschaft“ trägt zur Umsetzung der "
        "Landesengagementstrategie bei.\n\n"
        f"Mit der Prozessbegleitung {PROJECT} – im Folgenden: Prozessbegleitung – wird der "
        "Projektpartner dabei begleitet, gemeinsam mit den Einwohnerinnen und Einwohnern Ideen für "
        "das gute Zusammenleben von Menschen mit und ohne Migrationserfahrung zu entwickeln und "
        "umzusetzen sowie dauerhafte Dialog- und Arbeitsstrukturen dafür zu entwickeln. Dabei "
        "sollen insbesondere die Engagement-Strukturen vor Ort einbezogen, gestärkt und wo nötig "
        "ausgebaut werden. Zwischen den beteiligten Kommunen und Landkreisen findet ein Kompetenz- "
        "und Erfahrungstransfer statt, die Beteiligten werden zur eigenständigen Weiterarbeit "
        "befähigt.\n\n"
        "Ziele:\n\n"
        "- Eine vorbildhafte Beteiligungs- und Engagementkultur zu entwickeln bzw. weiter zu "
        "entwickeln. Alle Bevölkerungsgruppen einschließlich geflüchteter Menschen sind angemessen "
        "vertreten.\n"
        "- Eine lokale Integrationsstrategie mit Zielen und Maßnahmenplänen zu erarbeiten. Dabei "
        "ist besonderes Augenmerk auf bürgerschaftliches Engagement und Beteiligung zu legen.\n"
        "- Tragfähige Beteiligungs- und Organisationsstrukturen zu entwickeln, die eine "
        "eigenständige, kontinuierliche Fortsetzung des Dialogs und systematische Umsetzung "
        "gewährleisten:\n"
        "  - Qualifizierte Fachpersonen,\n"
        "  - Arbeits- und Begleitgremien,\n"
        "  - Strukturen in der Verwaltung,\n"
        "  - Räume und Formate für Begegnung.\n"
        "- Nach Abschluss der Prozessbegleitung sollen sich konkrete Projekte in der Umsetzung "
        "befinden und zugleich dauerhafte Kommunikations- und Arbeitsstrukturen zwischen "
        "bürgerschaftlich Engagierten und Verwaltung etabliert sein.\n"
        "- Kompetenz- und Erfahrungstransfer zwischen den Projektpartnerinnen und Partnern "
        "herzustellen.",
    ),
    "s1-schluss": (
        "",
        "Die Prozessbegleitung der {kurzname} unterstützt die Zusammenarbeit mit den jeweils "
        "vor Ort handelnden Akteurinnen und Akteuren aus Verwaltung und Einwohnerschaft in "
        "partnerschaftlicher Weise, berücksichtigt die jeweiligen Besonderheiten und knüpft am "
        "vorhandenen bürgerschaftlichen Engagement an.",
    ),
    "s2": (
        "Elemente der Prozessbegleitung",
        "Das Vorgehen vor Ort wird jeweils angepasst und nutzt die vorhandenen Potentiale. Aus der "
        "Erfahrung früherer Prozesse ergeben sich Erfolgsfaktoren. Einheitliche Bausteine "
        "gewährleisten die Vergleichbarkeit der Prozesse und ermöglichen gemeinsames Lernen.\n\n"
        "## Erfolgsfaktoren\n\n"
        "- Ansprechpersonen und -stellen in der Verwaltung, die verwaltungsintern vernetzen und "
        "koordinieren. Bürgerschaftliches Engagement braucht Hauptamt, es muss professionell "
        "unterstützt werden. Verwaltung braucht interne Vernetzung und muss ihre Prozesse "
        "überprüfen.\n"
        "- Positive Erfahrungen, die durch gemeinsame Projekte von Zivilgesellschaft, Politik und "
        "Verwaltung entstehen.\n"
        "- Wiederholung von gemeinsamen Prozessen. Dies verstetigt die Erfahrungen gelungener "
        "Beteiligung und lässt Vertrauen wachsen.\n"
        "- Politisch Verantwortliche müssen bürgerschaftliches Engagement und Beteiligung wollen "
        "und den Prozess aktiv unterstützen.\n\n"
        "Das bedeutet für das Projekt:\n\n"
        "1. Der Prozess muss so gestaltet sein, dass die Menschen vor Ort über einen längeren "
        "Zeitraum miteinander ins Gespräch kommen. So bekommen auch unterschiedliche Sichtweisen "
        "und Konflikte Raum. Ein gemeinsames Zukunftsbild entsteht als Grundlage für nachhaltige "
        "Integrationskonzepte, die engagiert umgesetzt werden.\n"
        "2. Das individuelle Vorgehen basiert auf einem einheitlichen Grundkonzept, das sechs "
        "Prozessschritte vor Ort und drei Prozesselemente auf übergeordneter Ebene umfasst.\n"
        "3. Die beteiligten kommunalen Körperschaften begeben sich in einen Veränderungsprozess, "
        "in dem sie ihre Prozesse überprüfen und dauerhafte Strukturen entwickeln.\n\n"
        "## Neun Prozessbausteine",
    ),
    "s2-baustein-1": (
        "Baustein 1: Gemeinsame Konzeption",
        "Wir analysieren die Themenfelder und bisherigen Aktivitäten vor Ort und entwickeln "
        "gemeinsam mit kommunalen Verantwortlichen und lokalen Schlüsselakteur*innen (Verwaltung, "
        "Kreis- bzw. Gemeinderat, bestehende Arbeitskreise, bürgerschaftlich Engagierte, "
        "Geflüchtete …) in einem Planungsworkshop das Grobkonzept.\n\n"
        "Eine beschließende Projekt-Steuerungsgruppe wird benannt. Der Steuerungsgruppe sollen auf "
        "jeden Fall Verwaltungs-externe Vertreter*innen angehören von der Akteur*innen- und "
        "Betroffenenebene. Zusätzlich soll eine Begleit- oder Resonanzgruppe installiert werden "
        "(s. u.).",
    ),
    "s2-baustein-2": (
        "Baustein 2: Politisches Commitment",
        "Der Gemeinderat bzw. Kreisrat stellt sich hinter das Projekt. Meilensteine sind "
        "Gemeinderats- bzw. Kreistagsbeschlüsse. Die Verwaltungsspitze stellt Unterstützung sicher "
        "und verankert das Projekt in der obersten Führungsebene (OB, BM, Landrat, ELB, …).",
    ),
    "s2-baustein-3": (
        "Baustein 3: Kraftvolles Zukunftsbild und Mobilisierung",
        "In einem Auftaktworkshop entwickeln wir ein kraftvolles Zukunftsbild, analysieren "
        "Herausforderungen sowie Handlungsfelder und finden weitere Akteur*innen. Zur Bearbeitung "
        "der Handlungsfelder werden Arbeitsgruppen eingesetzt und Handlungsfeldverantwortliche "
        "benannt.\n\n"
        "Eine Projektbegleit- oder Resonanzgruppe mit einem erweiterten Kreis "
        "(zivilgesellschaftliche Akteur*innen) wird gebildet. Sie hat beratende Funktion und dient "
        "dazu, Multiplikator*innen einzubinden und Ressourcen zu aktivieren. Ggfs. können "
        "Projektbegleit- und Steuerungsgruppe identisch sein.\n\n"
        "Bei allen Veranstaltungen ist auf Niederschwelligkeit und Barrierefreiheit zu achten. "
        "Dazu gehören Übersetzung, die Ermöglichung nicht-sprachlicher Zugänge, die Verwendung "
        "leichter Sprache und ggf. Kinderbetreuung.",
    ),
    "s2-baustein-4": (
        "Baustein 4: Projektplan für den Prozess",
        "Zusammen mit der Projekt-Steuerungsgruppe erarbeiten wir in einem Strategieworkshop den "
        "maßgeschneiderten Projektplan. Er wird von den verantwortlichen Gremien legitimiert.",
    ),
    "s2-baustein-5": (
        "Baustein 5: Integrationsplan",
        "Die Arbeitsgruppen erarbeiten konkrete Vorschläge für ihr jeweiliges Handlungsfeld und "
        "bauen die bereits laufenden Aktivitäten ein. Die Ergebnisse werden z. B. in "
        "Plenarworkshops koordiniert, mit der Projekt-Steuerungsgruppe und der "
        "Projekt-Begleitgruppe rückgekoppelt und die Umsetzung geplant.",
    ),
    "s2-baustein-6": (
        "Baustein 6: Umsetzung und Umsetzungsbegleitung",
        "Die Maßnahmen werden umgesetzt. Eine Projekt-Begleitgruppe achtet auf Umsetzung, "
        "Kommunikation und Öffentlichkeitsarbeit. Die Arbeitsgruppen treffen sich regelmäßig. "
        "Projektstrukturen werden in die Regelsteuerung überführt und so die eigenständige, "
        "kontinuierliche Fortsetzung des Dialogs und eine systematische Umsetzung gewährleistet.",
    ),
    "s2-baustein-7": (
        "Baustein 7: Netzwerktreffen und Öffentlichkeitsarbeit",
        "Die {kurzname} lädt alle Projektpartnerinnen und -partner zu drei Netzwerktreffen "
        "und Transferworkshops ein. Dort findet Austausch über Erfahrungen, Ergebnisse, "
        "Erfolgsfaktoren und Qualitätssicherung statt. Die Teilnahme daran ist verpflichtend.\n\n"
        "Zu jedem Prozess gehört Öffentlichkeitsarbeit. Die übergreifenden Erfahrungen werden "
        "durch die {kurzname} aufbereitet und über die Steuerungsgruppe zugänglich gemacht.",
    ),
    "s2-baustein-8": (
        "Baustein 8",
        "Erfahrene Prozessbegleiter*innen werden eingesetzt und in regelmäßigen Treffen "
        "vernetzt. Sie arbeiten nach gemeinsam vereinbarten Standards. Dadurch wird Qualität "
        "gesichert.",
    ),
    "s2-baustein-9": (
        "Baustein 9",
        "Eine Steuerungsgruppe auf Landesebene steuert den Gesamtprozess. Sie besteht aus "
        "Vertreter*innen des Ministeriums für Soziales und Integration, des Staatsministeriums "
        "(Stabsstelle für Bürgerbeteiligung und Zivilgesellschaft), der drei Kommunalen "
        "Landesverbände, des Landesverbandes der kommunalen Migrantenorganisationen und der "
        "{kurzname}.",
    ),
    "s3": (
        "Rahmenbedingungen",
        "Die {kurzname} setzt ein Moderationsteam ein. Dieses begleitet den Prozess während "
        "der gesamten Laufzeit des Projekts. Für die organisatorische Durchführung der "
        "Prozessbegleitung benennt der Projektpartner eine feste Ansprechperson innerhalb der "
        "Verwaltung.",
    ),
    "s3-weitere": ("", _S3_WEITERE),
}
