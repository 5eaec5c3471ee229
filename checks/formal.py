"""Checks of what the Vorlage states: cross-cutting topics, financing, place, participation,
monitoring."""

from __future__ import annotations

import re

from checks.base import (
    ERFUELLT,
    NICHT_ANWENDBAR,
    NICHT_ERFUELLT,
    TEILWEISE,
    Check,
    CheckContext,
    CheckResult,
    Evidence,
    Span,
    cue,
    sentences_with,
)

QUERSCHNITT = {
    "Klima": cue(r"klima", r"co2", r"energie", r"hitze", r"starkregen", r"photovoltaik"),
    "Demografie": cue(
        r"demograf", r"demograph", r"senior", r"älter", r"bevölkerungsentw", r"junge familien"
    ),
    "Digitalisierung": cue(r"digital", r"breitband", r"glasfaser", r"online", r"e-government"),
    "Inklusion und Barrierefreiheit": cue(
        r"barrierefrei", r"inklusi", r"behindert", r"integration", r"teilhabe"
    ),
}
AMOUNT = re.compile(r"\d[\d.,]*\s*(?:€|euro|eur\b|mio|tsd|t€)", re.IGNORECASE)
FUNDING = cue(
    r"förder",
    r"zuschuss",
    r"zuwendung",
    r"städtebauförderung",
    r"efre",
    r"haushaltsstelle",
    r"haushaltsmittel",
    r"finanzposition",
    r"kostenstelle",
    r"investitionsauftrag",
    r"teilhaushalt",
)
NO_COSTS = cue(r"keine finanziellen auswirkungen", r"keine kosten", r"kostenneutral")
PLACE = cue(
    r"ortsteil",
    r"stadtteil",
    r"fördergebiet",
    r"sanierungsgebiet",
    r"gemarkung",
    r"flurstück",
    r"quartier",
    r"straße",
    r"platz\b",
    r"gesamtstädtisch",
)
PARTICIPATION = cue(
    r"bürgerbeteiligung",
    r"beteiligung der (?:öffentlichkeit|bürger|einwohner)",
    r"öffentlichkeitsbeteiligung",
    r"bürgerversammlung",
    r"einwohnerversammlung",
    r"workshop",
    r"befragung",
    r"anhörung",
    r"bürgerforum",
    r"beteiligt",
)
MONITORING = cue(
    r"monitoring",
    r"beschlusskontrolle",
    r"indikator",
    r"evaluation",
    r"evaluierung",
    r"berichterstattung",
    r"zielerreichung",
    r"controlling",
)


def _evidence(spans: list[Span]) -> list[Evidence]:
    return [Evidence("vorlage", s) for s in spans]


class CrossCuttingTopics(Check):
    id = "INSEK-06"
    requirement = (
        "Die Querschnittsthemen Klima, demografischer Wandel, Digitalisierung sowie "
        "Inklusion und Barrierefreiheit sind berücksichtigt."
    )

    def evaluate(self, context: CheckContext) -> CheckResult:
        found = {
            name: sentences_with(context.text, pattern, limit=1)
            for name, pattern in QUERSCHNITT.items()
        }
        present = [name for name, spans in found.items() if spans]
        evidence = _evidence([found[n][0] for n in present])
        missing = [name for name in QUERSCHNITT if name not in present]
        if len(present) >= 2:
            return self.result(ERFUELLT, f"Berücksichtigt: {', '.join(present)}.", evidence)
        if present:
            return self.result(
                TEILWEISE,
                f"Berücksichtigt: {present[0]}; nicht erwähnt: {', '.join(missing)}.",
                evidence,
            )
        return self.result(NICHT_ERFUELLT, "Keines der Querschnittsthemen wird erwähnt.")


class Financing(Check):
    id = "INSEK-07"
    requirement = "Kosten und Finanzierung (Fördermittel, Haushaltsstelle) sind benannt."

    def evaluate(self, context: CheckContext) -> CheckResult:
        text = context.section_text("finanzen") or context.text
        if NO_COSTS.search(text) and not AMOUNT.search(text):
            return self.result(
                NICHT_ANWENDBAR,
                "Die Vorlage hat nach eigener Angabe keine finanziellen Auswirkungen.",
                _evidence(sentences_with(text, NO_COSTS, limit=1)),
            )
        amounts = sentences_with(text, AMOUNT, limit=1)
        funding = sentences_with(text, FUNDING, limit=1)
        if amounts and funding:
            return self.result(
                ERFUELLT, "Kosten und Finanzierung sind angegeben.", _evidence(amounts + funding)
            )
        if amounts or funding:
            what = "Kosten" if amounts else "Finanzierungsquelle"
            return self.result(
                TEILWEISE,
                f"Nur {what} angegeben; es fehlt "
                f"{'die Finanzierung' if amounts else 'die Höhe der Kosten'}.",
                _evidence(amounts + funding),
            )
        return self.result(NICHT_ERFUELLT, "Weder Kosten noch Finanzierung sind angegeben.")


class SpatialReference(Check):
    id = "INSEK-08"
    requirement = "Der räumliche Bezug (Ortsteil, Fördergebiet) ist angegeben."

    def evaluate(self, context: CheckContext) -> CheckResult:
        section = context.sections.get("raum")
        if section is not None and section.text.strip():
            return self.result(
                ERFUELLT,
                "Die Vorlage nennt ihren räumlichen Bezug.",
                [Evidence("vorlage", section)],
            )
        spans = sentences_with(context.text, PLACE, limit=2)
        if spans:
            return self.result(ERFUELLT, "Die Vorlage nennt Ort oder Gebiet.", _evidence(spans))
        return self.result(
            NICHT_ERFUELLT, "Kein räumlicher Bezug (Ortsteil, Gebiet, gesamtstädtisch) angegeben."
        )


class Participation(Check):
    id = "INSEK-09"
    requirement = "Die Beteiligung der Einwohnerinnen und Einwohner ist dargestellt."

    def evaluate(self, context: CheckContext) -> CheckResult:
        spans = sentences_with(context.text, PARTICIPATION, limit=2)
        if spans:
            return self.result(ERFUELLT, "Die Beteiligung ist dargestellt.", _evidence(spans))
        if not context.relevant:
            return self.result(
                NICHT_ANWENDBAR, "Für eine nicht INSEK-relevante Vorlage nicht gefordert."
            )
        return self.result(
            NICHT_ERFUELLT,
            "Zur Beteiligung der Einwohnerinnen und Einwohner sagt die Vorlage nichts.",
        )


class MonitoringReference(Check):
    id = "INSEK-10"
    requirement = "Der Beitrag zum INSEK-Monitoring (Beschlusskontrolle, Indikatoren) ist genannt."

    def evaluate(self, context: CheckContext) -> CheckResult:
        spans = sentences_with(context.text, MONITORING, limit=2)
        if spans:
            return self.result(
                ERFUELLT, "Die Vorlage nennt Monitoring oder Erfolgskontrolle.", _evidence(spans)
            )
        if not context.relevant:
            return self.result(
                NICHT_ANWENDBAR, "Für eine nicht INSEK-relevante Vorlage nicht gefordert."
            )
        return self.result(
            NICHT_ERFUELLT,
            "Wie die Wirkung der Vorlage gemessen und im "
            "INSEK-Monitoring erfasst wird, ist nicht angegeben.",
        )
