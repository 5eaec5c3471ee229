"""Beschlusskontrolle of a municipality (its roles and FS INGE) and the state-wide overview
(FS INGE), each with a CSV export."""

from __future__ import annotations

import csv
import io
from datetime import date

from markupsafe import Markup
from sqlmodel import select
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from service.context import db, require_principal
from service.errors import Forbidden, NotFound, ValidationFailed
from service.models import (
    GoalItem,
    Municipality,
    Role,
)
from service.monitoring import charts
from service.monitoring.service import (
    INSEK_MAX_YEARS,
    overview,
    set_measure_status,
)
from service.monitoring.state import state_rows
from service.tenancy import Principal, visible_municipality
from service.web import form_str, read_form, render, see_other


def _municipality(request: Request) -> tuple[Principal, Municipality]:
    principal = require_principal(request)
    municipality_id = request.path_params["municipality_id"]
    return principal, visible_municipality(db(request), principal, municipality_id)


def _period(request: Request) -> tuple[date | None, date | None]:
    try:
        since = request.query_params.get("von")
        until = request.query_params.get("bis")
        return (
            date.fromisoformat(since) if since else None,
            date.fromisoformat(until) if until else None,
        )
    except ValueError:
        raise ValidationFailed("Zeitraum bitte als JJJJ-MM-TT angeben.") from None


async def control_page(request: Request) -> Response:
    _, municipality = _municipality(request)
    assert municipality.id is not None
    since, until = _period(request)
    data = overview(db(request), municipality.id, since=since, until=until, today=date.today())
    totals = sorted(((f, sum(c.values())) for f, c in data.per_field.items()), key=lambda x: -x[1])
    return render(
        request,
        "monitoring/control.html",
        {
            "m": municipality,
            "o": data,
            "since": since,
            "until": until,
            "totals": totals,
            "chart": Markup(charts.bar_chart("hf", "Beschlüsse je Handlungsfeld", totals)),  # noqa: S704 - built from escaped parts
            "goal_chart": Markup(  # noqa: S704 - built from escaped parts
                charts.bar_chart(
                    "ziele", "Beschlüsse je Ziel", [(g.text, n) for g, n, _ in data.goals]
                )
            ),
            "max_years": INSEK_MAX_YEARS,
        },
    )


async def control_csv(request: Request) -> Response:
    _, municipality = _municipality(request)
    assert municipality.id is not None
    since, until = _period(request)
    data = overview(db(request), municipality.id, since=since, until=until, today=date.today())
    titles = {i.id: i.text for i in data.items}
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(
        ["Datum", "Vorlage", "Nummer", "Handlungsfeld", "Zielkonflikt", "dient", "hemmt"]
    )
    for r in data.resolutions:
        writer.writerow(
            [
                r.day.isoformat(),
                r.title,
                r.reference or "",
                r.handlungsfeld or "",
                "ja" if r.conflict else "nein",
                " | ".join(titles.get(i, str(i)) for i in sorted(r.serves)),
                " | ".join(titles.get(i, str(i)) for i in sorted(r.hinders)),
            ]
        )
    return _csv(out.getvalue(), f"beschlusskontrolle-{municipality.ags}.csv")


def _csv(text: str, name: str) -> Response:
    return Response(
        "\ufeff" + text,  # BOM: spreadsheet programs then read UTF-8
        media_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


async def measure_submit(request: Request) -> Response:
    principal, municipality = _municipality(request)
    assert municipality.id is not None
    if principal.role_in(municipality.id) not in (
        Role.CLERK,
        Role.MUNICIPAL_ADMIN,
        Role.ADVISOR,
        Role.ADMIN,
    ):
        raise Forbidden()
    form = await read_form(request)
    item = db(request).get(GoalItem, request.path_params["item_id"])
    if item is None or item.municipality_id != municipality.id:
        raise NotFound()
    try:
        set_measure_status(db(request), item, form_str(form, "status"), actor_id=principal.user_id)
    except ValueError:
        raise ValidationFailed("Status: offen, in Umsetzung, umgesetzt oder automatisch.") from None
    return see_other(f"/kommunen/{municipality.id}/beschlusskontrolle#massnahmen")


def _staff(request: Request) -> Principal:
    principal = require_principal(request)
    if not principal.sees_all_municipalities:
        raise Forbidden("Die Landesübersicht ist für die FS INGE.")
    return principal


async def state_page(request: Request) -> Response:
    _staff(request)
    landkreis = request.query_params.get("landkreis") or None
    rows = state_rows(db(request), landkreis, date.today())
    kreise = sorted({k for k in db(request).exec(select(Municipality.landkreis)).all() if k})
    return render(
        request,
        "monitoring/state.html",
        {"rows": rows, "landkreis": landkreis, "kreise": kreise, "max_years": INSEK_MAX_YEARS},
    )


async def state_csv(request: Request) -> Response:
    _staff(request)
    rows = state_rows(db(request), request.query_params.get("landkreis") or None, date.today())
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow(
        ["AGS", "Kommune", "Landkreis", "INSEK beschlossen", "Alter (Jahre)", "Prüfungen 12 Monate",
         "offene Fragen", "überfällig", "häufigste Konflikte", "Prüfungen je Monat"]
    )  # fmt: skip
    for r in rows:
        m = r["m"]
        assert isinstance(m, Municipality)
        writer.writerow(
            [m.ags, m.name, m.landkreis or "", r["adopted"] or "", r["age"] or "", r["checks"],
             r["open"], r["overdue"], r["conflict_field"] or "",
             " ".join(f"{k}:{v}" for k, v in r["per_month"])]
        )  # fmt: skip
    return _csv(out.getvalue(), "inge-landesuebersicht.csv")


_M = "/kommunen/{municipality_id:int}"
routes = [
    Route(_M + "/beschlusskontrolle", control_page, methods=["GET"], name="control"),
    Route(_M + "/beschlusskontrolle.csv", control_csv, methods=["GET"], name="control_csv"),
    Route(
        _M + "/massnahmen/{item_id:int}",
        measure_submit,
        methods=["POST"],
        name="measure_status",
    ),
    Route("/land", state_page, methods=["GET"], name="state"),
    Route("/land.csv", state_csv, methods=["GET"], name="state_csv"),
]
