"""The `inge` command against a real database."""

from __future__ import annotations

import logging

import pytest
from click.testing import CliRunner
from sqlmodel import select

from service.bootstrap import ensure_admin
from service.cli import main
from service.models import ApiToken, Membership, Municipality, User


def invoke(*args, input=None):
    return CliRunner().invoke(main, list(args), input=input)


def test_municipality_user_and_token(cli_env, session):
    r = invoke("municipality", "create", "--ags", "14612000", "--name", "Dresden")
    assert r.exit_code == 0, r.output
    assert "Dresden (14612000) angelegt" in r.output
    r = invoke(
        "user",
        "create",
        "--email",
        "SB@Dresden.example",
        "--password-stdin",
        "--role",
        "clerk",
        "--municipality",
        "14612000",
        input="ein-langes-passwort\n",
    )
    assert r.exit_code == 0, r.output
    user = session.exec(select(User).where(User.email == "sb@dresden.example")).one()
    membership = session.exec(select(Membership).where(Membership.user_id == user.id)).one()
    assert membership.role == "clerk"
    r = invoke("token", "create", "--email", "sb@dresden.example")
    assert r.exit_code == 0
    token = r.output.strip()
    assert token.startswith("inge_")
    stored = session.exec(select(ApiToken)).one()
    assert stored.token_hash != token and token not in stored.token_hash


@pytest.mark.parametrize("ags", ["1461200", "146120001", "1461200A", "99612000"])
def test_invalid_ags_is_refused_in_german(cli_env, session, ags):
    r = invoke("municipality", "create", "--ags", ags, "--name", "X")
    assert r.exit_code == 2
    assert "AGS" in r.output
    assert session.exec(select(Municipality)).all() == []


def test_duplicate_ags_and_short_password_are_refused(cli_env):
    assert invoke("municipality", "create", "--ags", "14612000", "--name", "A").exit_code == 0
    r = invoke("municipality", "create", "--ags", "14612000", "--name", "B")
    assert r.exit_code == 2 and "gibt es bereits" in r.output
    r = invoke(
        "user",
        "create",
        "--email",
        "a@b.example",
        "--password-stdin",
        "--role",
        "clerk",
        "--municipality",
        "14612000",
        input="kurz\n",
    )
    assert r.exit_code == 2 and "mindestens" in r.output


def test_clerk_needs_a_municipality_and_advisor_none(cli_env):
    invoke("municipality", "create", "--ags", "14612000", "--name", "A")
    r = invoke(
        "user",
        "create",
        "--email",
        "a@b.example",
        "--password-stdin",
        "--role",
        "clerk",
        input="ein-langes-passwort\n",
    )
    assert r.exit_code == 2 and "Kommune" in r.output
    r = invoke(
        "user",
        "create",
        "--email",
        "b@b.example",
        "--password-stdin",
        "--role",
        "advisor",
        "--municipality",
        "14612000",
        input="ein-langes-passwort\n",
    )
    assert r.exit_code == 2


def test_first_start_creates_the_admin_once(settings, session):
    settings.admin_email = "Admin@Example.org"
    settings.admin_password = "ein-admin-passwort"  # type: ignore[assignment]
    assert ensure_admin(settings) is True
    assert ensure_admin(settings) is False
    admin = session.exec(select(User).where(User.email == "admin@example.org")).one()
    assert admin.staff_role == "admin"


def test_secrets_never_appear_in_settings_repr_or_logs(settings, caplog):
    settings.admin_password = "ein-admin-passwort"  # type: ignore[assignment]
    settings.admin_email = "admin@example.org"
    with caplog.at_level(logging.DEBUG):
        ensure_admin(settings)
        logging.getLogger("test").info("settings: %r", settings)
    text = repr(settings) + caplog.text
    assert "ein-admin-passwort" not in text
    assert "test-secret-key-not-for-production" not in text


def test_secret_key_is_generated_once_and_kept(settings):
    settings.secret_key = None
    first = settings.resolved_secret_key()
    assert len(first) > 40
    assert settings.resolved_secret_key() == first
    assert (settings.data_dir / "secret_key").stat().st_mode & 0o077 == 0
