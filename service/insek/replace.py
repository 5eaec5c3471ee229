"""PUT of a whole goal tree: keep what has an id, create what has none, delete what is gone."""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, delete

from service.audit import record
from service.errors import ValidationFailed
from service.insek.edits import clean_text, parse_kind
from service.insek.schemas import GoalSetIn, ItemIn
from service.insek.service import items_of, require_draft
from service.models import GoalItem, GoalSet, utcnow
from service.tenancy import Principal

MAX_ITEMS = 5000


@dataclass
class _Counts:
    added: int = 0
    updated: int = 0
    deleted: int = 0


def replace_tree(
    session: Session, goal_set: GoalSet, body: GoalSetIn, *, principal: Principal
) -> None:
    """Make the draft's tree exactly ``body``; unknown ids are 422, nothing changes then."""
    require_draft(goal_set)
    existing = {item.id: item for item in items_of(session, goal_set)}
    seen: set[int] = set()
    _check_ids(body.items, existing, seen)
    counts = _Counts()
    _apply(session, goal_set, body.items, parent_id=None, existing=existing, counts=counts)
    gone = [item_id for item_id in existing if item_id is not None and item_id not in seen]
    if gone:
        # One bulk DELETE: the database cascades to children, the ORM must not count rows.
        session.exec(delete(GoalItem).where(col(GoalItem.id).in_(gone)))
        for item_id in gone:
            session.expunge(existing[item_id])
        counts.deleted = len(gone)
    goal_set.updated_at = utcnow()
    session.add(goal_set)
    record(
        session,
        actor_id=principal.user_id,
        action="goalset.replace",
        object_type="goal_set",
        object_id=goal_set.id,
        municipality_id=goal_set.municipality_id,
        details={"added": counts.added, "updated": counts.updated, "deleted": counts.deleted},
    )


def _check_ids(items: list[ItemIn], existing: dict[int | None, GoalItem], seen: set[int]) -> None:
    for item in items:
        if item.id is not None:
            if item.id not in existing:
                raise ValidationFailed(f"Eintrag {item.id} gehört nicht zu dieser Fassung.")
            if item.id in seen:
                raise ValidationFailed(f"Eintrag {item.id} kommt doppelt vor.")
            seen.add(item.id)
        parse_kind(item.kind)
        _check_ids(item.children, existing, seen)
    if len(seen) > MAX_ITEMS:
        raise ValidationFailed(f"Höchstens {MAX_ITEMS} Einträge.")


def _apply(
    session: Session,
    goal_set: GoalSet,
    items: list[ItemIn],
    *,
    parent_id: int | None,
    existing: dict[int | None, GoalItem],
    counts: _Counts,
) -> None:
    for position, data in enumerate(items):
        row = existing.get(data.id) if data.id is not None else None
        if row is None:
            assert goal_set.id is not None
            row = GoalItem(
                municipality_id=goal_set.municipality_id,
                goal_set_id=goal_set.id,
                kind=data.kind,
                text="",
            )
            counts.added += 1
        else:
            counts.updated += 1
        row.parent_id, row.position = parent_id, position
        row.kind, row.text = parse_kind(data.kind).value, clean_text(data.text)
        row.description = data.description
        row.attributes = dict(data.attributes)
        session.add(row)
        session.flush()
        _apply(session, goal_set, data.children, parent_id=row.id, existing=existing, counts=counts)
