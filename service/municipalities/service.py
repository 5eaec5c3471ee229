"""Municipalities (tenants): creation with AGS validation, overview figures."""

from __future__ import annotations

import re

from sqlmodel import Session, col, func, select

from service.audit import record
from service.errors import ValidationFailed
from service.models import Document, Municipality, MunicipalityKind
from service.tenancy import Principal, scope

AGS_PATTERN = re.compile(r"^\d{8}$")
# First two digits of the AGS: the Land. 14 is Saxony; other Länder are allowed (FS INGE may
# advise neighbours), but the code must be a real one.
LAENDER = {f"{n:02d}" for n in range(1, 17)}


def validate_ags(ags: str) -> str:
    """An 8-digit Amtlicher Gemeindeschlüssel with a valid Land code, else ValidationFailed."""
    ags = ags.strip()
    if not AGS_PATTERN.match(ags):
        raise ValidationFailed(
            "Der Amtliche Gemeindeschlüssel (AGS) besteht aus genau 8 Ziffern, z. B. 14612000.",
            code="ags",
        )
    if ags[:2] not in LAENDER:
        raise ValidationFailed(
            f"Der AGS {ags} beginnt nicht mit einem gültigen Länderschlüssel (01–16).", code="ags"
        )
    return ags


def create_municipality(
    session: Session,
    *,
    ags: str,
    name: str,
    kind: str = "stadt",
    landkreis: str | None = None,
    actor_id: int | None = None,
) -> Municipality:
    """Create a municipality; a duplicate AGS or an unknown kind is ValidationFailed."""
    ags = validate_ags(ags)
    if not name.strip():
        raise ValidationFailed("Bitte geben Sie den Namen der Kommune an.", code="name")
    try:
        kind = MunicipalityKind(kind).value
    except ValueError:
        raise ValidationFailed("Die Art ist entweder stadt oder gemeinde.", code="kind") from None
    if session.exec(select(Municipality).where(Municipality.ags == ags)).first():
        raise ValidationFailed(f"Eine Kommune mit dem AGS {ags} gibt es bereits.", code="ags")
    municipality = Municipality(ags=ags, name=name.strip(), kind=kind, landkreis=landkreis)
    session.add(municipality)
    session.flush()
    record(
        session,
        actor_id=actor_id,
        action="municipality.create",
        object_type="municipality",
        object_id=municipality.id,
        municipality_id=municipality.id,
        details={"ags": ags},
    )
    return municipality


def document_counts(session: Session, principal: Principal) -> dict[int, dict[str, int]]:
    """Per visible municipality: number of documents by status."""
    statement = scope(
        select(Document.municipality_id, Document.status, func.count()).select_from(Document),
        Document,
        principal,
    ).group_by(col(Document.municipality_id), col(Document.status))
    counts: dict[int, dict[str, int]] = {}
    for municipality_id, status, n in session.exec(statement).all():
        counts.setdefault(municipality_id, {})[status] = n
    return counts
