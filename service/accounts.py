"""Creating users and memberships (CLI and admin tasks). Services flush; callers commit."""

from __future__ import annotations

from sqlmodel import Session, select

from service.audit import record
from service.auth.passwords import MIN_PASSWORD_LENGTH, hash_password
from service.auth.service import normalise_email
from service.errors import NotFound, ValidationFailed
from service.models import Membership, Municipality, Role, User


def parse_role(value: str) -> Role:
    try:
        return Role(value)
    except ValueError:
        allowed = ", ".join(r.value for r in Role)
        raise ValidationFailed(f"Unbekannte Rolle {value!r}; erlaubt: {allowed}.") from None


def create_user(
    session: Session,
    *,
    email: str,
    password: str,
    role: Role,
    municipality_ags: str | None = None,
    display_name: str = "",
) -> User:
    """Create a user; municipal roles need a municipality, staff roles must not have one."""
    email = normalise_email(email)
    if "@" not in email or len(email) > 320:
        raise ValidationFailed("Bitte geben Sie eine gültige E-Mail-Adresse an.", code="email")
    if len(password) < MIN_PASSWORD_LENGTH:
        raise ValidationFailed(
            f"Das Passwort muss mindestens {MIN_PASSWORD_LENGTH} Zeichen lang sein.",
            code="password",
        )
    if session.exec(select(User).where(User.email == email)).first() is not None:
        raise ValidationFailed(f"Es gibt bereits einen Zugang für {email}.", code="email")
    municipality = _municipality_for_role(session, role, municipality_ags)
    user = User(
        email=email,
        display_name=display_name or email,
        password_hash=hash_password(password),
        staff_role=role.value if role.is_staff else None,
    )
    session.add(user)
    session.flush()
    assert user.id is not None
    if municipality is not None and municipality.id is not None:
        session.add(Membership(user_id=user.id, municipality_id=municipality.id, role=role.value))
    record(
        session,
        actor_id=None,
        action="user.create",
        object_type="user",
        object_id=user.id,
        municipality_id=municipality.id if municipality else None,
        details={"role": role.value},
    )
    return user


def _municipality_for_role(session: Session, role: Role, ags: str | None) -> Municipality | None:
    if role.is_staff:
        if ags:
            raise ValidationFailed(
                "Beratung und Administration von FS INGE sehen alle Kommunen; "
                "bitte keine Kommune angeben."
            )
        return None
    if not ags:
        raise ValidationFailed("Für diese Rolle ist die Kommune (--municipality AGS) nötig.")
    municipality = session.exec(select(Municipality).where(Municipality.ags == ags)).first()
    if municipality is None:
        raise NotFound(f"Eine Kommune mit dem AGS {ags} gibt es nicht.")
    return municipality


def user_by_email(session: Session, email: str) -> User:
    user = session.exec(select(User).where(User.email == normalise_email(email))).first()
    if user is None:
        raise NotFound(f"Einen Zugang für {email} gibt es nicht.")
    return user
