from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from service.models.base import TZDateTime, utcnow


class AuditEvent(SQLModel, table=True):
    """Who changed what, in which municipality, when. ``actor_id`` is None for the system."""

    __tablename__ = "audit_events"

    id: int | None = Field(default=None, primary_key=True)
    municipality_id: int | None = Field(
        default=None, foreign_key="municipalities.id", index=True, ondelete="CASCADE"
    )
    actor_id: int | None = Field(default=None, foreign_key="users.id", ondelete="SET NULL")
    action: str = Field(max_length=80, index=True)
    object_type: str = Field(max_length=40)
    object_id: int | None = None
    details: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(TZDateTime, nullable=False, index=True)
    )
