"""Settings pages: the installation (admins of FS INGE) and each municipality's report
recipients (its municipal admins)."""

from __future__ import annotations

from email.utils import parseaddr

from sqlmodel import col, select
from starlette.datastructures import FormData
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from service.audit import record
from service.context import db, require_principal
from service.errors import Forbidden, NotFound, ValidationFailed
from service.jobs import enqueue_job
from service.models import (
    Municipality,
    OParlSource,
    OutboxMessage,
    OutboxStatus,
    Role,
    SlackInstallation,
    utcnow,
)
from service.municipalities.privacy import delete_municipality, export_zip
from service.outbox.service import SEND_JOB
from service.settings_store import EDITABLE, current, display, is_set, save
from service.tenancy import Principal, visible_municipalities, visible_municipality
from service.web import form_str, read_form, render, see_other

MAX_RECIPIENTS = 20


def _admin(request: Request) -> Principal:
    principal = require_principal(request)
    if not principal.is_admin:
        raise Forbidden("Die Einstellungen der Installation ändern nur Administratoren.")
    return principal


async def settings_page(request: Request) -> Response:
    _admin(request)
    settings = current(request)
    session = db(request)
    fields = [
        {
            "item": item,
            "value": display(settings, item.key),
            "is_set": is_set(settings, item.key),
        }
        for item in EDITABLE
    ]
    installs = session.exec(select(SlackInstallation).order_by(col(SlackInstallation.id))).all()
    names = {m.id: m.name for m in visible_municipalities(session, require_principal(request))}
    return render(
        request,
        "admin/settings.html",
        {
            "fields": fields,
            "installs": installs,
            "names": names,
            "saved": "gespeichert" in request.query_params,
        },
    )


async def settings_submit(request: Request) -> Response:
    principal = _admin(request)
    form = await read_form(request)
    values = {item.key: form_str(form, item.key) for item in EDITABLE if item.kind != "checkbox"}
    for item in EDITABLE:
        if item.kind == "checkbox":
            values[item.key] = "1" if form_str(form, item.key) else "0"
    save(db(request), current(request), values, actor_id=principal.user_id)
    return see_other("/einstellungen?gespeichert=1")


async def slack_install_submit(request: Request) -> Response:
    principal = _admin(request)
    form = await read_form(request)
    team = form_str(form, "team_id").strip()
    if not team or len(team) > 50:
        raise ValidationFailed("Bitte die Slack-Team-ID angeben.", code="team_id")
    ags = form_str(form, "municipality").strip()
    municipality = None
    if ags:
        municipality = db(request).exec(select(Municipality).where(Municipality.ags == ags)).first()
        if municipality is None:
            raise ValidationFailed("Keine Kommune mit diesem AGS.", code="municipality")
    exists = db(request).exec(select(SlackInstallation).where(SlackInstallation.team_id == team))
    if exists.first() is not None:
        raise ValidationFailed("Dieser Slack-Arbeitsbereich ist schon eingetragen.")
    db(request).add(
        SlackInstallation(
            team_id=team,
            name=form_str(form, "name")[:200],
            municipality_id=municipality.id if municipality else None,
        )
    )
    record(
        db(request),
        actor_id=principal.user_id,
        action="slack.install",
        object_type="slack_installation",
        details={"team_id": team, "municipality": ags or None},
    )
    return see_other("/einstellungen")


async def slack_remove_submit(request: Request) -> Response:
    _admin(request)
    await read_form(request)
    install = db(request).get(SlackInstallation, request.path_params["installation_id"])
    if install is None:
        raise NotFound()
    db(request).delete(install)
    return see_other("/einstellungen")


def _municipality(request: Request) -> tuple[Principal, Municipality]:
    principal = require_principal(request)
    municipality_id = request.path_params["municipality_id"]
    return principal, visible_municipality(db(request), principal, municipality_id)


def _may_edit(principal: Principal, municipality: Municipality) -> None:
    assert municipality.id is not None
    if principal.role_in(municipality.id) not in (Role.MUNICIPAL_ADMIN, Role.ADMIN):
        raise Forbidden("Das dürfen die Administratoren der Kommune.")


async def municipality_page(request: Request) -> Response:
    principal, municipality = _municipality(request)
    _may_edit(principal, municipality)
    source = _source(request, municipality)
    return render(request, "admin/municipality.html", {"m": municipality, "source": source})


def _source(request: Request, municipality: Municipality) -> OParlSource | None:
    query = select(OParlSource).where(OParlSource.municipality_id == municipality.id)
    return db(request).exec(query).first()


async def municipality_submit(request: Request) -> Response:
    principal, municipality = _municipality(request)
    _may_edit(principal, municipality)
    form = await read_form(request)
    recipients = _addresses(form_str(form, "report_recipients"))
    municipality.report_recipients = recipients
    db(request).add(municipality)
    _save_source(request, municipality, form)
    record(
        db(request),
        actor_id=principal.user_id,
        action="municipality.report_recipients",
        object_type="municipality",
        object_id=municipality.id,
        municipality_id=municipality.id,
        details={"count": len(recipients)},
    )
    return see_other(f"/kommunen/{municipality.id}/einstellungen?gespeichert=1")


def _save_source(request: Request, municipality: Municipality, form: FormData) -> None:
    """The OParl body to import from (empty: no import), paper types and interval."""
    assert municipality.id is not None
    url = form_str(form, "oparl_body_url").strip()
    source = _source(request, municipality)
    if not url:
        if source is not None:
            db(request).delete(source)
        return
    if not url.startswith(("http://", "https://")) or len(url) > 1000:
        raise ValidationFailed("Die OParl-Adresse muss mit http(s):// beginnen.", code="oparl")
    types = [t.strip() for t in form_str(form, "oparl_paper_types").split(",") if t.strip()]
    try:
        interval = int(form_str(form, "oparl_interval") or "60")
    except ValueError:
        raise ValidationFailed("Das Intervall ist eine Zahl von Minuten.") from None
    if not 5 <= interval <= 24 * 60:
        raise ValidationFailed("Intervall: 5 bis 1440 Minuten.", code="oparl_interval")
    source = source or OParlSource(municipality_id=municipality.id, body_url=url)
    source.body_url, source.interval_minutes = url, interval
    source.paper_types = types or ["Beschlussvorlage"]
    db(request).add(source)


def _addresses(text: str) -> list[str]:
    found: list[str] = []
    for chunk in text.replace(";", ",").replace("\n", ",").split(","):
        chunk = chunk.strip()
        if not chunk:
            continue
        address = parseaddr(chunk)[1]
        if "@" not in address or " " in address or len(address) > 320:
            raise ValidationFailed(
                f"Keine gültige E-Mail-Adresse: {chunk}", code="report_recipients"
            )
        if address.lower() not in found:
            found.append(address.lower())
    if len(found) > MAX_RECIPIENTS:
        raise ValidationFailed("Höchstens 20 Empfänger.", code="report_recipients")
    return found


async def outbox_page(request: Request) -> Response:
    """The outbox with its dead letters (failed after the last try), newest first."""
    _admin(request)
    status = request.query_params.get("status") or None
    query = select(OutboxMessage)
    if status:
        query = query.where(OutboxMessage.status == status)
    rows = db(request).exec(query.order_by(col(OutboxMessage.id).desc()).limit(200)).all()
    return render(
        request,
        "admin/outbox.html",
        {"rows": rows, "status": status, "statuses": [s.value for s in OutboxStatus]},
    )


async def outbox_retry_submit(request: Request) -> Response:
    principal = _admin(request)
    await read_form(request)
    row = db(request).get(OutboxMessage, request.path_params["message_id"])
    if row is None:
        raise NotFound()
    if row.status != OutboxStatus.FAILED:
        raise ValidationFailed("Nur fehlgeschlagene Nachrichten können erneut gesendet werden.")
    row.status, row.attempts, row.next_attempt_at = OutboxStatus.PENDING.value, 0, utcnow()
    db(request).add(row)
    enqueue_job(db(request), SEND_JOB)
    record(
        db(request),
        actor_id=principal.user_id,
        action="outbox.retry",
        object_type="outbox_message",
        object_id=row.id,
        municipality_id=row.municipality_id,
    )
    return see_other("/einstellungen/ausgang")


async def export_page(request: Request) -> Response:
    """Everything INGE holds for the municipality, as a ZIP (its admins and FS INGE admins)."""
    principal, municipality = _municipality(request)
    _may_edit(principal, municipality)
    data = export_zip(db(request), municipality, current(request))
    record(
        db(request),
        actor_id=principal.user_id,
        action="municipality.export",
        object_type="municipality",
        object_id=municipality.id,
        municipality_id=municipality.id,
    )
    return Response(
        data,
        media_type="application/zip",
        headers={"Content-Disposition": f'attachment; filename="inge-{municipality.ags}.zip"'},
    )


async def delete_submit(request: Request) -> Response:
    """Delete a municipality with everything it owns; the AGS must be typed to confirm."""
    principal = _admin(request)
    municipality = db(request).get(Municipality, request.path_params["municipality_id"])
    if municipality is None:
        raise NotFound()
    form = await read_form(request)
    if form_str(form, "bestaetigung").strip() != municipality.ags:
        raise ValidationFailed("Zum Löschen bitte den AGS der Kommune eintippen.")
    await delete_municipality(
        db(request),
        municipality,
        current(request),
        actor_id=principal.user_id,
        redis=request.app.state.redis,
    )
    return see_other("/")


routes = [
    Route(
        "/kommunen/{municipality_id:int}/export",
        export_page,
        methods=["GET"],
        name="municipality_export",
    ),
    Route(
        "/kommunen/{municipality_id:int}/loeschen",
        delete_submit,
        methods=["POST"],
        name="municipality_delete",
    ),
    Route("/einstellungen/ausgang", outbox_page, methods=["GET"], name="outbox"),
    Route(
        "/einstellungen/ausgang/{message_id:int}/erneut",
        outbox_retry_submit,
        methods=["POST"],
        name="outbox_retry",
    ),
    Route("/einstellungen", settings_page, methods=["GET"], name="settings"),
    Route("/einstellungen", settings_submit, methods=["POST"], name="settings_save"),
    Route("/einstellungen/slack", slack_install_submit, methods=["POST"], name="slack_install"),
    Route(
        "/einstellungen/slack/{installation_id:int}/loeschen",
        slack_remove_submit,
        methods=["POST"],
        name="slack_remove",
    ),
    Route(
        "/kommunen/{municipality_id:int}/einstellungen",
        municipality_page,
        methods=["GET"],
        name="municipality_settings",
    ),
    Route(
        "/kommunen/{municipality_id:int}/einstellungen",
        municipality_submit,
        methods=["POST"],
        name="municipality_settings_save",
    ),
]
