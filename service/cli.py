"""The ``inge`` command."""

from __future__ import annotations

import asyncio
import sys
from contextlib import AbstractContextManager

import click
from sqlmodel import Session

from service import logs
from service.config import Settings, get_settings
from service.db import short_session
from service.errors import IngeError


def _settings() -> Settings:
    settings = get_settings()
    logs.configure(settings.log_level)
    return settings


def _session() -> AbstractContextManager[Session]:
    return short_session(_settings().resolved_database_url)


def _fail(exc: IngeError) -> None:
    click.echo(f"Fehler: {exc.message}", err=True)
    sys.exit(2)


@click.group()
def main() -> None:
    """INGE – INSEK-Prüfung und Beratung für sächsische Kommunen."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
def serve(host: str, port: int) -> None:
    """Alles in einem: Datenbank, eingebettetes Redis, Worker und Webserver."""
    from service.embedded import serve as run

    sys.exit(run(_settings(), host=host, port=port))


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@click.option("--workers", default=1, show_default=True, type=int)
@click.option("--prepare/--no-prepare", default=True, help="Erst-Admin anlegen (ohne Migration)")
def web(host: str, port: int, workers: int, prepare: bool) -> None:
    """Nur den Webserver starten (Produktion; Migrationen vorher mit `inge db upgrade`)."""
    import uvicorn

    from service.bootstrap import prepare as run_prepare

    settings = _settings()
    if prepare:
        run_prepare(settings, migrate=False)
    uvicorn.run(
        "service.app:create_app",
        factory=True,
        host=host,
        port=port,
        workers=workers,
        proxy_headers=True,
        log_level=settings.log_level.lower(),
        log_config=logs.dict_config(settings.log_level),
        access_log=False,  # ours (service.access) logs the path without the query string
    )


@main.command()
def worker() -> None:
    """Nur den Hintergrund-Worker (arq) starten."""
    from service.worker import build_worker

    settings = _settings()
    asyncio.set_event_loop(asyncio.new_event_loop())
    build_worker(settings).run()


@main.command("mail-receiver")
def mail_receiver() -> None:
    """Den SMTP-Empfänger für Fragen per E-Mail starten (INGE_EMAIL__INBOUND_PORT)."""
    from service.mail.receiver import run_receiver

    settings = _settings()
    if not settings.email.inbound_port:
        raise click.ClickException("INGE_EMAIL__INBOUND_PORT ist nicht gesetzt.")
    run_receiver(settings)


@main.group()
def db() -> None:
    """Datenbank verwalten."""


@db.command("upgrade")
def db_upgrade() -> None:
    """Das Schema auf den neuesten Stand bringen."""
    from service.migrate import upgrade

    settings = _settings()
    settings.data_dir.mkdir(parents=True, exist_ok=True)
    upgrade(settings.resolved_database_url)
    click.echo("Datenbank ist auf dem neuesten Stand.")


@main.group()
def municipality() -> None:
    """Kommunen verwalten."""


@municipality.command("create")
@click.option("--ags", required=True, help="Amtlicher Gemeindeschlüssel, 8 Ziffern")
@click.option("--name", required=True)
@click.option(
    "--kind", default="stadt", type=click.Choice(["stadt", "gemeinde"]), show_default=True
)
@click.option("--landkreis", default=None)
def municipality_create(ags: str, name: str, kind: str, landkreis: str | None) -> None:
    """Eine Kommune anlegen."""
    from service.municipalities.service import create_municipality

    try:
        with _session() as session:
            m = create_municipality(session, ags=ags, name=name, kind=kind, landkreis=landkreis)
            click.echo(f"Kommune {m.name} ({m.ags}) angelegt.")
    except IngeError as exc:
        _fail(exc)


@main.group()
def user() -> None:
    """Zugänge verwalten."""


@user.command("create")
@click.option("--email", required=True)
@click.option(
    "--password-stdin", is_flag=True, required=True, help="Passwort von der Standardeingabe lesen"
)
@click.option(
    "--role", required=True, type=click.Choice(["clerk", "municipal_admin", "advisor", "admin"])
)
@click.option("--municipality", "ags", default=None, help="AGS (für clerk, municipal_admin)")
@click.option("--name", "display_name", default="")
def user_create(
    email: str, password_stdin: bool, role: str, ags: str | None, display_name: str
) -> None:
    """Einen Zugang anlegen; das Passwort kommt über die Standardeingabe."""
    from service.accounts import create_user, parse_role

    password = sys.stdin.readline().rstrip("\r\n")
    try:
        with _session() as session:
            u = create_user(
                session,
                email=email,
                password=password,
                role=parse_role(role),
                municipality_ags=ags,
                display_name=display_name,
            )
            click.echo(f"Zugang {u.email} ({role}) angelegt.")
    except IngeError as exc:
        _fail(exc)


@main.group()
def token() -> None:
    """API-Tokens verwalten."""


@token.command("create")
@click.option("--email", required=True)
@click.option("--name", default="", help="Wofür das Token ist")
def token_create(email: str, name: str) -> None:
    """Ein neues API-Token ausgeben (wird nur dieses eine Mal angezeigt)."""
    from service.accounts import user_by_email
    from service.auth.service import create_api_token

    try:
        with _session() as session:
            click.echo(create_api_token(session, user_by_email(session, email), name=name))
    except IngeError as exc:
        _fail(exc)


def _register() -> None:
    from service.insek.cli import insek
    from service.knowledge.cli import ask, kb
    from service.oparl.cli import oparl
    from service.resolutions.cli import check

    main.add_command(insek)
    main.add_command(check)
    main.add_command(kb)
    main.add_command(ask)
    main.add_command(oparl)


_register()

if __name__ == "__main__":
    main()
