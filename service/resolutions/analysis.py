"""The matcher of an adopted goal set, built once per process and goal set version."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from checks.analysis import Analysis, analyse, insek_entries
from checks.base import InsekEntry
from nlp.insek import GoalSet as GoalSetData
from nlp.match import Matcher, build_matcher
from service.insek.service import to_goalset_data
from service.models import GoalItem, GoalSet


@dataclass(frozen=True)
class Prepared:
    data: GoalSetData
    matcher: Matcher
    entries: list[InsekEntry]


_CACHE: dict[tuple[int, datetime], Prepared] = {}
_CACHE_SIZE = 16


def prepare(goal_set: GoalSet, items: list[GoalItem]) -> Prepared:
    """The goal set as matcher input; cached per process by (id, last change), so an edit of
    the goal set builds a new matcher and an unchanged one is built once."""
    assert goal_set.id is not None
    key = (goal_set.id, goal_set.updated_at)
    if key not in _CACHE:
        data, span_ids = to_goalset_data(goal_set, items)
        entries = [
            InsekEntry(
                span_ids.get((e.source.start, e.source.end)) if e.source else None,
                e.kind,
                e.text,
                e.handlungsfeld,
                e.source,
            )
            for e in insek_entries(data)
        ]
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.pop(next(iter(_CACHE)))
        _CACHE[key] = Prepared(data, build_matcher(data), entries)
    return _CACHE[key]


def run_analysis(text: str, goal_set: GoalSet, items: list[GoalItem]) -> Analysis:
    prepared = prepare(goal_set, items)
    return analyse(
        text,
        prepared.matcher,
        prepared.data,
        adopted_on=goal_set.council_decision_date,
        entries=prepared.entries,
    )
