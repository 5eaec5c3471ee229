"""The goal set of an INSEK as plain data, and its JSON form."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal

GoalLevel = Literal["leitziel", "strategisches_ziel", "operatives_ziel"]
MeasureKind = Literal["massnahme", "schluesselprojekt"]


@dataclass(frozen=True)
class Source:
    """Where an item stands: 1-based page, [start, end) offsets in the cleaned text, the text."""

    page: int
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Leitbild:
    text: str
    source: Source


@dataclass(frozen=True)
class Handlungsfeld:
    name: str
    description: str | None
    source: Source


@dataclass(frozen=True)
class Goal:
    """A goal; `parent` is the index in `GoalSet.goals` of the goal it refines."""

    text: str
    level: GoalLevel
    handlungsfeld: str | None
    source: Source
    parent: int | None = None


@dataclass(frozen=True)
class Approach:
    """A strategic approach ("strategischer Ansatz", "Leitlinie")."""

    text: str
    handlungsfeld: str | None
    source: Source


@dataclass(frozen=True)
class Measure:
    """A measure or key project; `parent_goal` indexes `GoalSet.goals`.

    `attributes` holds only what the text states, under these keys: "zeithorizont"
    ("kurzfristig" | "mittelfristig" | "langfristig" | "dauerhaft"), "zeitraum" (years, e.g.
    "2021-2025"), "prioritaet", "kosten", "verantwortlich", "partner", "ort".
    """

    text: str
    kind: MeasureKind
    handlungsfeld: str | None
    source: Source
    attributes: dict[str, str] = field(default_factory=dict)
    parent_goal: int | None = None


@dataclass(frozen=True)
class GoalSet:
    """Everything `extract_goalset` found; items name their Handlungsfeld (or None)."""

    leitbild: Leitbild | None
    handlungsfelder: tuple[Handlungsfeld, ...]
    goals: tuple[Goal, ...]
    approaches: tuple[Approach, ...]
    measures: tuple[Measure, ...]
    querschnittsthemen: tuple[str, ...]


def _source(source: Source) -> dict[str, int]:
    return {"page": source.page, "start": source.start, "end": source.end}


def goalset_to_json(gs: GoalSet) -> dict[str, Any]:
    """The JSON form documented in docs/goalset-schema.md.

    Items are grouped under their Handlungsfeld in document order; items outside every
    Handlungsfeld go to a last group whose "name" is null (only if there are any).
    """
    names: list[str | None] = [hf.name for hf in gs.handlungsfelder]
    groups: dict[str | None, dict[str, Any]] = {
        hf.name: _group(hf.name, hf.description) for hf in gs.handlungsfelder
    }
    unassigned = _group(None, None)
    for goal in gs.goals:
        entry = {"text": goal.text, "level": goal.level, "source": _source(goal.source)}
        groups.get(goal.handlungsfeld, unassigned)["goals"].append(entry)
    for measure in gs.measures:
        entry = {
            "text": measure.text,
            "kind": measure.kind,
            "attributes": dict(measure.attributes),
            "source": _source(measure.source),
        }
        groups.get(measure.handlungsfeld, unassigned)["measures"].append(entry)
    for approach in gs.approaches:
        entry = {"text": approach.text, "source": _source(approach.source)}
        groups.get(approach.handlungsfeld, unassigned)["approaches"].append(entry)
    result = [groups[name] for name in names]
    if unassigned["goals"] or unassigned["measures"] or unassigned["approaches"]:
        result.append(unassigned)
    leitbild = None
    if gs.leitbild is not None:
        leitbild = {"text": gs.leitbild.text, "source": _source(gs.leitbild.source)}
    return {
        "handlungsfelder": result,
        "leitbild": leitbild,
        "querschnittsthemen": list(gs.querschnittsthemen),
    }


def _group(name: str | None, description: str | None) -> dict[str, Any]:
    return {"name": name, "description": description, "goals": [], "measures": [], "approaches": []}
