"""The overview page and the municipality API."""

from __future__ import annotations

from pydantic import BaseModel
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from service.context import db, require_principal
from service.documents.service import list_documents
from service.models import Municipality
from service.municipalities.service import document_counts
from service.tenancy import visible_municipalities
from service.web import render


class MunicipalityOut(BaseModel):
    ags: str
    name: str
    kind: str
    landkreis: str | None
    role: str

    @classmethod
    def build(cls, municipality: Municipality, role: str) -> MunicipalityOut:
        return cls(
            ags=municipality.ags,
            name=municipality.name,
            kind=municipality.kind,
            landkreis=municipality.landkreis,
            role=role,
        )


class MeOut(BaseModel):
    email: str
    display_name: str
    staff_role: str | None
    municipalities: list[MunicipalityOut]


async def overview_page(request: Request) -> Response:
    principal = require_principal(request)
    municipalities = visible_municipalities(db(request), principal)
    recent, _ = list_documents(db(request), principal, limit=10)
    names = {m.id: m.name for m in municipalities}
    return render(
        request,
        "overview.html",
        {
            "municipalities": municipalities,
            "counts": document_counts(db(request), principal),
            "recent": recent,
            "names": names,
        },
    )


def _visible_out(request: Request) -> list[MunicipalityOut]:
    principal = require_principal(request)
    out = []
    for municipality in visible_municipalities(db(request), principal):
        assert municipality.id is not None
        role = principal.role_in(municipality.id)
        out.append(MunicipalityOut.build(municipality, role.value if role else ""))
    return out


async def api_municipalities(request: Request) -> Response:
    items = _visible_out(request)
    return JSONResponse({"items": [m.model_dump() for m in items], "total": len(items)})


async def api_me(request: Request) -> Response:
    principal = require_principal(request)
    me = MeOut(
        email=principal.email,
        display_name=principal.display_name,
        staff_role=principal.staff_role.value if principal.staff_role else None,
        municipalities=_visible_out(request),
    )
    return JSONResponse(me.model_dump())


page_routes = [Route("/", overview_page, methods=["GET"], name="overview")]
api_routes = [
    Route("/municipalities", api_municipalities, methods=["GET"], name="api_municipalities"),
    Route("/me", api_me, methods=["GET"], name="api_me"),
]
