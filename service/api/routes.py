"""The JSON API under /api/v1."""

from __future__ import annotations

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from service.api.openapi import openapi_document
from service.documents import routes as documents
from service.insek import api as insek
from service.municipalities import routes as municipalities
from service.questions import api as questions
from service.resolutions import routes as resolutions


async def openapi_json(request: Request) -> Response:
    return JSONResponse(openapi_document())


routes: list[BaseRoute] = [
    Route("/openapi.json", openapi_json, methods=["GET"], name="openapi"),
    *documents.api_routes,
    *municipalities.api_routes,
    *insek.api_routes,
    *resolutions.api_routes,
    *questions.api_routes,
]
