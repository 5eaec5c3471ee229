"""Start-up chores shared by ``inge serve``, ``inge web`` and tests: schema and first admin."""

from __future__ import annotations

import logging

from sqlmodel import select

from service.auth.passwords import hash_password
from service.config import Settings
from service.db import make_engine, session_scope
from service.migrate import upgrade
from service.models import Role, User

log = logging.getLogger(__name__)


def ensure_admin(settings: Settings) -> bool:
    """Create the admin from INGE_ADMIN_EMAIL / INGE_ADMIN_PASSWORD if absent; True if created."""
    if not settings.admin_email or settings.admin_password is None:
        return False
    email = settings.admin_email.strip().lower()
    engine = make_engine(settings.resolved_database_url)
    try:
        with session_scope(engine) as session:
            if session.exec(select(User).where(User.email == email)).first() is not None:
                return False
            password = settings.admin_password.get_secret_value()
            session.add(
                User(
                    email=email,
                    display_name="Administration",
                    staff_role=Role.ADMIN.value,
                    password_hash=hash_password(password),
                )
            )
    finally:
        engine.dispose()
    log.info("Administrationszugang %s angelegt", email)
    return True


def prepare(settings: Settings, *, migrate: bool = True) -> None:
    """Create the data directory and secret, migrate the schema, create the first admin."""
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    settings.resolved_secret_key()
    if migrate:
        upgrade(settings.resolved_database_url)
    ensure_admin(settings)
