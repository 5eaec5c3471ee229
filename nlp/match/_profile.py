"""The passages of each Handlungsfeld of a goal set."""

from __future__ import annotations

from nlp.insek import GoalSet, Source
from nlp.match._model import Passage, PassageKind


def field_passages(goalset: GoalSet) -> list[Passage]:
    """Name, description, goals, approaches and measures of every Handlungsfeld, in that order."""
    passages: list[Passage] = []
    for field in goalset.handlungsfelder:
        passages.append(_passage(field.name, "name", field.name, field.source))
        if field.description:
            passages.append(_passage(field.name, "beschreibung", field.description, field.source))
    items: list[tuple[PassageKind, str | None, str, Source]] = [
        *(("ziel", g.handlungsfeld, g.text, g.source) for g in goalset.goals),
        *(("ansatz", a.handlungsfeld, a.text, a.source) for a in goalset.approaches),
        *(("massnahme", m.handlungsfeld, m.text, m.source) for m in goalset.measures),
    ]
    for kind, name, text, source in items:
        if name is not None:
            passages.append(_passage(name, kind, text, source))
    return passages


def _passage(name: str, kind: PassageKind, text: str, source: Source) -> Passage:
    return Passage(name, kind, text, source.start, source.end, source.page)
