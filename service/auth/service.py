"""Logins, sessions, API tokens and login throttling. Services flush; the boundary commits."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel import Session, col, func, select

from service.audit import record
from service.auth.passwords import hash_password, needs_rehash, verify_password
from service.auth.tokens import new_api_token, new_secret, sha256_hex
from service.config import Settings
from service.errors import TooManyRequests
from service.models import ApiToken, LoginAttempt, User, WebSession, utcnow
from service.tenancy import Principal, load_principal


def normalise_email(email: str) -> str:
    return email.strip().lower()


def check_throttle(session: Session, *, email: str, client_ip: str, settings: Settings) -> None:
    """Refuse a login when the address or the client failed too often in the window."""
    since = utcnow() - timedelta(minutes=settings.login_window_minutes)
    failures = (
        select(func.count())
        .select_from(LoginAttempt)
        .where(
            LoginAttempt.succeeded == False,  # noqa: E712 - SQL comparison
            col(LoginAttempt.created_at) >= since,
        )
    )
    by_email = session.exec(failures.where(LoginAttempt.email == email)).one()
    by_ip = session.exec(failures.where(LoginAttempt.client_ip == client_ip)).one()
    # A client may try a few more addresses than one address may be tried.
    if by_email >= settings.login_max_failures or by_ip >= settings.login_max_failures * 4:
        raise TooManyRequests(
            "Zu viele fehlgeschlagene Anmeldeversuche. Bitte warten Sie "
            f"{settings.login_window_minutes} Minuten und versuchen Sie es dann erneut."
        )


def authenticate(
    session: Session, email: str, password: str, *, client_ip: str, settings: Settings
) -> User | None:
    """The active user with these credentials, or None (throttled: TooManyRequests).

    The caller records the attempt with :func:`record_attempt` in a transaction of its own, so
    that a failed attempt is kept although the failed request itself rolls back.
    """
    email = normalise_email(email)
    check_throttle(session, email=email, client_ip=client_ip, settings=settings)
    user = session.exec(select(User).where(User.email == email)).first()
    hash_ = user.password_hash if user is not None and user.is_active else None
    ok = verify_password(hash_, password)
    if not ok or user is None:
        return None
    if user.password_hash and needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
        session.add(user)
    return user


def record_attempt(session: Session, *, email: str, client_ip: str, succeeded: bool) -> None:
    session.add(
        LoginAttempt(email=normalise_email(email), client_ip=client_ip, succeeded=succeeded)
    )


def start_session(session: Session, user: User, *, settings: Settings) -> str:
    """Create a server-side session and return the token for the cookie (shown once)."""
    assert user.id is not None
    token = new_secret()
    expires = utcnow() + timedelta(hours=settings.session_hours)
    session.add(WebSession(token_hash=sha256_hex(token), user_id=user.id, expires_at=expires))
    record(session, actor_id=user.id, action="login", object_type="user", object_id=user.id)
    session.flush()
    return token


def end_session(session: Session, token: str) -> None:
    """Revoke the session behind a cookie token (logout)."""
    row = session.exec(select(WebSession).where(WebSession.token_hash == sha256_hex(token))).first()
    if row is not None and row.revoked_at is None:
        row.revoked_at = utcnow()
        session.add(row)
        record(
            session,
            actor_id=row.user_id,
            action="logout",
            object_type="user",
            object_id=row.user_id,
        )


def principal_from_session(session: Session, token: str) -> Principal | None:
    """The principal of a valid, unrevoked, unexpired session token."""
    row = session.exec(select(WebSession).where(WebSession.token_hash == sha256_hex(token))).first()
    if row is None or row.revoked_at is not None or row.expires_at <= utcnow():
        return None
    return _active_principal(session, row.user_id)


def principal_from_api_token(session: Session, token: str) -> Principal | None:
    """The principal of a valid API token; records when it was last used."""
    row = session.exec(select(ApiToken).where(ApiToken.token_hash == sha256_hex(token))).first()
    if row is None or row.revoked_at is not None:
        return None
    now = utcnow()
    # Write at most once a minute: a busy API client must not turn every GET into a write.
    if row.last_used_at is None or now - row.last_used_at > timedelta(minutes=1):
        row.last_used_at = now
        session.add(row)
    return _active_principal(session, row.user_id)


def _active_principal(session: Session, user_id: int) -> Principal | None:
    user = session.get(User, user_id)
    if user is None or not user.is_active:
        return None
    return load_principal(session, user)


def create_api_token(session: Session, user: User, *, name: str = "") -> str:
    """Create an API token for ``user`` and return it; only its hash is stored."""
    assert user.id is not None
    token = new_api_token()
    session.add(
        ApiToken(user_id=user.id, name=name, prefix=token[:12], token_hash=sha256_hex(token))
    )
    record(session, actor_id=None, action="api_token.create", object_type="user", object_id=user.id)
    session.flush()
    return token


def session_expiry(settings: Settings) -> datetime:
    return utcnow() + timedelta(hours=settings.session_hours)
