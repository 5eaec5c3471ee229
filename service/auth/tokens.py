"""Random secrets handed out once (session cookies, API tokens); we keep only their SHA-256."""

from __future__ import annotations

import hashlib
import hmac
import secrets

API_TOKEN_PREFIX = "inge_"  # noqa: S105 - a public prefix, not a secret


def new_secret() -> str:
    return secrets.token_urlsafe(32)


def new_api_token() -> str:
    return API_TOKEN_PREFIX + secrets.token_urlsafe(32)


def sha256_hex(value: str) -> str:
    return hashlib.sha256(value.encode("utf-8")).hexdigest()


def csrf_token(secret_key: str, session_key: str) -> str:
    """The CSRF token bound to one browser session (login session or anonymous cookie)."""
    mac = hmac.new(secret_key.encode(), f"csrf|{session_key}".encode(), hashlib.sha256)
    return mac.hexdigest()


def csrf_valid(secret_key: str, session_key: str, candidate: str | None) -> bool:
    if not candidate or not session_key:
        return False
    return hmac.compare_digest(csrf_token(secret_key, session_key), candidate)
