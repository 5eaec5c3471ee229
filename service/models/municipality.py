from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Column
from sqlmodel import Field, SQLModel

from service.models.base import TZDateTime, utcnow


class MunicipalityKind(StrEnum):
    STADT = "stadt"
    GEMEINDE = "gemeinde"


class Municipality(SQLModel, table=True):
    """A tenant: one Saxon town or village, identified by its AGS."""

    __tablename__ = "municipalities"

    id: int | None = Field(default=None, primary_key=True)
    ags: str = Field(max_length=8, unique=True, index=True)
    name: str = Field(max_length=200)
    kind: str = Field(default=MunicipalityKind.STADT.value, max_length=20)
    landkreis: str | None = Field(default=None, max_length=200)
    # who receives the compliance report by e-mail when a check is finalised
    report_recipients: list[str] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False, server_default="[]")
    )
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(TZDateTime, nullable=False)
    )
