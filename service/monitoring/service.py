"""Beschlusskontrolle: what the council's checked resolutions do with the INSEK goals —
per Handlungsfeld over time, goals nobody acts on, conflicts, measures and their status."""

from __future__ import annotations

from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlmodel import Session, col, select

from service.insek.service import current_adopted, items_of
from service.models import (
    CheckItem,
    CheckRun,
    CheckRunStatus,
    GoalItem,
    GoalSet,
    ItemKind,
    MeasureState,
    MeasureStatus,
    utcnow,
)
from service.resolutions.service import effective_status

SERVES = 0.5  # calibrated score from which a resolution counts as serving a goal
INSEK_MAX_YEARS = 7  # the guidance: review an INSEK after seven years at the latest
GOAL_KINDS = {ItemKind.LEITZIEL, ItemKind.STRATEGISCHES_ZIEL, ItemKind.OPERATIVES_ZIEL}
MEASURE_KINDS = {ItemKind.MASSNAHME, ItemKind.SCHLUESSELPROJEKT}


@dataclass
class Resolution:
    run_id: int
    title: str
    reference: str | None
    day: date
    handlungsfeld: str | None  # the municipality's answer, else INGE's best field if relevant
    conflict: bool
    serves: set[int] = field(default_factory=set)  # goal item ids
    hinders: set[int] = field(default_factory=set)


@dataclass
class MeasureRow:
    item: GoalItem
    handlungsfeld: str | None
    resolutions: list[Resolution]
    status: str
    manual: bool


def resolutions(
    session: Session, municipality_id: int, *, since: date | None = None, until: date | None = None
) -> list[Resolution]:
    """Checked and finalised runs of the municipality, oldest first."""
    runs = session.exec(
        select(CheckRun)
        .where(
            CheckRun.municipality_id == municipality_id,
            col(CheckRun.status).in_([CheckRunStatus.DONE.value, CheckRunStatus.FINAL.value]),
        )
        .order_by(col(CheckRun.created_at))
    ).all()
    conflicts = _conflicts(session, [r.id for r in runs if r.id is not None])
    found = []
    for run in runs:
        day = (run.checked_at or run.created_at).date()
        if (since and day < since) or (until and day > until):
            continue
        assert run.id is not None
        found.append(_resolution(run, day, run.id in conflicts))
    return found


def _conflicts(session: Session, run_ids: list[int]) -> set[int]:
    if not run_ids:
        return set()
    items = session.exec(
        select(CheckItem).where(
            col(CheckItem.check_run_id).in_(run_ids), CheckItem.check_id == "INSEK-04"
        )
    ).all()
    return {i.check_run_id for i in items if effective_status(i) == "prüfen"}


def resolution_field(
    fields: list[dict[str, Any]], relevant: bool | None, answer: str | None
) -> str | None:
    """The Handlungsfeld a resolution counts for: the municipality's answer, else INGE's best
    field if the run was found relevant; none when the municipality answered "nein"."""
    if answer == "nein":
        return None
    if answer not in (None, "ja"):
        return answer
    return str(fields[0]["name"]) if fields and relevant else None


def _resolution(run: CheckRun, day: date, conflict: bool) -> Resolution:
    assert run.id is not None
    relevant_field = resolution_field(run.fields, run.insek_relevant, run.answer)
    resolution = Resolution(run.id, run.title, run.reference, day, relevant_field, conflict)
    for goal in run.goals:
        item_id = goal.get("item_id")
        if not isinstance(item_id, int) or float(goal.get("score", 0)) < SERVES:
            continue
        (resolution.hinders if goal.get("direction") == "hemmend" else resolution.serves).add(
            item_id
        )
    return resolution


def quarter(day: date) -> str:
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def per_field(resolutions: list[Resolution]) -> tuple[list[str], dict[str, Counter[str]]]:
    """Quarters (sorted) and, per Handlungsfeld, the number of resolutions in each."""
    table: dict[str, Counter[str]] = defaultdict(Counter)
    quarters: set[str] = set()
    for r in resolutions:
        if r.handlungsfeld:
            table[r.handlungsfeld][quarter(r.day)] += 1
            quarters.add(quarter(r.day))
    return sorted(quarters), dict(table)


def field_names(items: list[GoalItem]) -> dict[int, str]:
    """Each item's Handlungsfeld name, by walking up the tree."""
    by_id = {i.id: i for i in items}
    names: dict[int, str] = {}
    for item in items:
        current: GoalItem | None = item
        while current is not None and current.kind != ItemKind.HANDLUNGSFELD.value:
            current = by_id.get(current.parent_id)
        if item.id is not None and current is not None:
            names[item.id] = current.text
    return names


def per_goal(
    items: list[GoalItem], resolutions: list[Resolution]
) -> list[tuple[GoalItem, int, int]]:
    """Each goal with the number of resolutions that serve it and that work against it."""
    rows = []
    for item in items:
        if ItemKind(item.kind) in GOAL_KINDS and item.id is not None:
            serving = sum(1 for r in resolutions if item.id in r.serves)
            hindering = sum(1 for r in resolutions if item.id in r.hinders)
            rows.append((item, serving, hindering))
    return rows


def neglected_goals(items: list[GoalItem], resolutions: list[Resolution]) -> list[GoalItem]:
    """Goals that no resolution of the period serves."""
    served = set().union(*(r.serves for r in resolutions)) if resolutions else set()
    return [i for i in items if ItemKind(i.kind) in GOAL_KINDS and i.id not in served]


def measures(
    session: Session, items: list[GoalItem], resolutions: list[Resolution]
) -> list[MeasureRow]:
    """Measures with the resolutions that implement them and their status: set by a person,
    otherwise "in Umsetzung" once a resolution serves it, else "offen"."""
    manual = {
        m.goal_item_id: m.status
        for m in session.exec(
            select(MeasureStatus).where(
                col(MeasureStatus.goal_item_id).in_([i.id for i in items if i.id is not None])
            )
        ).all()
    }
    names = field_names(items)
    rows = []
    for item in items:
        if ItemKind(item.kind) not in MEASURE_KINDS or item.id is None:
            continue
        linked = [r for r in resolutions if item.id in r.serves]
        derived = MeasureState.IN_PROGRESS if linked else MeasureState.OPEN
        status = manual.get(item.id, derived.value)
        rows.append(MeasureRow(item, names.get(item.id), linked, status, item.id in manual))
    return rows


def insek_age(goal_set: GoalSet | None, today: date) -> float | None:
    return age_years(goal_set.council_decision_date if goal_set else None, today)


def age_years(decided: date | None, today: date) -> float | None:
    return None if decided is None else (today - decided).days / 365.25


@dataclass
class Overview:
    goal_set: GoalSet | None
    items: list[GoalItem]
    resolutions: list[Resolution]
    quarters: list[str]
    per_field: dict[str, Counter[str]]
    neglected: list[GoalItem]
    goals: list[tuple[GoalItem, int, int]]
    conflicts: list[Resolution]
    measures: list[MeasureRow]
    age_years: float | None
    needs_update: bool


def overview(
    session: Session,
    municipality_id: int,
    *,
    since: date | None,
    until: date | None,
    today: date,
) -> Overview:
    goal_set = current_adopted(session, municipality_id)
    items = items_of(session, goal_set) if goal_set else []
    found = resolutions(session, municipality_id, since=since, until=until)
    quarters, table = per_field(found)
    age = insek_age(goal_set, today)
    return Overview(
        goal_set,
        items,
        found,
        quarters,
        table,
        neglected_goals(items, found),
        per_goal(items, found),
        [r for r in found if r.conflict or r.hinders],
        measures(session, items, found),
        age,
        age is not None and age >= INSEK_MAX_YEARS,
    )


def set_measure_status(
    session: Session, item: GoalItem, status: str, *, actor_id: int
) -> MeasureStatus | None:
    """A person sets a measure's status; "automatisch" hands it back to INGE."""
    assert item.id is not None
    row = session.exec(select(MeasureStatus).where(MeasureStatus.goal_item_id == item.id)).first()
    if status == "automatisch":
        if row is not None:
            session.delete(row)
        return None
    MeasureState(status)  # ValueError for anything else
    row = row or MeasureStatus(
        municipality_id=item.municipality_id, goal_item_id=item.id, status=""
    )
    row.status, row.set_by_id, row.updated_at = status, actor_id, utcnow()
    session.add(row)
    return row
