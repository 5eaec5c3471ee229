"""The matcher of an adopted goal set, built once per process, goal set version and set of
precedents (finalised runs of the same municipality and goal set with the clerk's answer)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, select

from checks.analysis import Analysis, analyse, insek_entries
from checks.base import InsekEntry
from nlp.insek import GoalSet as GoalSetData
from nlp.match import Matcher, Precedent, build_matcher
from service.documents.service import document_text
from service.insek.service import to_goalset_data
from service.models import CheckRun, CheckRunStatus, GoalItem, GoalSet


@dataclass(frozen=True)
class Prepared:
    data: GoalSetData
    matcher: Matcher
    entries: list[InsekEntry]


_CACHE: dict[tuple[int, datetime, tuple[int, ...]], Prepared] = {}
_CACHE_SIZE = 16


def answered_runs(session: Session, goal_set: GoalSet) -> list[CheckRun]:
    """Finalised runs against this goal set that carry the municipality's answer."""
    query = select(CheckRun).where(
        CheckRun.municipality_id == goal_set.municipality_id,
        CheckRun.goal_set_id == goal_set.id,
        CheckRun.status == CheckRunStatus.FINAL.value,
        col(CheckRun.answer).is_not(None),
    )
    return list(session.exec(query.order_by(col(CheckRun.id))).all())


def precedents_for(session: Session, runs: list[CheckRun]) -> list[Precedent]:
    return [
        Precedent(document_text(session, run.document_id), run.answer or "", str(run.id))
        for run in runs
    ]


def prepare(
    goal_set: GoalSet,
    items: list[GoalItem],
    *,
    session: Session | None = None,
) -> Prepared:
    """The goal set as matcher input; cached per process by (id, last change, answered runs),
    so an edit of the goal set or a new answer builds a new matcher and an unchanged one is
    built once. Without `session`, no precedents are used."""
    assert goal_set.id is not None
    runs = answered_runs(session, goal_set) if session is not None else []
    key = (goal_set.id, goal_set.updated_at, tuple(run.id or 0 for run in runs))
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
        precedents = precedents_for(session, runs) if session is not None else []
        _CACHE[key] = Prepared(data, build_matcher(data, precedents=precedents), entries)
    return _CACHE[key]


def run_analysis(text: str, prepared: Prepared, goal_set: GoalSet) -> Analysis:
    return analyse(
        text,
        prepared.matcher,
        prepared.data,
        adopted_on=goal_set.council_decision_date,
        entries=prepared.entries,
    )
