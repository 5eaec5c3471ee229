from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column
from sqlmodel import Field, SQLModel

from service.models.base import TZDateTime, utcnow


class Role(StrEnum):
    """Roles: two per municipality (through a Membership), two for FS INGE staff (on the user)."""

    CLERK = "clerk"
    MUNICIPAL_ADMIN = "municipal_admin"
    ADVISOR = "advisor"
    ADMIN = "admin"

    @property
    def is_staff(self) -> bool:
        return self in (Role.ADVISOR, Role.ADMIN)

    @property
    def label(self) -> str:
        return ROLE_LABELS[self]


ROLE_LABELS = {
    Role.CLERK: "Sachbearbeitung",
    Role.MUNICIPAL_ADMIN: "Kommunale Administration",
    Role.ADVISOR: "Beratung FS INGE",
    Role.ADMIN: "Administration FS INGE",
}


class User(SQLModel, table=True):
    """A person who logs in. ``staff_role`` is set only for FS INGE staff."""

    __tablename__ = "users"

    id: int | None = Field(default=None, primary_key=True)
    email: str = Field(max_length=320, unique=True, index=True)
    display_name: str = Field(default="", max_length=200)
    password_hash: str | None = Field(default=None, max_length=200)
    staff_role: str | None = Field(default=None, max_length=20)
    is_active: bool = Field(default=True)
    created_at: datetime = Field(
        default_factory=utcnow, sa_column=Column(TZDateTime, nullable=False)
    )
