"""The state-wide overview for FS INGE: one row per municipality.

Built in a fixed number of queries whatever the number of municipalities (418 in Saxony),
reading only the columns it shows: the first version spent five queries per municipality and
loaded every adopted INSEK's full text and every check's goal list.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from service.models import (
    OPEN_STATUS_VALUES,
    CheckItem,
    CheckRun,
    CheckRunStatus,
    GoalSet,
    GoalSetStatus,
    Municipality,
    Question,
)
from service.monitoring.service import INSEK_MAX_YEARS, age_years, resolution_field

CONFLICT_CHECK = "INSEK-04"
REVIEW = "prüfen"
MONTHS_SHOWN = 6


def state_rows(session: Session, landkreis: str | None, today: date) -> list[dict[str, Any]]:
    """INSEK state and age, checks in the last 12 months (and per month for the last six),
    open and overdue questions, and the Handlungsfeld with most conflicts, per municipality."""
    query = select(Municipality).order_by(col(Municipality.name))
    if landkreis:
        query = query.where(Municipality.landkreis == landkreis)
    towns = session.exec(query).all()
    ids = [m.id for m in towns if m.id is not None]
    decided = _decision_dates(session, ids)
    checks = _check_months(session, ids, today)
    questions = _open_due_dates(session, ids)
    conflicts = _conflict_fields(session, ids)
    months = last_months(today, MONTHS_SHOWN)
    rows = []
    for m in towns:
        assert m.id is not None
        age = age_years(decided.get(m.id), today)
        due = questions.get(m.id, [])
        per_month = checks.get(m.id, Counter())
        rows.append(
            {
                "m": m,
                "adopted": decided.get(m.id),
                "age": round(age, 1) if age is not None else None,
                "old": age is not None and age >= INSEK_MAX_YEARS,
                "checks": sum(per_month.values()),
                "per_month": [(month, per_month.get(month, 0)) for month in months],
                "open": len(due),
                "overdue": sum(1 for d in due if d < today),
                "conflict_field": _most_common(conflicts.get(m.id)),
            }
        )
    return rows


def last_months(today: date, count: int) -> list[str]:
    year, month = today.year, today.month
    found = []
    for _ in range(count):
        found.append(f"{year}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(found))


def _decision_dates(session: Session, ids: list[int]) -> dict[int, date | None]:
    rows = session.exec(
        select(col(GoalSet.municipality_id), col(GoalSet.council_decision_date)).where(
            GoalSet.status == GoalSetStatus.ADOPTED.value, col(GoalSet.municipality_id).in_(ids)
        )
    ).all()
    found: dict[int, date | None] = {}
    for municipality_id, decided in rows:
        found.setdefault(municipality_id, decided)
    return found


def _check_months(session: Session, ids: list[int], today: date) -> dict[int, Counter[str]]:
    year_ago = datetime.combine(today - timedelta(days=365), time.min, tzinfo=UTC)
    rows = session.exec(
        select(col(CheckRun.municipality_id), col(CheckRun.created_at)).where(
            col(CheckRun.municipality_id).in_(ids), col(CheckRun.created_at) >= year_ago
        )
    ).all()
    found: dict[int, Counter[str]] = defaultdict(Counter)
    for municipality_id, created in rows:
        found[municipality_id][created.strftime("%Y-%m")] += 1
    return found


def _open_due_dates(session: Session, ids: list[int]) -> dict[int, list[date]]:
    rows = session.exec(
        select(col(Question.municipality_id), col(Question.due_date)).where(
            col(Question.municipality_id).in_(ids), col(Question.status).in_(OPEN_STATUS_VALUES)
        )
    ).all()
    found: dict[int, list[date]] = defaultdict(list)
    for municipality_id, due in rows:
        found[municipality_id].append(due)
    return found


def _conflict_fields(session: Session, ids: list[int]) -> dict[int, Counter[str]]:
    """Per municipality: how often each Handlungsfeld had a resolution with a conflict."""
    rows = session.exec(
        select(
            col(CheckRun.municipality_id),
            col(CheckRun.fields),
            col(CheckRun.insek_relevant),
            col(CheckRun.answer),
        )
        .join(CheckItem, col(CheckItem.check_run_id) == col(CheckRun.id))
        .where(
            col(CheckRun.municipality_id).in_(ids),
            col(CheckRun.status).in_([CheckRunStatus.DONE.value, CheckRunStatus.FINAL.value]),
            col(CheckItem.check_id) == CONFLICT_CHECK,
            # the effective status (confirmed, else INGE's) is "prüfen"
            or_(
                col(CheckItem.confirmed_status) == REVIEW,
                and_(col(CheckItem.confirmed_status).is_(None), col(CheckItem.status) == REVIEW),
            ),
        )
    ).all()
    found: dict[int, Counter[str]] = defaultdict(Counter)
    for municipality_id, fields, relevant, answer in rows:
        name = resolution_field(fields, relevant, answer)
        if name:
            found[municipality_id][name] += 1
    return found


def _most_common(counts: Counter[str] | None) -> str | None:
    return counts.most_common(1)[0][0] if counts else None
