"""Goal set API: /api/v1/insek/{document_id}/goalset (GET, PUT), .../adopt, .../mindeststandard."""

from __future__ import annotations

from dataclasses import asdict

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from checks.mindeststandard import report
from service.context import db, require_principal
from service.errors import NotFound
from service.insek.replace import replace_tree
from service.insek.routes import ADOPT_ROLES, EDIT_ROLES, require_role
from service.insek.schemas import AdoptIn, GoalSetIn, GoalSetOut
from service.insek.service import (
    adopt,
    build_tree,
    goal_set_for_document,
    items_of,
    mindeststandard_input,
)
from service.models import Document, DocumentKind, GoalSet, Municipality
from service.tenancy import Principal, get_scoped
from service.web import check_csrf_header, read_json


def _load(request: Request) -> tuple[Principal, GoalSet]:
    principal = require_principal(request)
    document = get_scoped(db(request), Document, request.path_params["document_id"], principal)
    if document.kind != DocumentKind.INSEK:
        raise NotFound("Dieses Dokument ist kein INSEK.")
    goal_set = goal_set_for_document(db(request), document)
    if goal_set is None:
        raise NotFound(
            "Für dieses Dokument gibt es noch kein Zielsystem (Extraktion läuft oder "
            "ist fehlgeschlagen)."
        )
    return principal, goal_set


def _out(request: Request, goal_set: GoalSet) -> JSONResponse:
    municipality = db(request).get(Municipality, goal_set.municipality_id)
    assert municipality is not None
    roots = build_tree(items_of(db(request), goal_set))
    return JSONResponse(GoalSetOut.build(goal_set, municipality.ags, roots).model_dump(mode="json"))


async def get_goal_set(request: Request) -> Response:
    _, goal_set = _load(request)
    return _out(request, goal_set)


async def put_goal_set(request: Request) -> Response:
    principal, goal_set = _load(request)
    require_role(principal, goal_set, EDIT_ROLES)
    check_csrf_header(request)
    body = await read_json(request, GoalSetIn)
    replace_tree(db(request), goal_set, body, principal=principal)
    return _out(request, goal_set)


async def adopt_goal_set(request: Request) -> Response:
    principal, goal_set = _load(request)
    require_role(principal, goal_set, ADOPT_ROLES)
    check_csrf_header(request)
    body = await read_json(request, AdoptIn)
    adopt(
        db(request),
        goal_set,
        decision_date=body.council_decision_date,
        decision_ref=body.council_decision_ref,
        principal=principal,
    )
    return _out(request, goal_set)


async def get_mindeststandard(request: Request) -> Response:
    _, goal_set = _load(request)
    result = report(mindeststandard_input(goal_set, items_of(db(request), goal_set)))
    return JSONResponse(
        {
            "goal_set_id": goal_set.id,
            "counts": result.counts,
            "findings": [asdict(f) for f in result.findings],
            "unmeasurable_goals": [
                {"text": g.text, "page": g.page} for g in result.unmeasurable_goals
            ],
        }
    )


api_routes = [
    Route("/insek/{document_id:int}/goalset", get_goal_set, methods=["GET"], name="api_goalset"),
    Route(
        "/insek/{document_id:int}/goalset", put_goal_set, methods=["PUT"], name="api_goalset_put"
    ),
    Route(
        "/insek/{document_id:int}/goalset/adopt",
        adopt_goal_set,
        methods=["POST"],
        name="api_goalset_adopt",
    ),
    Route(
        "/insek/{document_id:int}/mindeststandard",
        get_mindeststandard,
        methods=["GET"],
        name="api_mindeststandard",
    ),
]
