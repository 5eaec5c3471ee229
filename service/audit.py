"""Audit trail: one row for every state change."""

from __future__ import annotations

from typing import Any

from sqlmodel import Session

from service.models import AuditEvent


def record(
    session: Session,
    *,
    actor_id: int | None,
    action: str,
    object_type: str,
    object_id: int | None = None,
    municipality_id: int | None = None,
    details: dict[str, Any] | None = None,
) -> AuditEvent:
    """Add an audit event to the session (committed with the change it describes)."""
    event = AuditEvent(
        municipality_id=municipality_id,
        actor_id=actor_id,
        action=action,
        object_type=object_type,
        object_id=object_id,
        details=details or {},
    )
    session.add(event)
    return event
