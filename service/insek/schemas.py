"""JSON shapes of goal sets in the API."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from pydantic import BaseModel, Field

from service.insek.service import Node
from service.models import GoalSet


class SourceOut(BaseModel):
    page: int | None
    start: int | None
    end: int | None


class ItemOut(BaseModel):
    id: int
    kind: str = Field(
        description="leitbild | handlungsfeld | leitziel | strategisches_ziel | "
        "operatives_ziel | strategischer_ansatz | massnahme | schluesselprojekt | "
        "querschnittsthema"
    )
    text: str
    description: str | None
    attributes: dict[str, Any]
    topics: list[str]
    source: SourceOut
    children: list[ItemOut]

    @classmethod
    def build(cls, node: Node) -> ItemOut:
        item = node.item
        assert item.id is not None
        return cls(
            id=item.id,
            kind=item.kind,
            text=item.text,
            description=item.description,
            attributes=item.attributes,
            topics=list(item.topics),
            source=SourceOut(page=item.source_page, start=item.source_start, end=item.source_end),
            children=[cls.build(child) for child in node.children],
        )


class GoalSetOut(BaseModel):
    id: int
    document_id: int | None
    municipality: str
    version: int
    status: str = Field(description="Entwurf | beschlossen | abgelöst")
    title: str
    council_decision_date: date | None
    council_decision_ref: str | None
    adopted_at: datetime | None
    extractor_version: str
    items: list[ItemOut]

    @classmethod
    def build(cls, goal_set: GoalSet, ags: str, roots: list[Node]) -> GoalSetOut:
        assert goal_set.id is not None
        return cls(
            id=goal_set.id,
            document_id=goal_set.document_id,
            municipality=ags,
            version=goal_set.version,
            status=goal_set.status,
            title=goal_set.title,
            council_decision_date=goal_set.council_decision_date,
            council_decision_ref=goal_set.council_decision_ref,
            adopted_at=goal_set.adopted_at,
            extractor_version=goal_set.extractor_version,
            items=[ItemOut.build(n) for n in roots],
        )


class ItemIn(BaseModel):
    id: int | None = Field(default=None, description="vorhandener Eintrag; fehlt bei neuen")
    kind: str
    text: str = Field(min_length=1, max_length=20_000)
    description: str | None = Field(default=None, max_length=20_000)
    attributes: dict[str, str] = Field(default_factory=dict)
    children: list[ItemIn] = Field(default_factory=list, max_length=5000)


class GoalSetIn(BaseModel):
    """PUT body: the whole tree as it should be; items without id are new, missing ones go."""

    items: list[ItemIn] = Field(max_length=5000)


class AdoptIn(BaseModel):
    council_decision_date: date
    council_decision_ref: str = Field(min_length=1, max_length=200)
