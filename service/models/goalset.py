from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, Column, Index, Text, text
from sqlmodel import Field, SQLModel

from service.models.base import TZDateTime, utcnow


class GoalSetStatus(StrEnum):
    """Lifecycle of a goal set version; values are the German words users see."""

    DRAFT = "Entwurf"
    ADOPTED = "beschlossen"
    SUPERSEDED = "abgelöst"


class ItemKind(StrEnum):
    LEITBILD = "leitbild"
    HANDLUNGSFELD = "handlungsfeld"
    LEITZIEL = "leitziel"
    STRATEGISCHES_ZIEL = "strategisches_ziel"
    OPERATIVES_ZIEL = "operatives_ziel"
    ANSATZ = "strategischer_ansatz"
    MASSNAHME = "massnahme"
    SCHLUESSELPROJEKT = "schluesselprojekt"
    QUERSCHNITTSTHEMA = "querschnittsthema"

    @property
    def label(self) -> str:
        return ITEM_LABELS[self]

    @property
    def is_goal(self) -> bool:
        return self in GOAL_KINDS

    @property
    def is_measure(self) -> bool:
        return self in (ItemKind.MASSNAHME, ItemKind.SCHLUESSELPROJEKT)


GOAL_KINDS = (ItemKind.LEITZIEL, ItemKind.STRATEGISCHES_ZIEL, ItemKind.OPERATIVES_ZIEL)
ITEM_LABELS = {
    ItemKind.LEITBILD: "Leitbild",
    ItemKind.HANDLUNGSFELD: "Handlungsfeld",
    ItemKind.LEITZIEL: "Leitziel",
    ItemKind.STRATEGISCHES_ZIEL: "Strategisches Ziel",
    ItemKind.OPERATIVES_ZIEL: "Operatives Ziel",
    ItemKind.ANSATZ: "Strategischer Ansatz",
    ItemKind.MASSNAHME: "Maßnahme",
    ItemKind.SCHLUESSELPROJEKT: "Schlüsselprojekt",
    ItemKind.QUERSCHNITTSTHEMA: "Querschnittsthema",
}


class GoalSet(SQLModel, table=True):
    """One version of a municipality's INSEK goal system, extracted from a document."""

    __tablename__ = "goal_sets"
    # Version numbers are unique per municipality, and at most one version is adopted
    # ("beschlossen"); both enforced by the database.
    __table_args__ = (
        Index("uq_goal_sets_version", "municipality_id", "version", unique=True),
        Index(
            "uq_goal_sets_one_adopted",
            "municipality_id",
            unique=True,
            sqlite_where=text("status = 'beschlossen'"),
            postgresql_where=text("status = 'beschlossen'"),
        ),
    )

    id: int | None = Field(default=None, primary_key=True)
    municipality_id: int = Field(foreign_key="municipalities.id", index=True, ondelete="CASCADE")
    document_id: int | None = Field(
        default=None, foreign_key="documents.id", index=True, ondelete="SET NULL"
    )
    version: int
    title: str = Field(max_length=300)
    status: str = Field(default=GoalSetStatus.DRAFT.value, max_length=20, index=True)
    source_text: str = Field(default="", sa_column=Column(Text, nullable=False))
    page_starts: list[int] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    extractor_version: str = Field(default="", max_length=40)
    council_decision_date: date | None = None
    council_decision_ref: str | None = Field(default=None, max_length=200)
    adopted_at: datetime | None = Field(default=None, sa_column=Column(TZDateTime, nullable=True))
    adopted_by_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(TZDateTime, nullable=False)
    )
    updated_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(TZDateTime, nullable=False)
    )


class GoalItem(SQLModel, table=True):
    """A node of the goal tree: Handlungsfeld, goal, approach, measure, Leitbild, topic."""

    __tablename__ = "goal_items"

    id: int | None = Field(default=None, primary_key=True)
    municipality_id: int = Field(foreign_key="municipalities.id", index=True, ondelete="CASCADE")
    goal_set_id: int = Field(foreign_key="goal_sets.id", index=True, ondelete="CASCADE")
    parent_id: int | None = Field(
        default=None, foreign_key="goal_items.id", index=True, ondelete="CASCADE"
    )
    position: int = 0
    kind: str = Field(max_length=30)
    text: str = Field(sa_column=Column(Text, nullable=False))
    description: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    attributes: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    # Topic ids of the domain vocabulary (nlp/vocab), tagged by the spaCy pipeline.
    topics: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    source_page: int | None = None
    source_start: int | None = None
    source_end: int | None = None
