"""Attributes of a measure that its text states: time horizon, years, priority, cost, bodies."""

from __future__ import annotations

import re

_HORIZON = re.compile(r"\b(kurz|mittel|lang)fristig", re.IGNORECASE)
_YEARS = re.compile(r"\b((?:19|20)\d{2})(?:\s*(?:[-–/]|bis)\s*((?:19|20)\d{2}))?\b")
_PRIORITY = re.compile(
    r"Priorität(?:sstufe)?\s*:?\s*(?P<value>hoch|mittel|niedrig|gering|sehr hoch|[A-C1-3])\b"
    r"|(?P<adjective>hohe|mittlere|niedrige)\s+Priorität",
    re.IGNORECASE,
)
_MONEY = r"(?:ca\.\s*)?\d[\d.,]*\s*(?:Mio\.?|Millionen|Mrd\.?|Tsd\.?|T)?\s*(?:€|EUR|Euro)"
_COST = re.compile(
    rf"(?:(?:Gesamt)?[Kk]osten|Investitions?(?:kosten|volumen)?|Finanzierungsbedarf|Budget)"
    rf"\s*(?:von|in Höhe von|:)?\s*(?P<value>{_MONEY})"
    rf"|(?P<bare>{_MONEY})"
)
_FIELD = r"\s*:\s*(?P<value>[^\n;|]{2,120})"
_RESPONSIBLE = re.compile(
    rf"\b(?:Verantwortlich(?:keit)?|Federführung|Zuständig(?:keit)?|Träger(?:schaft)?|"
    rf"Umsetzung durch){_FIELD}"
)
_PARTNERS = re.compile(rf"\b(?:Partner(?:innen)?|Kooperationspartner|Beteiligte|Akteure){_FIELD}")
_PLACE = re.compile(rf"\b(?:Ort|Standort|Stadtteil|Ortsteil|Fördergebiet|Gebiet|Quartier){_FIELD}")
_PLACE_PHRASE = re.compile(
    r"\b(?:im|in den) (?P<kind>Ortsteil(?:en)?|Stadtteil(?:en)?|Fördergebiet|Sanierungsgebiet)\s+"
    r"(?P<value>[„\"»]?[A-ZÄÖÜ][\w-]*(?:[ -][A-ZÄÖÜ][\w-]*)*[“\"«]?)"
)


def measure_attributes(text: str, *, horizon: str | None = None) -> dict[str, str]:
    """What `text` says about a measure; `horizon` comes from a sub-heading above it.

    Keys (each only when found): zeithorizont, zeitraum, prioritaet, kosten, verantwortlich,
    partner, ort.
    """
    found: dict[str, str] = {}
    if match := _HORIZON.search(text):
        found["zeithorizont"] = f"{match.group(1).lower()}fristig"
    elif horizon:
        found["zeithorizont"] = horizon
    if match := _YEARS.search(text):
        found["zeitraum"] = "-".join(y for y in match.groups() if y)
    if match := _PRIORITY.search(text):
        found["prioritaet"] = _priority(match)
    if match := _COST.search(text):
        found["kosten"] = (match.group("value") or match.group("bare")).strip()
    for name, pattern in (("verantwortlich", _RESPONSIBLE), ("partner", _PARTNERS)):
        if match := pattern.search(text):
            found[name] = match.group("value").strip(" .,")
    if match := _PLACE.search(text) or _PLACE_PHRASE.search(text):
        found["ort"] = match.group("value").strip(' .,„“"»«')
    return found


def _priority(match: re.Match[str]) -> str:
    adjective = match.group("adjective")
    if adjective:
        return {"hohe": "hoch", "mittlere": "mittel", "niedrige": "niedrig"}[adjective.lower()]
    return match.group("value").lower()
