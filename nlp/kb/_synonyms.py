"""A small hand-written table of words clerks use for the same thing in INSEK matters.

Each group gets one token ("~kita") that both passages and questions carry wherever one of its
terms occurs, so "Kita" finds "Kindertagesstätten" and "Bus und Bahn" finds "ÖPNV". Terms are
written as people write them; they are compared by lemma. A one-word term of four letters or
more also matches as part of a compound ("Kita" in "Kitaplanung"). Keep the groups narrow: a
term that is too general ("Geld", "Plan") makes off-topic questions look answerable.
"""

from __future__ import annotations

SYNONYM_GROUPS: dict[str, tuple[str, ...]] = {
    "insek": (
        "INSEK", "INGEKO", "ISEK", "Stadtentwicklungskonzept", "Gemeindeentwicklungskonzept",
        "Gemeindeentwicklungsplanung", "integriertes Stadtentwicklungskonzept",
    ),
    "kita": (
        "Kita", "Kitas", "Kindertagesstätte", "Kindergarten", "Kinderbetreuung", "Kinderkrippe",
        "Krippe", "Hort",
    ),
    "oepnv": (
        "ÖPNV", "Nahverkehr", "Personennahverkehr", "Busverkehr", "Bus und Bahn",
        "öffentlicher Verkehr", "Buslinie",
    ),
    "rat": (
        "Stadtrat", "Gemeinderat", "Ratsmitglied", "Stadtverordnete", "Ratssitzung",
        "Kommunalpolitik", "Lokalpolitik", "Stadtpolitik", "Gemeindevertretung",
    ),
    "dorf": ("Dorf", "dörflich", "ländliche Gemeinde", "Landgemeinde", "ländlich geprägt"),
    "buerger": (
        "Bürger", "Bürgerin", "Einwohner", "Einwohnerin", "Einwohnerschaft", "Bewohner",
        "Bürgerschaft", "Anwohner",
    ),
    "fortschreibung": (
        "Fortschreibung", "fortschreiben", "Aktualisierung", "aktualisieren", "Überarbeitung",
        "überarbeiten", "Novellierung",
    ),
    "foerderung": (
        "Förderung", "Fördermittel", "Zuschuss", "Zuwendung", "Förderprogramm", "fördern",
        "Förderkulisse",
    ),
    "beteiligung": (
        "Beteiligung", "beteiligen", "Bürgerbeteiligung", "Partizipation", "Mitwirkung",
        "mitwirken", "Mitsprache", "mitreden", "mitgestalten", "einbeziehen", "einbinden",
        "Einbindung",
    ),
    "leitfaden": ("Leitfaden", "Handlungsleitfaden", "Arbeitshilfe", "Handreichung"),
    "monitoring": (
        "Monitoring", "Evaluierung", "Evaluation", "evaluieren", "Erfolgskontrolle",
        "Wirkungskontrolle", "Controlling", "Raumbeobachtung",
    ),
    "kommune": ("Kommune", "kommunal", "Gemeinde", "gemeindlich"),
    "denkmal": ("Denkmalschutz", "Denkmalpflege", "Denkmal", "Baudenkmal", "denkmalgeschützt"),
    "bevoelkerung": (
        "Bevölkerung", "Einwohnerzahl", "Bevölkerungszahl", "Bevölkerungsentwicklung",
        "Demografie", "Demographie", "demografisch",
    ),
    "prognose": ("Prognose", "Vorausberechnung", "Hochrechnung", "Vorhersage", "Szenario"),
    "schluesselprojekt": (
        "Schlüsselprojekt", "Leitprojekt", "Impulsprojekt", "Schlüsselmaßnahme",
        "Leuchtturmprojekt",
    ),
    "ikz": (
        "IKZ", "interkommunal", "interkommunale Zusammenarbeit", "Nachbargemeinde",
        "Nachbarkommune", "Nachbarort",
    ),
    "umfrage": ("Umfrage", "Befragung", "Onlineumfrage", "Onlinebefragung", "Fragebogen"),
    "rundgang": (
        "Rundgang", "Stadtrundgang", "Spaziergang", "Stadtspaziergang", "Ortsbegehung",
        "Begehung", "Ortsrundgang",
    ),
    "bauamt": ("Bauamt", "Stadtplanungsamt", "Bauabteilung", "Bauverwaltung", "Planungsamt"),
    "arzt": ("Arzt", "Hausarzt", "ärztlich", "medizinisch", "Gesundheitsversorgung"),
    "jugend": ("Jugendliche", "Jugendlicher", "Jugend", "junge Leute", "Schüler"),
    "internet": ("Homepage", "Website", "Webseite", "Internetseite", "Internet", "online"),
    "dokumentation": ("Dokumentation", "dokumentieren", "Protokoll"),
    "zeitraum": ("Zeithorizont", "Zeitraum", "Planungshorizont", "Laufzeit", "Geltungsdauer"),
    "beschluss": ("Beschluss", "Ratsbeschluss", "beschließen", "Beschlussfassung"),
    "waerme": ("Wärmeplanung", "Wärmeplan", "kommunaler Wärmeplan"),
    "steuerung": (
        "Steuerungsrunde", "Lenkungskreis", "Lenkungsgruppe", "Steuerungsgruppe",
        "Steuerungsstruktur", "Steuerungsgremium",
    ),
    "swot": ("SWOT", "Stärken-Schwächen-Analyse", "Stärken und Schwächen"),
    "mediation": ("Mediation", "Schlichtung", "Konfliktmoderation"),
    "frust": ("Frust", "Frustration", "Enttäuschung", "enttäuschen"),
    "gremium": ("Beirat", "Gremium", "Begleitgremium", "Ausschuss"),
    "fest": ("Stadtfest", "Dorffest", "Volksfest", "Fest", "Straßenfest"),
    "fnp": ("Flächennutzungsplan", "FNP"),
    "lep": ("Landesentwicklungsplan", "LEP"),
    "tourismus": ("Tourismus", "touristisch", "Fremdenverkehr"),
    "klima": ("Klimaschutz", "Klimaanpassung", "Klimawandel", "Klimavorsorge"),
    "digital": ("Digitalisierung", "digitale Transformation", "digital"),
    "checkliste": ("Checkliste", "Prüfliste", "Kriterienliste"),
}  # fmt: skip
