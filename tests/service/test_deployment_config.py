"""The deployment files name only settings that exist (pydantic-settings would silently
ignore a misspelt INGE_ variable, and the mail of a compose deployment would never leave)."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

from service.config import Settings

ROOT = Path(__file__).resolve().parents[2]


def known(name: str) -> bool:
    model: type = Settings
    parts = name.removeprefix("INGE_").lower().split("__")
    for part in parts[:-1]:
        field = model.model_fields.get(part)
        if field is None or field.annotation is None:
            return False
        model = field.annotation
    return parts[-1] in model.model_fields


def test_every_inge_variable_in_compose_is_a_setting():
    compose = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    names = set(compose["x-inge-env"])
    for service in compose["services"].values():
        env = service.get("environment") or {}
        names |= set(env) if isinstance(env, dict) else set()
    assert {"INGE_EMAIL__SMTP_HOST", "INGE_DATABASE_URL"} <= names
    unknown = sorted(n for n in names if n.startswith("INGE_") and not known(n))
    assert not unknown, f"unbekannte Einstellungen in compose.yaml: {unknown}"


def test_every_inge_variable_in_the_readme_is_a_setting():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    names = set(re.findall(r"`(INGE_[A-Z_]+)`", readme))
    assert "INGE_LOG_LEVEL" in names
    unknown = sorted(n for n in names if not known(n))
    assert not unknown, f"unbekannte Einstellungen im README: {unknown}"


def test_the_check_itself_rejects_a_misspelt_name():
    assert known("INGE_EMAIL__SMTP_HOST") and not known("INGE_SMTP__HOST")
