"""Editing a draft goal set: every operation is audited with what changed."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session, col, select

from service.audit import record
from service.errors import NotFound, ValidationFailed
from service.insek.service import require_draft
from service.models import GoalItem, GoalSet, ItemKind, utcnow
from service.tenancy import Principal

MAX_TEXT = 20_000


def parse_kind(value: str) -> ItemKind:
    try:
        return ItemKind(value)
    except ValueError:
        raise ValidationFailed(f"Unbekannte Art {value!r}.", code="kind") from None


def clean_text(value: str) -> str:
    text = " ".join(value.split()) if "\n\n" not in value else value.strip()
    if not text:
        raise ValidationFailed("Der Text darf nicht leer sein.", code="text")
    if len(text) > MAX_TEXT:
        raise ValidationFailed(f"Der Text ist länger als {MAX_TEXT} Zeichen.", code="text")
    return text


def item_in(session: Session, goal_set: GoalSet, item_id: int) -> GoalItem:
    """An item of this goal set (the goal set was loaded through the tenancy gate)."""
    item = session.get(GoalItem, item_id)
    if item is None or item.goal_set_id != goal_set.id:
        raise NotFound("Diesen Eintrag gibt es in dieser Fassung nicht.")
    return item


def _audit(
    session: Session,
    goal_set: GoalSet,
    principal: Principal,
    action: str,
    item_id: int | None,
    details: dict[str, Any],
) -> None:
    goal_set.updated_at = utcnow()
    session.add(goal_set)
    record(
        session,
        actor_id=principal.user_id,
        action=f"goalset.item.{action}",
        object_type="goal_item",
        object_id=item_id,
        municipality_id=goal_set.municipality_id,
        details={"goal_set_id": goal_set.id, **details},
    )


def _siblings(session: Session, goal_set: GoalSet, parent_id: int | None) -> list[GoalItem]:
    query = select(GoalItem).where(
        GoalItem.goal_set_id == goal_set.id, GoalItem.parent_id == parent_id
    )
    return list(session.exec(query.order_by(col(GoalItem.position), col(GoalItem.id))).all())


def _renumber(session: Session, items: list[GoalItem]) -> None:
    for position, item in enumerate(items):
        if item.position != position:
            item.position = position
            session.add(item)


def update_item(
    session: Session,
    goal_set: GoalSet,
    item: GoalItem,
    *,
    principal: Principal,
    text: str,
    kind: str,
    description: str | None = None,
) -> GoalItem:
    require_draft(goal_set)
    before = {"text": item.text, "kind": item.kind, "description": item.description}
    item.text, item.kind = clean_text(text), parse_kind(kind).value
    item.description = description.strip() if description and description.strip() else None
    session.add(item)
    after = {"text": item.text, "kind": item.kind, "description": item.description}
    _audit(session, goal_set, principal, "update", item.id, {"before": before, "after": after})
    return item


def add_item(
    session: Session,
    goal_set: GoalSet,
    *,
    principal: Principal,
    kind: str,
    text: str,
    parent_id: int | None,
) -> GoalItem:
    require_draft(goal_set)
    parent = item_in(session, goal_set, parent_id) if parent_id else None
    siblings = _siblings(session, goal_set, parent.id if parent else None)
    assert goal_set.id is not None
    item = GoalItem(
        municipality_id=goal_set.municipality_id,
        goal_set_id=goal_set.id,
        parent_id=parent.id if parent else None,
        position=len(siblings),
        kind=parse_kind(kind).value,
        text=clean_text(text),
    )
    session.add(item)
    session.flush()
    _audit(
        session,
        goal_set,
        principal,
        "add",
        item.id,
        {"kind": item.kind, "text": item.text, "parent_id": item.parent_id},
    )
    return item


def delete_item(
    session: Session, goal_set: GoalSet, item: GoalItem, *, principal: Principal
) -> None:
    """Delete an item; its children move up to its parent, keeping their place."""
    require_draft(goal_set)
    siblings = _siblings(session, goal_set, item.parent_id)
    index = [s.id for s in siblings].index(item.id)
    children = _siblings(session, goal_set, item.id)
    for child in children:
        child.parent_id = item.parent_id
        session.add(child)
    session.flush()
    new_order = siblings[:index] + children + siblings[index + 1 :]
    _renumber(session, new_order)
    _audit(
        session,
        goal_set,
        principal,
        "delete",
        item.id,
        {"kind": item.kind, "text": item.text, "children_moved": len(children)},
    )
    session.delete(item)


def move_item(
    session: Session,
    goal_set: GoalSet,
    item: GoalItem,
    *,
    principal: Principal,
    parent_id: int | None,
    position: int | None = None,
) -> GoalItem:
    """Move an item under another parent (or to the top level) at ``position``."""
    require_draft(goal_set)
    parent = item_in(session, goal_set, parent_id) if parent_id else None
    if parent is not None and _is_within(session, goal_set, parent, item):
        raise ValidationFailed("Ein Eintrag kann nicht unter sich selbst verschoben werden.")
    old_parent = item.parent_id
    old = [s for s in _siblings(session, goal_set, old_parent) if s.id != item.id]
    _renumber(session, old)
    target = [s for s in _siblings(session, goal_set, parent_id) if s.id != item.id]
    index = len(target) if position is None else max(0, min(position, len(target)))
    item.parent_id = parent_id
    target.insert(index, item)
    _renumber(session, target)
    session.add(item)
    _audit(
        session,
        goal_set,
        principal,
        "move",
        item.id,
        {"from_parent": old_parent, "to_parent": parent_id, "position": index},
    )
    return item


def shift_item(
    session: Session, goal_set: GoalSet, item: GoalItem, *, principal: Principal, delta: int
) -> GoalItem:
    """Move an item up (-1) or down (+1) among its siblings."""
    siblings = _siblings(session, goal_set, item.parent_id)
    index = [s.id for s in siblings].index(item.id)
    return move_item(
        session,
        goal_set,
        item,
        principal=principal,
        parent_id=item.parent_id,
        position=max(0, index + delta),
    )


def _is_within(session: Session, goal_set: GoalSet, node: GoalItem, ancestor: GoalItem) -> bool:
    current: GoalItem | None = node
    while current is not None:
        if current.id == ancestor.id:
            return True
        current = session.get(GoalItem, current.parent_id) if current.parent_id else None
    return False


def merge_with_next(
    session: Session, goal_set: GoalSet, item: GoalItem, *, principal: Principal
) -> GoalItem:
    """Merge an item with its next sibling: texts joined, source spans united, children kept."""
    require_draft(goal_set)
    siblings = _siblings(session, goal_set, item.parent_id)
    index = [s.id for s in siblings].index(item.id)
    if index + 1 >= len(siblings):
        raise ValidationFailed("Es gibt keinen folgenden Eintrag zum Zusammenführen.")
    other = siblings[index + 1]
    own_children = len(_siblings(session, goal_set, item.id))
    for child in _siblings(session, goal_set, other.id):
        child.parent_id = item.id
        child.position += own_children  # the other item's children follow the item's own
        session.add(child)
    item.text = f"{item.text} {other.text}".strip()
    item.attributes = {**other.attributes, **item.attributes}
    if other.source_start is not None and item.source_start is not None:
        item.source_start = min(item.source_start, other.source_start)
        item.source_end = max(item.source_end or 0, other.source_end or 0)
    session.add(item)
    session.flush()
    _audit(session, goal_set, principal, "merge", item.id, {"merged": other.id, "text": item.text})
    session.delete(other)
    session.flush()
    _renumber(session, _siblings(session, goal_set, item.parent_id))
    return item


def split_item(
    session: Session, goal_set: GoalSet, item: GoalItem, *, principal: Principal, text: str
) -> GoalItem:
    """Split an item at the first blank line of ``text``; the second part follows it."""
    require_draft(goal_set)
    first, sep, second = text.strip().partition("\n\n")
    if not sep or not first.strip() or not second.strip():
        raise ValidationFailed(
            "Zum Teilen bitte an der Trennstelle eine Leerzeile einfügen.", code="split"
        )
    item.text = clean_text(first)
    session.add(item)
    siblings = _siblings(session, goal_set, item.parent_id)
    index = [s.id for s in siblings].index(item.id)
    new = GoalItem(
        municipality_id=item.municipality_id,
        goal_set_id=item.goal_set_id,
        parent_id=item.parent_id,
        position=index + 1,
        kind=item.kind,
        text=clean_text(second),
        attributes=dict(item.attributes),
        source_page=item.source_page,
        source_start=item.source_start,
        source_end=item.source_end,
    )
    session.add(new)
    session.flush()
    siblings.insert(index + 1, new)
    _renumber(session, siblings)
    _audit(session, goal_set, principal, "split", item.id, {"new_item": new.id})
    return new
