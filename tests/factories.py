"""Plain factory functions, one per kind of row (committed, so the app sees them)."""

from __future__ import annotations

import itertools
from typing import Any

from sqlmodel import Session

from service.accounts import create_user as _create_user
from service.auth.service import create_api_token
from service.models import Municipality, Role, User
from service.municipalities.service import create_municipality as _create_municipality

PASSWORD = "korrekt-pferd-batterie"
_counter = itertools.count(1)


def create_municipality(session: Session, **overrides: Any) -> Municipality:
    n = next(_counter)
    values: dict[str, Any] = {"ags": f"14{n:06d}", "name": f"Teststadt {n}", "kind": "stadt"}
    values.update(overrides)
    municipality = _create_municipality(session, **values)
    session.commit()
    return municipality


def create_user(
    session: Session,
    *,
    role: Role = Role.CLERK,
    municipality: Municipality | None = None,
    **overrides: Any,
) -> User:
    n = next(_counter)
    values: dict[str, Any] = {"email": f"person{n}@example.org", "password": PASSWORD}
    values.update(overrides)
    user = _create_user(
        session, role=role, municipality_ags=municipality.ags if municipality else None, **values
    )
    session.commit()
    return user


def create_token(session: Session, user: User) -> str:
    token = create_api_token(session, user)
    session.commit()
    return token
