"""The short documents of the other programme kinds, in the wording of their seeds.

Each document's keys start with its own prefix (``gutschein-``, ``zusage-``, ``teilnahme-``,
``neutral-``), so that blocks of another document stored for the same programme (e.g. the seed
002 blocks an earlier release copied to every programme) are never shown in it.

Special keys of every letter: ``<prefix>-titel`` (title and subtitle), ``<prefix>-kontakt``
(introduces the operator's contact persons), ``<prefix>-foerderhinweis`` (introduces the
programme's funding notice; shown only when the programme has one) and, where the document is
signed, ``<prefix>-unterschriften``. Every other block is a section, in its order.
"""

from __future__ import annotations

# DSEE "Prozessbegleitung" (seed 000): a voucher of 16 working hours, matched by the office.
GUTSCHEIN = {
    "gutschein-titel": ("Gutschein für eine Prozessbegleitung", "{programm}"),
    "gutschein-einleitung": (
        "",
        "Wir freuen uns, Ihnen einen Gutschein für eine Prozessbegleitung auszustellen. Die "
        "Prozessbegleitung ist eine individuelle Beratung, in deren Rahmen Sie an aktuellen "
        "Herausforderungen arbeiten. Ein*e Berater*in strukturiert und moderiert den Prozess "
        "bei Ihnen vor Ort. Sie erarbeiten gemeinsam Strategien und Lösungen, um Ihre "
        "Netzwerkarbeit angenehmer und zielgerichteter zu gestalten. Bei einer "
        "Prozessbegleitung handelt es sich nicht um frontale Schulungen, bei denen fertige "
        "Lösungen präsentiert werden.",
    ),
    "gutschein-hinweise": (
        "Was Sie beachten sollten",
        "- Das Programmbüro hat Ihnen passgenau eine Person vermittelt, die im Umfang des "
        "Gutscheins die Begleitung übernimmt. Vor- und Nachbereitung zählen als Arbeitszeit.\n"
        "- Die Prozessbegleitung richtet sich ganz nach Ihren Bedarfen und ist daher sehr "
        "individuell auf Ihre Situation zugeschnitten. Es gibt keine festgelegten Parameter zu "
        "Dauer und Ausgestaltung der Begleitung.\n"
        "- Die geleisteten Stunden trägt Ihre Prozessbegleitung im Portal ein; Sie bestätigen "
        "sie dort.\n"
        "- Nach Abschluss der Begleitung senden wir Ihnen einen Online-Feedbackbogen zu, mit "
        "der Bitte, uns kurz Rückmeldung zu geben. So können wir das Modul stetig verbessern.\n"
        "- Wenn nach Abschluss der Begleitung weiterhin Bedarf besteht, können – je nach "
        "Verfügbarkeit – weitere Gutscheine beantragt werden.",
    ),
    "gutschein-foerderhinweis": (
        "",
        "Bitte weisen Sie in Einladungen und Veröffentlichungen zur Prozessbegleitung auf die "
        "Förderung hin:",
    ),
    "gutschein-kontakt": (
        "Ihre Ansprechperson",
        "Haben Sie Fragen? Nehmen Sie gerne Kontakt mit uns auf, wir beraten Sie!",
    ),
}

# "Virtuelle Begleitung" (seed 001): a confirmation of admission to sparring units.
ZUSAGE = {
    "zusage-titel": ("Zusage zur Virtuellen Begleitung", "{programm}"),
    "zusage-einleitung": (
        "",
        "Wir freuen uns, Ihnen die Teilnahme an der Virtuellen Begleitung zuzusagen. Sie haben "
        "die Möglichkeit, sich via Telefon und/oder virtueller Konferenzen mit professionellen "
        "Prozessbegleiter*innen auszutauschen und über Ihre konkreten Fragestellungen zu den "
        "Themen Integration, Engagement, Beteiligung und Leben mit Videokonferenzen zu "
        "sprechen. Gemeinsam reflektieren Sie die aktuellen Herausforderungen und erarbeiten "
        "konkrete Lösungsansätze.",
    ),
    "zusage-organisatorisches": (
        "Organisatorisches",
        "- Anzahl an Sparring-Einheiten: wie oben unter „Umfang“ genannt. Als „im Prozess "
        "befindlich“ gelten Prozessbegleiter*innen, die Ihre Kommune bereits in einem anderen "
        "laufenden Programm von {programmträger} begleiten.\n"
        "- Dauer einer Sparring-Einheit: 60 Minuten. Jedes Sparring zählt als eine Einheit.\n"
        "- Auswahl von Sparring-Partner*innen: freie Wahl der Sparring-Partner*innen. In der "
        "Übersicht stellen wir Ihnen die einzelnen Sparring-Partner*innen mit ihren "
        "Schwerpunktthemen und Methoden vor; Termine buchen Sie direkt im Portal.\n"
        "- Kosten: Die Sparrings sind für Sie kostenfrei.\n"
        "- Inhalt/Thema der Sparrings: thematisch ausgerichtet auf Förderung/Teilhabe von "
        "Menschen mit Migrationserfahrung am bürgerschaftlichen Engagement.",
    ),
    "zusage-themen": (
        "Mögliche Themen und Fragestellungen",
        "- Planung und Durchführung von Online-Veranstaltungen\n"
        "- langfristige Motivation von Ehrenamtlichen/Förderung von freiwilligem Engagement\n"
        "- Planung und Durchführung von Großgruppenverfahren\n"
        "- (Online-)Beteiligungsverfahren\n"
        "- Umgang mit Konfliktsituationen vor Ort\n"
        "- Zufallsauswahl von Bürger*innen bei Beteiligungsprozessen\n"
        "- Beratung zur Durchführung von Umfragen\n"
        "- Ideen zur Zielgruppenansprache im Beteiligungsverfahren (insb. sog. „Stille "
        "Gruppen“)\n"
        "- Vernetzung von Gremien und Akteuren\n"
        "- Verwaltung für Beteiligung begeistern\n"
        "- Reflektion der eigenen Rolle in der Verwaltung oder bei Beteiligungsverfahren",
    ),
    "zusage-datenschutz": (
        "Datenschutz",
        "Die Sparrings erfolgen DSGVO-konform. Ihre Kontaktdaten sehen nur das Programmbüro und "
        "die Sparring-Partner*innen, die Sie wählen.",
    ),
    "zusage-foerderhinweis": (
        "",
        "Bitte weisen Sie in Veröffentlichungen zur Virtuellen Begleitung auf die Förderung hin:",
    ),
    "zusage-kontakt": ("Projektleitung", "Haben Sie Fragen zum Projekt?"),
}

# "Entwicklungswerkstatt" (seed 004): the participation agreement of an admitted site.
TEILNAHME = {
    "teilnahme-titel": ("Teilnahmevereinbarung", "{programm}"),
    "teilnahme-einleitung": (
        "",
        "Zwischen {programmträger} und der oben genannten Kommune bzw. dem oben genannten Kreis "
        "(nachstehend: Standort) wird die Teilnahme an der Entwicklungswerkstatt vereinbart. Der "
        "Standort wurde im Auswahlverfahren der Ausschreibung ausgewählt.",
    ),
    "teilnahme-ziele": (
        "Projektziele",
        "- Entwicklung von Strategien und Strukturen für eine effiziente BE-Förderung mit "
        "Auswirkung auf Personal- und Organisationsentwicklung\n"
        "- Qualifizierung und Fortbildung der teilnehmenden Entwicklungsteams "
        "(Verwaltungs-Tandems)\n"
        "- Kollegialer Austausch von Wissen, Erfahrungen und Anregungen zur kommunalen "
        "Förderung bürgerschaftlichen Engagements unter Verwaltungsmitarbeitenden\n"
        "- Verzahnen von Landes- und lokaler Ebene zur Stärkung kommunaler Engagementförderung",
    ),
    "teilnahme-leistungen": (
        "Was die Entwicklungswerkstatt bietet",
        "- 6 Workshops à 2 Tage, verteilt über 12 Monate\n"
        "- Strategieentwicklung, gemeinsam und standortbezogen\n"
        "- Lernquellenpool: Materialien, eingestellt durch das Programmbüro und die "
        "Entwicklungsteams\n"
        "- Exkursionen, Beratung vor Ort durch Projektverantwortliche, kollegiale Beratung und "
        "Expertenimpulse",
    ),
    "teilnahme-bedingungen": (
        "Teilnahmebedingungen",
        "- Teilnahme von je 2 hauptamtlichen Mitarbeiter*innen als Entwicklungsteam an allen "
        "Workshops\n"
        "- Beitrag zu den Fortbildungskosten\n"
        "- Transfer der Ergebnisse: Der Standort stellt seine Ergebnisse den anderen Standorten "
        "und {programmträger} zur Verfügung und sichert die Nachhaltigkeit durch Berichtswesen "
        "und Monitoring.\n"
        "- Glaubwürdige Unterstützung durch die Verwaltungsspitze",
    ),
    "teilnahme-foerderhinweis": (
        "",
        "In Veröffentlichungen zur Entwicklungswerkstatt ist auf die Förderung hinzuweisen:",
    ),
    "teilnahme-kontakt": ("Ansprechpersonen", "Für Rückfragen stehen Ihnen zur Verfügung:"),
    "teilnahme-unterschriften": ("Unterschriften", ""),
}

# A programme kind without its own texts: a neutral agreement naming the programme's operator.
NEUTRAL = {
    "neutral-titel": ("Vereinbarung", "{programm}"),
    "neutral-einleitung": (
        "",
        "Zwischen {programmträger} und der oben genannten Organisation wird die Teilnahme am "
        "Programm „{programm}“ vereinbart. Das Programmbüro von {programmträger} begleitet die "
        "Umsetzung.",
    ),
    "neutral-bedingungen": (
        "Rahmenbedingungen",
        "Die Organisation teilt dem Programmbüro alle Veränderungen, die für die Durchführung "
        "von Bedeutung sind, unverzüglich mit. {programmträger} und die eingesetzten "
        "Prozessbegleiter*innen verpflichten sich zur Verschwiegenheit gegenüber Dritten "
        "bezüglich aller im Rahmen der Maßnahme erhaltenen Informationen.",
    ),
    "neutral-foerderhinweis": ("", "Auf die Förderung ist hinzuweisen:"),
    "neutral-kontakt": ("Ansprechpersonen", "Für Rückfragen stehen Ihnen zur Verfügung:"),
    "neutral-unterschriften": ("Unterschriften", ""),
}
