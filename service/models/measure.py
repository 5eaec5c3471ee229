"""The implementation status of an INSEK measure, when a person set it (otherwise INGE
derives it from the checked resolutions)."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column
from sqlmodel import Field, SQLModel

from service.models.base import TZDateTime, utcnow


class MeasureState(StrEnum):
    OPEN = "offen"
    IN_PROGRESS = "in Umsetzung"
    DONE = "umgesetzt"


class MeasureStatus(SQLModel, table=True):
    __tablename__ = "measure_statuses"

    id: int | None = Field(default=None, primary_key=True)
    municipality_id: int = Field(foreign_key="municipalities.id", index=True, ondelete="CASCADE")
    goal_item_id: int = Field(foreign_key="goal_items.id", unique=True, ondelete="CASCADE")
    status: str = Field(max_length=20)
    set_by_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    updated_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(TZDateTime, nullable=False)
    )
