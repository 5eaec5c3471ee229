"""The queue: questions filtered by status, municipality, Landkreis, Handlungsfeld, channel,
assignee and overdue; clerks see only their municipalities' questions (one scoping gate)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlmodel import Session, col, func, select

from service.db import is_storable_id, is_storable_text
from service.errors import ValidationFailed
from service.models import OPEN_STATUS_VALUES, Channel, Municipality, Question, QuestionStatus
from service.tenancy import Principal, municipality_by_ags, scope


@dataclass(frozen=True)
class QueueFilter:
    status: str | None = None  # a status, or "offen" for every open one
    municipality_id: int | None = None
    landkreis: str | None = None
    handlungsfeld: str | None = None
    channel: str | None = None
    assignee: str | None = None  # "ich", "niemand" or a user id
    overdue: bool = False

    def is_empty(self) -> bool:
        return self == QueueFilter()


def parse_filter(params: Mapping[str, str], session: Session, principal: Principal) -> QueueFilter:
    """Filters from query parameters; unknown values are a German 422, not an empty list."""
    status = params.get("status") or None
    if status and status != "offen" and status not in {s.value for s in QuestionStatus}:
        raise ValidationFailed("Unbekannter Status im Filter.", code="status")
    channel = params.get("channel") or params.get("kanal") or None
    if channel and channel not in {c.value for c in Channel}:
        raise ValidationFailed("Unbekannter Kanal im Filter.", code="channel")
    ags = params.get("municipality") or params.get("kommune") or None
    municipality = municipality_by_ags(session, ags, principal) if ags else None
    assignee = params.get("assignee") or params.get("bearbeitung") or None
    if assignee and assignee not in ("ich", "niemand") and not _is_user_id(assignee):
        raise ValidationFailed("Bearbeitung: „ich“, „niemand“ oder eine Nutzer-ID.")
    if not all(is_storable_text(params.get(name, "")) for name in ("landkreis", "handlungsfeld")):
        raise ValidationFailed("Der Filter enthält ein unzulässiges Nullzeichen (U+0000).")
    return QueueFilter(
        status=status,
        municipality_id=municipality.id if municipality else None,
        landkreis=params.get("landkreis") or None,
        handlungsfeld=params.get("handlungsfeld") or None,
        channel=channel,
        assignee=assignee,
        overdue=params.get("overdue", params.get("ueberfaellig", "")) in ("1", "true", "ja"),
    )


def _is_user_id(text: str) -> bool:
    # str.isdigit() is also true for "²", which int() refuses.
    return text.isascii() and text.isdigit() and is_storable_id(int(text))


def list_questions(
    session: Session,
    principal: Principal,
    flt: QueueFilter,
    *,
    limit: int = 50,
    offset: int = 0,
    today: date | None = None,
) -> tuple[list[Question], int]:
    """Matching questions, most urgent first (open before closed, then due date), and total."""
    query = scope(select(Question), Question, principal)
    query = _where(query, flt, principal, today or date.today())
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    closed_last = col(Question.status).in_(OPEN_STATUS_VALUES).desc()
    ordered = query.order_by(closed_last, col(Question.due_date), col(Question.id))
    return list(session.exec(ordered.offset(offset).limit(limit)).all()), int(total)


def _where(query: Any, flt: QueueFilter, principal: Principal, today: date) -> Any:
    if flt.status == "offen":
        query = query.where(col(Question.status).in_(OPEN_STATUS_VALUES))
    elif flt.status:
        query = query.where(Question.status == flt.status)
    query = _where_assignee(query, flt, principal)
    if flt.municipality_id is not None:
        query = query.where(Question.municipality_id == flt.municipality_id)
    if flt.landkreis:
        in_kreis = select(Municipality.id).where(Municipality.landkreis == flt.landkreis)
        query = query.where(col(Question.municipality_id).in_(in_kreis))
    if flt.handlungsfeld:
        query = query.where(Question.handlungsfeld == flt.handlungsfeld)
    if flt.channel:
        query = query.where(Question.channel == flt.channel)
    if flt.overdue:
        query = query.where(col(Question.status).in_(OPEN_STATUS_VALUES), Question.due_date < today)
    return query


def _where_assignee(query: Any, flt: QueueFilter, principal: Principal) -> Any:
    if flt.assignee == "ich":
        return query.where(Question.assignee_id == principal.user_id)
    if flt.assignee == "niemand":
        return query.where(col(Question.assignee_id).is_(None))
    if flt.assignee:
        return query.where(Question.assignee_id == int(flt.assignee))
    return query


def landkreise(session: Session) -> list[str]:
    rows = session.exec(select(Municipality.landkreis).distinct()).all()
    return sorted(r for r in rows if r)


def handlungsfelder_in_use(session: Session, principal: Principal) -> list[str]:
    query = scope(select(Question.handlungsfeld).distinct(), Question, principal)
    return sorted(r for r in session.exec(query).all() if r)
