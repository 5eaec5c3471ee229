"""Installation settings edited by admins in the web UI, laid over the environment.

Secrets (SMTP password, Slack token and signing secret) are encrypted with a key derived from
INGE's secret key (Fernet: AES-128-CBC + HMAC-SHA256) and never shown again after saving.
"""

from __future__ import annotations

import base64
import hashlib
from dataclasses import dataclass
from typing import Any

from cryptography.fernet import Fernet, InvalidToken
from pydantic import SecretStr, ValidationError
from sqlmodel import Session, select
from starlette.requests import Request

from service.audit import record
from service.config import Settings
from service.context import db
from service.errors import ValidationFailed
from service.models import StoredSetting, utcnow


@dataclass(frozen=True)
class Editable:
    key: str  # dotted path in Settings ("email.smtp_host")
    label: str
    secret: bool = False
    kind: str = "text"  # text | number | checkbox | email


EDITABLE = (
    Editable("email.smtp_host", "SMTP-Server"),
    Editable("email.smtp_port", "SMTP-Port", kind="number"),
    Editable("email.smtp_username", "SMTP-Benutzer"),
    Editable("email.smtp_password", "SMTP-Passwort", secret=True),
    Editable("email.smtp_starttls", "STARTTLS verwenden", kind="checkbox"),
    Editable("email.from_address", "Absenderadresse", kind="email"),
    Editable("slack_bot_token", "Slack Bot-Token", secret=True),
    Editable("slack_signing_secret", "Slack Signing Secret", secret=True),
    Editable("slack_advisors_channel", "Slack-Kanal der Beratung (Kanal-ID)"),
    Editable("questions.sla_working_days", "Servicelevel (Arbeitstage)", kind="number"),
    Editable("questions.public_url", "Öffentliche Adresse von INGE"),
)
BY_KEY = {e.key: e for e in EDITABLE}


def current(request: Request) -> Settings:
    """The effective settings for a request (environment + web UI)."""
    return effective(db(request), request.app.state.settings)


def fernet(settings: Settings) -> Fernet:
    digest = hashlib.sha256(b"inge-settings:" + settings.resolved_secret_key().encode()).digest()
    return Fernet(base64.urlsafe_b64encode(digest))


def stored(session: Session) -> dict[str, StoredSetting]:
    return {row.key: row for row in session.exec(select(StoredSetting)).all()}


def effective(session: Session, settings: Settings) -> Settings:
    """`settings` with the values saved in the web UI laid over it (a copy)."""
    rows = stored(session)
    if not rows:
        return settings
    data = settings.model_dump()
    box = fernet(settings)
    for key, row in rows.items():
        if key not in BY_KEY:
            continue
        value: Any = row.value
        if row.secret:
            try:
                value = box.decrypt(row.value.encode()).decode()
            except InvalidToken:  # the secret key changed: the stored secret is lost
                continue
        _set(data, key, value)
    return Settings.model_validate(data)


def _set(data: dict[str, Any], key: str, value: Any) -> None:
    *path, last = key.split(".")
    for part in path:
        data = data.setdefault(part, {})
    data[last] = value


def save(
    session: Session, settings: Settings, values: dict[str, str], *, actor_id: int
) -> list[str]:
    """Store the submitted values; an empty secret field keeps the stored secret. Returns the
    keys that changed (audited without their values)."""
    rows = stored(session)
    changed = []
    for item in EDITABLE:
        raw = values.get(item.key)
        if raw is None or (item.secret and raw == ""):
            continue
        if item.kind == "checkbox":
            raw = "true" if raw in ("1", "on", "true") else "false"
        _check(settings, item, raw)
        value = fernet(settings).encrypt(raw.encode()).decode() if item.secret else raw
        row = rows.get(item.key) or StoredSetting(key=item.key, value="", secret=item.secret)
        if not item.secret and row.value == value:
            continue
        row.value, row.updated_by_id, row.updated_at = value, actor_id, utcnow()
        session.add(row)
        changed.append(item.key)
    if changed:
        record(
            session,
            actor_id=actor_id,
            action="settings.update",
            object_type="settings",
            details={"keys": changed},
        )
    return changed


def _check(settings: Settings, item: Editable, raw: str) -> None:
    data = settings.model_dump()
    _set(data, item.key, raw)
    try:
        Settings.model_validate(data)
    except ValidationError:
        raise ValidationFailed(f"Ungültiger Wert für „{item.label}“.", code=item.key) from None


def is_set(settings: Settings, key: str) -> bool:
    value: Any = settings
    for part in key.split("."):
        value = getattr(value, part)
    return bool(value.get_secret_value() if isinstance(value, SecretStr) else value)


def display(settings: Settings, key: str) -> str:
    value: Any = settings
    for part in key.split("."):
        value = getattr(value, part)
    return "" if value is None or isinstance(value, SecretStr) else str(value)
