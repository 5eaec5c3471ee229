from __future__ import annotations

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel


class Membership(SQLModel, table=True):
    """A user's role in one municipality (clerk or municipal_admin)."""

    __tablename__ = "memberships"
    __table_args__ = (UniqueConstraint("user_id", "municipality_id"),)

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="users.id", index=True, ondelete="CASCADE")
    municipality_id: int = Field(foreign_key="municipalities.id", index=True, ondelete="CASCADE")
    role: str = Field(max_length=20)
