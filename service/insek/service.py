"""Goal set versions: drafts from extraction, the tree, edits, adoption. Services only flush."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from checks.mindeststandard import InsekInput, InsekItem
from nlp.insek import Approach, Goal, Handlungsfeld, Leitbild, Measure, Source
from nlp.insek import GoalSet as Extracted
from nlp.text import CleanText
from service.audit import record
from service.errors import Conflict, ValidationFailed
from service.models import (
    Document,
    GoalItem,
    GoalSet,
    GoalSetStatus,
    ItemKind,
    utcnow,
)
from service.tenancy import Principal

EXTRACTOR_VERSION = "insek-extract-1"
ROOT_KINDS = (ItemKind.LEITBILD, ItemKind.HANDLUNGSFELD, ItemKind.QUERSCHNITTSTHEMA)


@dataclass
class Node:
    item: GoalItem
    children: list[Node] = field(default_factory=list)


def next_version(session: Session, municipality_id: int) -> int:
    query = select(func.max(GoalSet.version)).where(GoalSet.municipality_id == municipality_id)
    return int(session.exec(query).one() or 0) + 1


class VersionTaken(Conflict):
    message = "Gerade wurde eine andere Fassung dieses INSEK angelegt. Bitte erneut versuchen."


def _insert_version(session: Session, goal_set: GoalSet) -> None:
    """Insert a new version. Two made at the same moment read the same maximum; the unique
    index uq_goal_sets_version refuses the second, which is then VersionTaken (the caller's
    transaction must be rolled back and tried again)."""
    session.add(goal_set)
    try:
        session.flush()
    except IntegrityError as exc:
        detail = str(exc.orig)
        if "uq_goal_sets_version" in detail or "goal_sets.version" in detail:
            raise VersionTaken() from exc
        raise


def draft_from_extraction(
    session: Session, document: Document, clean: CleanText, extracted: Extracted
) -> GoalSet:
    """A new draft version holding everything the extraction found, with source spans."""
    goal_set = GoalSet(
        municipality_id=document.municipality_id,
        document_id=document.id,
        version=next_version(session, document.municipality_id),
        title=document.title,
        source_text=clean.text,
        extractor_version=EXTRACTOR_VERSION,
        page_starts=[clean.page_start(p) for p in range(1, clean.page_count + 1)],
    )
    _insert_version(session, goal_set)
    _ItemWriter(session, goal_set).write(extracted)
    record(
        session,
        actor_id=None,
        action="goalset.extract",
        object_type="goal_set",
        object_id=goal_set.id,
        municipality_id=goal_set.municipality_id,
        details={"document_id": document.id, "version": goal_set.version},
    )
    return goal_set


class _ItemWriter:
    """Turns the flat extraction (items naming their Handlungsfeld) into a tree of rows."""

    def __init__(self, session: Session, goal_set: GoalSet) -> None:
        self.session, self.goal_set = session, goal_set
        self.positions: dict[int | None, int] = {}

    def add(
        self,
        kind: ItemKind,
        text: str,
        source: Source | None,
        *,
        parent: GoalItem | None,
        description: str | None = None,
        attributes: dict[str, Any] | None = None,
    ) -> GoalItem:
        parent_id = parent.id if parent else None
        position = self.positions.get(parent_id, 0)
        self.positions[parent_id] = position + 1
        assert self.goal_set.id is not None
        item = GoalItem(
            municipality_id=self.goal_set.municipality_id,
            goal_set_id=self.goal_set.id,
            parent_id=parent_id,
            position=position,
            kind=kind.value,
            text=text,
            description=description,
            attributes=dict(attributes or {}),
            source_page=source.page if source else None,
            source_start=source.start if source else None,
            source_end=source.end if source else None,
        )
        self.session.add(item)
        self.session.flush()
        return item

    def write(self, extracted: Extracted) -> None:
        if extracted.leitbild is not None:
            self.add(
                ItemKind.LEITBILD, extracted.leitbild.text, extracted.leitbild.source, parent=None
            )
        fields = {
            hf.name: self.add(
                ItemKind.HANDLUNGSFELD, hf.name, hf.source, parent=None, description=hf.description
            )
            for hf in extracted.handlungsfelder
        }
        goals: list[GoalItem] = []
        for goal in extracted.goals:
            parent = (
                goals[goal.parent]
                if goal.parent is not None and goal.parent < len(goals)
                else fields.get(goal.handlungsfeld or "")
            )
            goals.append(self.add(ItemKind(goal.level), goal.text, goal.source, parent=parent))
        for approach in extracted.approaches:
            self.add(
                ItemKind.ANSATZ,
                approach.text,
                approach.source,
                parent=fields.get(approach.handlungsfeld or ""),
            )
        for measure in extracted.measures:
            parent = (
                goals[measure.parent_goal]
                if measure.parent_goal is not None
                else fields.get(measure.handlungsfeld or "")
            )
            self.add(
                ItemKind(measure.kind),
                measure.text,
                measure.source,
                parent=parent,
                attributes=measure.attributes,
            )
        for topic in extracted.querschnittsthemen:
            self.add(ItemKind.QUERSCHNITTSTHEMA, topic, None, parent=None)


def items_of(session: Session, goal_set: GoalSet) -> list[GoalItem]:
    query = select(GoalItem).where(GoalItem.goal_set_id == goal_set.id)
    return list(session.exec(query.order_by(col(GoalItem.position), col(GoalItem.id))).all())


def build_tree(items: Iterable[GoalItem]) -> list[Node]:
    """Roots in display order (Leitbild, Handlungsfelder, Querschnittsthemen), children nested."""
    nodes = {item.id: Node(item) for item in items}
    roots: list[Node] = []
    for node in nodes.values():
        parent = nodes.get(node.item.parent_id) if node.item.parent_id else None
        (parent.children if parent else roots).append(node)
    order = {kind.value: i for i, kind in enumerate(ROOT_KINDS)}
    roots.sort(key=lambda n: (order.get(n.item.kind, len(order)), n.item.position))
    return roots


def walk(nodes: Iterable[Node], depth: int = 0) -> Iterable[tuple[Node, int]]:
    for node in nodes:
        yield node, depth
        yield from walk(node.children, depth + 1)


def require_draft(goal_set: GoalSet) -> None:
    if goal_set.status != GoalSetStatus.DRAFT:
        raise Conflict(
            "Diese Fassung ist beschlossen und kann nicht mehr geändert werden. Legen Sie eine "
            "neue Entwurfsfassung an."
        )


def current_adopted(session: Session, municipality_id: int) -> GoalSet | None:
    query = select(GoalSet).where(
        GoalSet.municipality_id == municipality_id, GoalSet.status == GoalSetStatus.ADOPTED.value
    )
    return session.exec(query).first()


def adopt(
    session: Session,
    goal_set: GoalSet,
    *,
    decision_date: date,
    decision_ref: str,
    principal: Principal,
) -> GoalSet:
    """Adopt a draft; the previously adopted version (if any) becomes "abgelöst"."""
    require_draft(goal_set)
    if not decision_ref.strip():
        raise ValidationFailed("Bitte geben Sie das Aktenzeichen bzw. die Beschlussnummer an.")
    if decision_date > date.today():
        raise ValidationFailed("Das Beschlussdatum darf nicht in der Zukunft liegen.")
    previous = current_adopted(session, goal_set.municipality_id)
    if previous is not None:
        previous.status = GoalSetStatus.SUPERSEDED.value
        previous.updated_at = utcnow()
        session.add(previous)
        session.flush()  # the partial unique index allows one adopted version at a time
    goal_set.status = GoalSetStatus.ADOPTED.value
    goal_set.council_decision_date = decision_date
    goal_set.council_decision_ref = decision_ref.strip()
    goal_set.adopted_at = utcnow()
    goal_set.adopted_by_id = principal.user_id
    goal_set.updated_at = utcnow()
    session.add(goal_set)
    record(
        session,
        actor_id=principal.user_id,
        action="goalset.adopt",
        object_type="goal_set",
        object_id=goal_set.id,
        municipality_id=goal_set.municipality_id,
        details={
            "version": goal_set.version,
            "date": decision_date.isoformat(),
            "ref": goal_set.council_decision_ref,
            "superseded": previous.id if previous else None,
        },
    )
    return goal_set


def new_draft_from(session: Session, source: GoalSet, *, principal: Principal) -> GoalSet:
    """Copy a version (usually the adopted one) into a new draft for the next update."""
    draft = GoalSet(
        municipality_id=source.municipality_id,
        document_id=source.document_id,
        version=next_version(session, source.municipality_id),
        title=source.title,
        source_text=source.source_text,
        page_starts=list(source.page_starts),
        extractor_version=source.extractor_version,
    )
    _insert_version(session, draft)
    assert draft.id is not None
    ids: dict[int | None, int | None] = {None: None}
    for node, _ in walk(build_tree(items_of(session, source))):
        old = node.item
        copy = GoalItem(
            municipality_id=old.municipality_id,
            goal_set_id=draft.id,
            parent_id=ids[old.parent_id],
            position=old.position,
            kind=old.kind,
            text=old.text,
            description=old.description,
            attributes=dict(old.attributes),
            source_page=old.source_page,
            source_start=old.source_start,
            source_end=old.source_end,
            topics=list(old.topics),
        )
        session.add(copy)
        session.flush()
        ids[old.id] = copy.id
    record(
        session,
        actor_id=principal.user_id,
        action="goalset.new_draft",
        object_type="goal_set",
        object_id=draft.id,
        municipality_id=draft.municipality_id,
        details={"from": source.id, "version": draft.version},
    )
    return draft


def goal_set_for_document(session: Session, document: Document) -> GoalSet | None:
    """The newest goal set version made from ``document`` (draft or adopted)."""
    query = select(GoalSet).where(GoalSet.document_id == document.id)
    return session.exec(query.order_by(col(GoalSet.version).desc())).first()


def mindeststandard_input(goal_set: GoalSet, items: list[GoalItem]) -> InsekInput:
    """The plain data that :func:`checks.mindeststandard.report` takes."""
    kinds: dict[int | None, list[str]] = {}
    for item in items:
        kinds.setdefault(item.parent_id, []).append(item.kind)
    converted = [
        InsekItem(
            kind=i.kind,
            text=i.text,
            attributes={k: str(v) for k, v in i.attributes.items()},
            page=i.source_page,
            start=i.source_start,
            end=i.source_end,
            child_kinds=tuple(kinds.get(i.id, ())),
        )
        for i in items
    ]
    return InsekInput(
        items=converted,
        text=goal_set.source_text,
        page_starts=goal_set.page_starts,
        adopted_on=goal_set.council_decision_date,
    )


def to_goalset_data(
    goal_set: GoalSet, items: list[GoalItem]
) -> tuple[Extracted, dict[tuple[int, int], int]]:
    """The stored (possibly edited) tree as extraction data for the matcher, and a map from
    source span to item id. Items added by hand have no span and are matched by text only."""
    by_id = {item.id: item for item in items}
    fields, goals, approaches, measures = [], [], [], []
    leitbild = None
    span_ids: dict[tuple[int, int], int] = {}
    for item in items:
        source = Source(
            item.source_page or 1, item.source_start or 0, item.source_end or 0, item.text
        )
        if item.source_start is not None and item.id is not None:
            span_ids[(source.start, source.end)] = item.id
        field_name = _field_of(item, by_id)
        kind = ItemKind(item.kind)
        if kind is ItemKind.HANDLUNGSFELD:
            fields.append(Handlungsfeld(item.text, item.description, source))
        elif kind is ItemKind.LEITBILD:
            leitbild = Leitbild(item.text, source)
        elif kind.is_goal:
            goals.append(Goal(item.text, kind.value, field_name, source))  # type: ignore[arg-type]
        elif kind is ItemKind.ANSATZ:
            approaches.append(Approach(item.text, field_name, source))
        elif kind.is_measure:
            measures.append(
                Measure(
                    item.text,
                    kind.value,  # type: ignore[arg-type]
                    field_name,
                    source,
                    {k: str(v) for k, v in item.attributes.items()},
                )
            )
    topics = tuple(i.text for i in items if i.kind == ItemKind.QUERSCHNITTSTHEMA)
    data = Extracted(
        leitbild, tuple(fields), tuple(goals), tuple(approaches), tuple(measures), topics
    )
    return data, span_ids


def _field_of(item: GoalItem, by_id: dict[int | None, GoalItem]) -> str | None:
    current: GoalItem | None = item
    while current is not None:
        if current.kind == ItemKind.HANDLUNGSFELD:
            return current.text
        current = by_id.get(current.parent_id) if current.parent_id else None
    return None
