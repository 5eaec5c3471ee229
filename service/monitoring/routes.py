"""Beschlusskontrolle of a municipality (its roles and FS INGE) and the state-wide overview
(FS INGE), each with a CSV export."""

from __future__ import annotations

import csv
import io
from collections import Counter
from datetime import UTC, date, datetime, time, timedelta

from markupsafe import Markup
from sqlmodel import Session, col, select
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from service.context import db, require_principal
from service.errors import Forbidden, NotFound, ValidationFailed
from service.insek.service import current_adopted
from service.models import (
    OPEN_STATUS_VALUES,
    CheckRun,
    GoalItem,
    Municipality,
    Question,
    Role,
)
from service.monitoring import charts
from service.monitoring.service import (
    INSEK_MAX_YEARS,
    insek_age,
    overview,
    resolutions,
    set_measure_status,
)
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


def state_rows(session: Session, landkreis: str | None, today: date) -> list[dict[str, object]]:
    """One row per municipality: INSEK state and age, checks in the last 12 months, open and
    overdue questions, the Handlungsfeld with most conflicts."""
    query = select(Municipality).order_by(col(Municipality.name))
    if landkreis:
        query = query.where(Municipality.landkreis == landkreis)
    year_ago = datetime.combine(today - timedelta(days=365), time.min, tzinfo=UTC)
    rows: list[dict[str, object]] = []
    for m in session.exec(query).all():
        goal_set = current_adopted(session, m.id) if m.id else None
        age = insek_age(goal_set, today)
        created = session.exec(
            select(CheckRun.created_at).where(
                CheckRun.municipality_id == m.id, col(CheckRun.created_at) >= year_ago
            )
        ).all()
        months = Counter(c.strftime("%Y-%m") for c in created)
        questions = session.exec(
            select(Question).where(
                Question.municipality_id == m.id, col(Question.status).in_(OPEN_STATUS_VALUES)
            )
        ).all()
        rows.append(
            {
                "m": m,
                "adopted": goal_set.council_decision_date if goal_set else None,
                "age": round(age, 1) if age is not None else None,
                "old": age is not None and age >= INSEK_MAX_YEARS,
                "checks": len(created),
                "per_month": [(month, months.get(month, 0)) for month in _last_months(today, 6)],
                "open": len(questions),
                "overdue": sum(1 for q in questions if q.due_date < today),
                "conflict_field": _conflict_field(session, m.id),
            }
        )
    return rows


def _last_months(today: date, count: int) -> list[str]:
    year, month = today.year, today.month
    found = []
    for _ in range(count):
        found.append(f"{year}-{month:02d}")
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return list(reversed(found))


def _conflict_field(session: Session, municipality_id: int | None) -> str | None:
    if municipality_id is None:
        return None
    counts: dict[str, int] = {}
    for r in resolutions(session, municipality_id):
        if r.conflict and r.handlungsfeld:
            counts[r.handlungsfeld] = counts.get(r.handlungsfeld, 0) + 1
    return max(counts, key=lambda k: counts[k]) if counts else None


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
             " ".join(f"{k}:{v}" for k, v in r["per_month"])]  # type: ignore[attr-defined]
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
