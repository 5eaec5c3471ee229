"""Direction of a Vorlage's effect on one INSEK goal: fördernd, neutral or hemmend.

Rules, measured on our own labelled pairs (`python -m nlp.eval.direction`):

1. A conflict rule (greenfield building against Innenentwicklung, sealing against climate
   adaptation, parking against mobility goals) makes the pair hemmend.
2. Is the goal a reduction goal ("Lärm verringern", "Flächenverbrauch senken")? For such a goal,
   a Vorlage that reduces, saves or avoids something furthers it. One that adds more of the
   goal's object works against it.
3. For any other goal, a Vorlage that closes, removes, cuts, rejects or postpones something
   the goal is about works against it, unless it renounces exactly that ("verzichtet auf den
   Abriss"). One that builds, extends, preserves or funds it furthers it.
4. Studies, reports and notices without such an action are neutral. Otherwise the score
   decides: a clear match is fördernd, a weak one neutral.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from functools import lru_cache

from checks.base import cue
from checks.conflicts import RULES
from nlp.match._text import rich_tokens


def _within_words(*stems: str) -> re.Pattern[str]:
    """Stems that may also stand inside compounds ("Lärmminderung", "Flächenversiegelung")."""
    return re.compile("(?:" + "|".join(stems) + ")", re.IGNORECASE)


FOERDERND = "fördernd"
NEUTRAL = "neutral"
HEMMEND = "hemmend"

REDUCTION_GOAL = _within_words(
    r"senk",
    r"verringer",
    r"reduzier",
    r"vermeid",
    r"begrenz",
    r"minimier",
    r"abbau",
    r"weniger",
    r"eindämm",
    r"zurückdräng",
    r"mindern",
    r"minderung",
)
REMOVING = cue(
    r"schließ",
    r"geschlossen",
    r"abschaff",
    r"abgeschafft",
    r"auflös",
    r"aufgelöst",
    r"schließung",
    r"abriss",
    r"abreiß",
    r"abgerissen",
    r"rückbau",
    r"zurückgebaut",
    r"zurückbauen",
    r"streich",
    r"gestrichen",
    r"kürz",
    r"wegfall",
    r"entfall",
    r"fällung",
    r"fällen",
    r"gefällt",
    r"aufgabe de",
    r"aufgegeben",
    r"aufgeben",
    r"einstell",
    r"eingestellt",
    r"stilllegung",
    r"stillgelegt",
    r"veräußer",
    r"verkauft",
    r"verkauf (?:von|der|des|kommunaler|städtischer)",
    r"entwidm",
    r"abbruch",
    r"abbrechen",
    r"abgebrochen",
    r"entfäll",
    r"wegfäll",
    r"fällt weg",
    r"nur noch",
    r"nicht weiterverfolgt",
    r"nicht weiter verfolgt",
    r"nicht umgesetzt",
    r"verworfen",
    r"ausdünn",
    r"abgelehnt",
    r"ablehn",
    r"zurückgestellt",
    r"zurückstell",
    r"verschoben",
    r"aussetz",
    r"ausgesetzt",
    r"umwidm",
    r"reduzier",
    r"verringer",
    r"seltener",
)
# the same acts inside compounds ("Filialschließung", "Baumfällung", "Taktausdünnung")
REMOVING_IN_WORDS = _within_words(
    r"schließung",
    r"abriss",
    r"rückbau",
    r"fällung",
    r"stilllegung",
    r"ausdünnung",
    r"kürzung",
    r"abbruch",
)
# building something new works against a reduction goal only when it is the goal's own object
# ("neue Parkplätze" against "Autoverkehr reduzieren" needs the conflict rules instead)
BUILDING = _within_words(r"neue[nrs]? ", r"neubau", r"ausbau", r"errichtung")
RENOUNCING = cue(
    r"verzicht", r"keine?n? (?:abriss|schließung|fällung|rückbau)", r"nicht abgerissen"
)
REDUCING = _within_words(
    r"reduzier",
    r"verringer",
    r"senk",
    r"minder",
    r"spar",
    r"vermeid",
    r"entsiegel",
    r"tempo 30",
    r"lärmschutz",
    r"dämm",
    r"\bled\b",
    r"wiedernutz",
    r"nachnutz",
    r"brachfl",
    r"umnutz",
    r"leerstand",
)
ADDING = _within_words(
    r"zusätzlich",
    r"mehr ",
    r"erweiter",
    r"ausweit",
    r"erhöh",
    r"versiegel",
    r"asphalt",
    r"befestig",
    r"aufheb",  # lifting a limit ("Aufhebung der Geschwindigkeitsbeschränkung")
    r"aufgehoben",
)
NEUTRAL_ACT = cue(
    r"gutachten",
    r"studie",
    r"untersuchung",
    r"kenntnisnahme",
    r"zur kenntnis",
    r"bericht",
    r"information",
    r"prüfauftrag",
    r"machbarkeit",
    r"bestandsaufnahme",
    r"personal",
    r"stellenbesetzung",
    r"geschäftsordnung",
    r"jahresbericht",
    r"informiert",
    r"analyse",
    r"bestandsanalyse",
    r"potenzialanalyse",
    r"monitoring",
    r"erfass",
    r"bestellung",
    r"bestellt",
    r"entsend",
    r"entsandt",
    r"nachbesetz",
    r"ausgeschrieben",
    r"redaktionell",
    r"unveränder",
)
_WORDS = re.compile(r"\w+")
MAX_ABOUT = 12


def direction(text: str, goal: str, *, score: float) -> str:
    """fördernd / neutral / hemmend of `text` (Vorlage, or its relevant sentences) for `goal`;
    `score` is the calibrated match score (0.5 = relevance threshold)."""
    for rule in RULES:
        if rule.goal.search(goal) and rule.action.search(text):
            return HEMMEND
    about = _sentences_about(text, goal) or [text]
    if REDUCTION_GOAL.search(goal):
        return _for_reduction_goal(about, goal, score)
    return _for_growth_goal(about, text, score)


def _for_reduction_goal(about: list[str], goal: str, score: float) -> str:
    head = _head(goal)
    for sentence in about:
        adds = ADDING.search(sentence) or (
            BUILDING.search(sentence) and head is not None and head in _terms(sentence)
        )
        if adds and not REDUCING.search(sentence):
            return HEMMEND
    if any(REDUCING.search(s) or _removes(s) for s in about):
        return FOERDERND
    return _by_score(about, score)


def _for_growth_goal(about: list[str], text: str, score: float) -> str:
    removing = [s for s in about if _removes(s)]
    if removing and not any(RENOUNCING.search(s) for s in removing):
        return HEMMEND
    if any(RENOUNCING.search(s) for s in about):
        return FOERDERND
    return _by_score(about, score)


def _removes(sentence: str) -> bool:
    return bool(REMOVING.search(sentence) or REMOVING_IN_WORDS.search(sentence))


def _by_score(about: list[str], score: float) -> str:
    if any(NEUTRAL_ACT.search(s) for s in about):
        return NEUTRAL
    return FOERDERND if score >= 0.5 else NEUTRAL


def _head(goal: str) -> str | None:
    """The goal's first noun (what it wants less of): "Leerstand in der Altstadt senken"."""
    for word in re.findall(r"[A-ZÄÖÜ][a-zäöüß]{3,}", goal):
        if word not in ("Die", "Der", "Das"):
            terms = rich_tokens(word, topics=False)
            return terms[0] if terms else None
    return None


def _sentences_about(text: str, goal: str) -> list[str]:
    """Sentences of `text` that share a content lemma (or compound part) with the goal, each
    with the sentence after it (what happens to a thing is often said in the next one)."""
    goal_terms = _terms(goal)
    sentences = _sentence_terms(text)
    overlap = [(len(goal_terms & terms), i) for i, (_, terms) in enumerate(sentences)]
    best = sorted((-n, i) for n, i in overlap if n)[:MAX_ABOUT]  # long Vorlagen: the closest
    return [" ".join(s for s, _ in sentences[i : i + 2]) for i in sorted(i for _, i in best)]


@lru_cache(maxsize=8)
def _sentence_terms(text: str) -> tuple[tuple[str, frozenset[str]], ...]:
    """The sentences of a Vorlage with their terms, computed once per Vorlage (a check asks
    for the direction of many goals against the same text)."""
    return tuple((s, _terms(s)) for s in _split(text))


@lru_cache(maxsize=4096)
def _terms(text: str) -> frozenset[str]:
    return frozenset(t for t in rich_tokens(text, topics=False) if len(t) > 3)


def _split(text: str) -> Iterable[str]:
    for part in re.split(r"(?<=[.!?])\s+|\n+", text):
        if _WORDS.search(part):
            yield part
