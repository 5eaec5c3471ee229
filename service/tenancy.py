"""The one gate for tenant data: what a principal may see and do, per municipality."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any, TypeVar, cast

from sqlmodel import Session, col, select

from service.db import is_storable_id
from service.errors import Forbidden, NotFound, ValidationFailed
from service.models import Membership, Municipality, Role, User

T = TypeVar("T")
S = TypeVar("S")  # a sqlmodel select of any shape


@dataclass(frozen=True)
class Principal:
    """The authenticated user with the roles they hold; built once per request or job."""

    user_id: int
    email: str
    display_name: str
    staff_role: Role | None
    memberships: Mapping[int, Role] = field(default_factory=dict)

    @property
    def sees_all_municipalities(self) -> bool:
        """FS INGE staff see every municipality through their role (issue 2)."""
        return self.staff_role is not None

    @property
    def is_admin(self) -> bool:
        return self.staff_role is Role.ADMIN

    def role_in(self, municipality_id: int) -> Role | None:
        """The effective role in a municipality, or None when it is not visible."""
        if self.staff_role is not None:
            return self.staff_role
        return self.memberships.get(municipality_id)

    def can_see(self, municipality_id: int) -> bool:
        return self.role_in(municipality_id) is not None


def load_principal(session: Session, user: User) -> Principal:
    """Build the principal of an active user, with their memberships."""
    assert user.id is not None
    rows = session.exec(select(Membership).where(Membership.user_id == user.id)).all()
    return Principal(
        user_id=user.id,
        email=user.email,
        display_name=user.display_name or user.email,
        staff_role=Role(user.staff_role) if user.staff_role else None,
        memberships={m.municipality_id: Role(m.role) for m in rows},
    )


def scope(statement: S, model: Any, principal: Principal) -> S:
    """Restrict a select of a tenant-owned ``model`` to what ``principal`` may see."""
    if principal.sees_all_municipalities:
        return statement
    allowed = col(model.municipality_id).in_(list(principal.memberships))
    return cast(S, statement.where(allowed))  # type: ignore[attr-defined]


def get_scoped(session: Session, model: type[T], row_id: int, principal: Principal) -> T:
    """Load one tenant-owned row; another municipality's row is NotFound, like a missing one."""
    if not is_storable_id(row_id):
        raise NotFound()
    statement = scope(select(model).where(model.id == row_id), model, principal)  # type: ignore[attr-defined]
    row = session.exec(statement).first()
    if row is None:
        raise NotFound()
    return row


def visible_municipalities(session: Session, principal: Principal) -> list[Municipality]:
    """The municipalities the principal may see, ordered by name."""
    statement = select(Municipality).order_by(Municipality.name)
    if not principal.sees_all_municipalities:
        statement = statement.where(col(Municipality.id).in_(list(principal.memberships)))
    return list(session.exec(statement).all())


def visible_municipality(
    session: Session, principal: Principal, municipality_id: int
) -> Municipality:
    """A visible municipality by id; an invisible one is NotFound, like a missing one."""
    row = session.get(Municipality, municipality_id)
    if row is None or row.id is None or not principal.can_see(row.id):
        raise NotFound()
    return row


def municipality_by_ags(session: Session, ags: str, principal: Principal) -> Municipality:
    """A visible municipality by its AGS; an invisible one is NotFound."""
    # An AGS is eight digits; anything else names no municipality (and may hold a NUL).
    if not (len(ags) == 8 and ags.isascii() and ags.isdigit()):
        raise NotFound("Diese Kommune gibt es nicht oder Sie haben keinen Zugriff darauf.")
    row = session.exec(select(Municipality).where(Municipality.ags == ags)).first()
    if row is None or row.id is None or not principal.can_see(row.id):
        raise NotFound("Diese Kommune gibt es nicht oder Sie haben keinen Zugriff darauf.")
    return row


def municipality_for_write(
    session: Session, principal: Principal, ags: str | None, *, roles: frozenset[Role]
) -> Municipality:
    """The municipality a write goes to: the given AGS, or the principal's only one."""
    if ags:
        municipality = municipality_by_ags(session, ags, principal)
    else:
        visible = visible_municipalities(session, principal)
        if len(visible) != 1:
            raise ValidationFailed("Bitte geben Sie die Kommune (AGS) an.", code="municipality")
        municipality = visible[0]
    assert municipality.id is not None
    role = principal.role_in(municipality.id)
    if role is None or role not in roles:
        raise Forbidden()
    return municipality
