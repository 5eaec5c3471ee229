"""Mindeststandard of an INSEK, as the Saxon guidance (Handlungsleitfaden INSEK/INGEKO) sets it.

Plain data in, plain data out: the goal set's items and the cleaned document text go in, a list
of findings (erfüllt / teilweise / fehlt, with the passages found) comes out.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date

from checks.base import GOAL_KINDS, MEASURE_KINDS, cue

ERFUELLT, TEILWEISE, FEHLT = "erfüllt", "teilweise", "fehlt"
MAX_PASSAGES = 3
WARN_AGE_YEARS = 7
MAX_AGE_YEARS = 10


@dataclass(frozen=True)
class InsekItem:
    kind: str
    text: str
    attributes: dict[str, str] = field(default_factory=dict)
    page: int | None = None
    start: int | None = None
    end: int | None = None
    child_kinds: tuple[str, ...] = ()


@dataclass(frozen=True)
class InsekInput:
    items: Sequence[InsekItem]
    text: str
    page_starts: Sequence[int] = ()
    adopted_on: date | None = None
    today: date = field(default_factory=date.today)


@dataclass(frozen=True)
class Passage:
    page: int | None
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Finding:
    id: str
    title: str
    status: str
    explanation: str
    passages: tuple[Passage, ...] = ()


@dataclass(frozen=True)
class Report:
    findings: tuple[Finding, ...]
    unmeasurable_goals: tuple[InsekItem, ...]

    @property
    def counts(self) -> dict[str, int]:
        out = {ERFUELLT: 0, TEILWEISE: 0, FEHLT: 0}
        for finding in self.findings:
            out[finding.status] += 1
        return out


# The seven Themenbereiche that every INSEK must treat (guidance, "Mindeststandard").
THEMENBEREICHE: tuple[tuple[str, str, re.Pattern[str]], ...] = (
    (
        "MS-T1",
        "Gebäudebestand und Wohnungsmarkt",
        cue(r"wohn", r"gebäudebestand", r"wohnungsmarkt", r"leerstand", r"sanierung"),
    ),
    (
        "MS-T2",
        "Städtebau und Freiraum",
        cue(
            r"städtebau",
            r"freiraum",
            r"freiflächen",
            r"grünfl",
            r"öffentliche[rn]? raum",
            r"stadtbild",
            r"innenstadt",
            r"ortskern",
            r"baukultur",
        ),
    ),
    (
        "MS-T3",
        "Mobilität und Erreichbarkeit",
        cue(
            r"mobilität",
            r"verkehr",
            r"erreichbarkeit",
            r"öpnv",
            r"nahverkehr",
            r"radverkehr",
            r"radweg",
            r"fußverkehr",
            r"straßen",
        ),
    ),
    (
        "MS-T4",
        "Wirtschaft und Handel",
        cue(
            r"wirtschaft",
            r"einzelhandel",
            r"handel",
            r"gewerbe",
            r"arbeitsplätze",
            r"unternehmen",
            r"fachkräfte",
            r"tourismus",
        ),
    ),
    (
        "MS-T5",
        "Naturräume und Biodiversität",
        cue(
            r"natur",
            r"biodiversität",
            r"artenvielfalt",
            r"landschaft",
            r"umwelt",
            r"gewässer",
            r"biotop",
        ),
    ),
    (
        "MS-T6",
        "Soziale Infrastruktur und medizinische Versorgung",
        cue(
            r"soziale infrastruktur",
            r"kita",
            r"kindertages",
            r"schule",
            r"bildung",
            r"medizinische",
            r"ärzt",
            r"gesundheit",
            r"pflege",
            r"senior",
        ),
    ),
    (
        "MS-T7",
        "Integration und Inklusion",
        cue(
            r"integration",
            r"inklusion",
            r"barrierefrei",
            r"teilhabe",
            r"migrant",
            r"zugewandert",
            r"zusammenhalt",
        ),
    ),
)

# The four Querschnittsthemen the guidance names.
QUERSCHNITTSTHEMEN: tuple[tuple[str, str, re.Pattern[str]], ...] = (
    (
        "MS-Q1",
        "Klimaschutz und Klimaanpassung",
        cue(
            r"klimaschutz",
            r"klimaanpassung",
            r"klimawandel",
            r"co2",
            r"hitze",
            r"starkregen",
            r"erneuerbare",
            r"klimaneutral",
        ),
    ),
    (
        "MS-Q2",
        "Demografischer Wandel",
        cue(
            r"demografi",
            r"demographi",
            r"bevölkerungsentwicklung",
            r"alterung",
            r"bevölkerungsprognose",
        ),
    ),
    (
        "MS-Q3",
        "Digitale Transformation",
        cue(r"digital", r"breitband", r"glasfaser", r"smart city", r"e-government"),
    ),
    (
        "MS-Q4",
        "Inklusion und sozialer Zusammenhalt einschl. Integration",
        cue(r"inklusion", r"sozialer zusammenhalt", r"integration", r"teilhabe"),
    ),
)

SWOT = cue(
    r"swot", r"stärken[- ]+(?:und[- ]+)?schwächen", r"stärken-schwächen", r"chancen und risiken"
)
MONITORING = {
    "Beschlusskontrolle": cue(r"beschlusskontrolle", r"umsetzungskontrolle"),
    "Evaluierung": cue(r"evaluierung", r"evaluation", r"zielerreichung", r"wirkungskontrolle"),
    "Datenset": cue(r"datenset", r"indikator", r"monitoring", r"raumbeobachtung"),
}
BETEILIGUNG = cue(
    r"beteiligung",
    r"bürgerbeteiligung",
    r"öffentlichkeitsbeteiligung",
    r"bürgerwerkstatt",
    r"workshop",
    r"online-umfrage",
    r"befragung",
    r"bürgerforum",
)
MEASURABLE = re.compile(r"\d|(?:bis|ab) (?:zum |Ende )?(?:jahr )?\d{4}|prozent|%", re.I)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n\s*\n")


def report(data: InsekInput) -> Report:
    """All Mindeststandard findings for one INSEK, in the guidance's order."""
    findings = [
        *_topics(data, THEMENBEREICHE),
        *_topics(data, QUERSCHNITTSTHEMEN),
        _swot(data),
        _leitbild(data),
        _measure_horizons(data),
        _key_projects(data),
        _monitoring(data),
        _beteiligung(data),
        _age(data),
    ]
    return Report(tuple(findings), tuple(unmeasurable_goals(data.items)))


def unmeasurable_goals(items: Sequence[InsekItem]) -> list[InsekItem]:
    """Operative goals with neither a quantity nor a date: they cannot be checked later."""
    return [i for i in items if i.kind == "operatives_ziel" and not MEASURABLE.search(i.text)]


def _page(data: InsekInput, offset: int) -> int | None:
    if not data.page_starts:
        return None
    page = 1
    for number, start in enumerate(data.page_starts, start=1):
        if start <= offset:
            page = number
    return page


def _passages(data: InsekInput, pattern: re.Pattern[str]) -> tuple[Passage, ...]:
    """Up to three sentences of the document in which ``pattern`` occurs, first ones first."""
    found: list[Passage] = []
    last_end = -1
    for match in pattern.finditer(data.text):
        if match.start() < last_end:
            continue
        start, end = _sentence_around(data.text, match.start(), match.end())
        found.append(Passage(_page(data, start), start, end, data.text[start:end].strip()))
        last_end = end
        if len(found) >= MAX_PASSAGES:
            break
    return tuple(found)


def _sentence_around(text: str, start: int, end: int) -> tuple[int, int]:
    left = max(text.rfind(". ", max(0, start - 300), start), text.rfind("\n\n", 0, start))
    left = left + 2 if left >= 0 and start - left < 300 else max(0, start - 150)
    right_dot = text.find(". ", end, end + 300)
    right = right_dot + 1 if right_dot >= 0 else min(len(text), end + 150)
    return left, right


def _item_passage(item: InsekItem) -> Passage:
    return Passage(item.page, item.start or 0, item.end or 0, item.text[:300])


def _topics(
    data: InsekInput, topics: tuple[tuple[str, str, re.Pattern[str]], ...]
) -> list[Finding]:
    structural = [
        i for i in data.items if i.kind in ("handlungsfeld", "querschnittsthema", *GOAL_KINDS)
    ]
    findings = []
    for finding_id, title, pattern in topics:
        in_items = [i for i in structural if pattern.search(i.text)]
        if in_items:
            status = ERFUELLT
            why = (
                f"Das INSEK behandelt „{title}“ in Handlungsfeldern oder Zielen "
                f"({len(in_items)} Einträge)."
            )
            passages = tuple(_item_passage(i) for i in in_items[:MAX_PASSAGES])
        else:
            passages = _passages(data, pattern)
            status = TEILWEISE if passages else FEHLT
            why = (
                f"„{title}“ wird im Text erwähnt, aber in keinem Handlungsfeld und keinem "
                "Ziel behandelt."
                if passages
                else f"Zu „{title}“ findet sich im INSEK nichts."
            )
        findings.append(Finding(finding_id, title, status, why, passages))
    return findings


def _swot(data: InsekInput) -> Finding:
    passages = _passages(data, SWOT)
    if passages:
        return Finding(
            "MS-S1",
            "SWOT-Analyse",
            ERFUELLT,
            "Eine Stärken-Schwächen-Chancen-Risiken-Analyse ist enthalten.",
            passages,
        )
    return Finding(
        "MS-S1",
        "SWOT-Analyse",
        FEHLT,
        "Keine SWOT-Analyse (Stärken, Schwächen, Chancen, Risiken) gefunden.",
    )


def _leitbild(data: InsekInput) -> Finding:
    items = [i for i in data.items if i.kind == "leitbild"]
    if items:
        return Finding(
            "MS-L1", "Leitbild", ERFUELLT, "Ein Leitbild ist enthalten.", (_item_passage(items[0]),)
        )
    passages = _passages(data, cue(r"leitbild", r"vision", r"zielbild"))
    if passages:
        return Finding(
            "MS-L1",
            "Leitbild",
            TEILWEISE,
            "Ein Leitbild wird erwähnt, ist aber nicht als Eintrag erfasst.",
            passages,
        )
    return Finding("MS-L1", "Leitbild", FEHLT, "Kein Leitbild gefunden.")


def _measure_horizons(data: InsekInput) -> Finding:
    measures = [i for i in data.items if i.kind in MEASURE_KINDS]
    title = "Maßnahmen mit Zeithorizont"
    if not measures:
        return Finding("MS-M1", title, FEHLT, "Das INSEK enthält keine erfassten Maßnahmen.")
    timed = [
        m for m in measures if m.attributes.get("zeithorizont") or m.attributes.get("zeitraum")
    ]
    share = len(timed) / len(measures)
    status = ERFUELLT if share >= 0.8 else TEILWEISE if timed else FEHLT
    why = (
        f"{len(timed)} von {len(measures)} Maßnahmen haben einen Zeithorizont "
        f"(kurz-, mittel-, langfristig oder Jahre)."
    )
    return Finding("MS-M1", title, status, why, tuple(_item_passage(m) for m in timed[:3]))


def _key_projects(data: InsekInput) -> Finding:
    title = "Schlüsselprojekte mit Zielen, Zeitraum, Partnern, Kosten und Finanzierung"
    projects = [i for i in data.items if i.kind == "schluesselprojekt"]
    if not projects:
        return Finding("MS-M2", title, FEHLT, "Keine Schlüsselprojekte erfasst.")
    wanted = ("zeitraum", "partner", "kosten")
    complete = [
        p
        for p in projects
        if all(p.attributes.get(k) for k in wanted)
        or (
            p.attributes.get("zeithorizont")
            and p.attributes.get("kosten")
            and p.attributes.get("partner")
        )
    ]
    status = ERFUELLT if len(complete) == len(projects) else TEILWEISE
    why = (
        f"{len(complete)} von {len(projects)} Schlüsselprojekten nennen Zeitraum, Partner und "
        "Kosten; Finanzierungsplan bitte prüfen."
    )
    return Finding("MS-M2", title, status, why, tuple(_item_passage(p) for p in projects[:3]))


def _monitoring(data: InsekInput) -> Finding:
    found = {name: _passages(data, pattern) for name, pattern in MONITORING.items()}
    present = [name for name, passages in found.items() if passages]
    status = ERFUELLT if len(present) == len(MONITORING) else TEILWEISE if present else FEHLT
    missing = [name for name in MONITORING if name not in present]
    why = (
        "Monitoring mit Beschlusskontrolle, Evaluierung und Datenset ist beschrieben."
        if not missing
        else f"Es fehlt: {', '.join(missing)}."
    )
    passages = tuple(p for name in present for p in found[name][:1])
    return Finding(
        "MS-U1", "Monitoring (Beschlusskontrolle, Evaluierung, Datenset)", status, why, passages
    )


def _beteiligung(data: InsekInput) -> Finding:
    passages = _passages(data, BETEILIGUNG)
    if passages:
        return Finding(
            "MS-B1",
            "Beteiligung",
            ERFUELLT,
            "Die Beteiligung der Öffentlichkeit ist beschrieben.",
            passages,
        )
    return Finding("MS-B1", "Beteiligung", FEHLT, "Keine Beteiligung beschrieben.")


def _age(data: InsekInput) -> Finding:
    title = "Aktualität (Städtebauförderung: nicht älter als zehn Jahre)"
    if data.adopted_on is None:
        return Finding(
            "MS-A1",
            title,
            TEILWEISE,
            "Das Beschlussdatum ist nicht erfasst; das Alter kann nicht geprüft werden.",
        )
    years = (data.today - data.adopted_on).days / 365.25
    if years > MAX_AGE_YEARS:
        return Finding(
            "MS-A1",
            title,
            FEHLT,
            f"Das INSEK ist {years:.1f} Jahre alt und genügt damit nicht mehr als "
            "Grundlage für die Städtebauförderung. Eine Fortschreibung ist nötig.",
        )
    if years >= WARN_AGE_YEARS:
        return Finding(
            "MS-A1",
            title,
            TEILWEISE,
            f"Das INSEK ist {years:.1f} Jahre alt; ab zehn Jahren genügt es nicht mehr "
            "für die Städtebauförderung. Die Fortschreibung sollte beginnen.",
        )
    return Finding("MS-A1", title, ERFUELLT, f"Das INSEK ist {years:.1f} Jahre alt.")
