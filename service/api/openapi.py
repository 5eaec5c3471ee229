"""The OpenAPI 3.1 document of ``/api/v1``, built from the pydantic models the endpoints use.

A test checks that every API route is described here and every described path is routed.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from service import __version__
from service.documents.schemas import DocumentOut, DocumentPageOut
from service.insek.schemas import AdoptIn, GoalSetIn, GoalSetOut
from service.municipalities.routes import MeOut, MunicipalityOut
from service.resolutions.schemas import CheckRunOut, CheckStartIn, ConfirmIn


class ErrorDetail(BaseModel):
    code: str
    message: str


class ErrorOut(BaseModel):
    error: ErrorDetail


class MunicipalityListOut(BaseModel):
    items: list[MunicipalityOut]
    total: int


class PassageOut(BaseModel):
    page: int | None
    start: int
    end: int
    text: str


class FindingOut(BaseModel):
    id: str
    title: str
    status: str
    explanation: str
    passages: list[PassageOut]


class UnmeasurableGoalOut(BaseModel):
    text: str
    page: int | None


class MindeststandardOut(BaseModel):
    goal_set_id: int
    counts: dict[str, int]
    findings: list[FindingOut]
    unmeasurable_goals: list[UnmeasurableGoalOut]


MODELS: list[type[BaseModel]] = [
    DocumentOut,
    DocumentPageOut,
    MunicipalityOut,
    MunicipalityListOut,
    MeOut,
    ErrorOut,
    GoalSetOut,
    GoalSetIn,
    AdoptIn,
    MindeststandardOut,
    CheckRunOut,
    CheckStartIn,
    ConfirmIn,
]

RUN_ID = [
    {"name": "run_id", "in": "path", "required": True, "schema": {"type": "integer", "minimum": 1}}
]
CHECK_ID = [
    {
        "name": "check_id",
        "in": "path",
        "required": True,
        "schema": {"type": "string", "pattern": "^INSEK-[0-9]{2}$"},
    }
]
PDF_RESPONSE = {
    "description": "Prüfbericht als PDF",
    "content": {"application/pdf": {"schema": {"type": "string", "format": "binary"}}},
}


def _ref(model: type[BaseModel]) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _json(model: type[BaseModel], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref(model)}}}


def _body(model: type[BaseModel]) -> dict[str, Any]:
    return {"required": True, "content": {"application/json": {"schema": _ref(model)}}}


def _errors(*codes: int) -> dict[str, Any]:
    text = {
        401: "Nicht angemeldet",
        403: "Keine Berechtigung / CSRF",
        404: "Nicht gefunden",
        409: "Im aktuellen Zustand nicht möglich",
        413: "Datei zu groß",
        415: "Dateityp nicht unterstützt",
        422: "Ungültige Eingabe",
    }
    return {str(c): _json(ErrorOut, text[c]) for c in codes}


PAGING = [
    {
        "name": "limit",
        "in": "query",
        "schema": {"type": "integer", "minimum": 1, "maximum": 200, "default": 50},
    },
    {"name": "offset", "in": "query", "schema": {"type": "integer", "minimum": 0, "default": 0}},
    {
        "name": "municipality",
        "in": "query",
        "description": "AGS (8 Ziffern) zum Filtern",
        "schema": {"type": "string", "pattern": "^[0-9]{8}$"},
    },
]
DOC_ID = [
    {
        "name": "document_id",
        "in": "path",
        "required": True,
        "schema": {"type": "integer", "minimum": 1},
    }
]

UPLOAD_BODY = {
    "required": True,
    "content": {
        "multipart/form-data": {
            "schema": {
                "type": "object",
                "required": ["file", "kind"],
                "properties": {
                    "file": {"type": "string", "format": "binary"},
                    "kind": {"type": "string", "enum": ["insek", "beschlussvorlage", "other"]},
                    "municipality": {
                        "type": "string",
                        "pattern": "^[0-9]{8}$",
                        "description": "AGS; nötig, wenn der Zugang mehrere Kommunen umfasst",
                    },
                },
            }
        }
    },
}

PATHS: dict[str, dict[str, Any]] = {
    "/documents": {
        "post": {
            "summary": "Dokument hochladen",
            "operationId": "createDocument",
            "requestBody": UPLOAD_BODY,
            "responses": {
                "201": _json(DocumentOut, "Angelegt"),
                **_errors(401, 403, 404, 413, 415, 422),
            },
        },
        "get": {
            "summary": "Dokumente auflisten",
            "operationId": "listDocuments",
            "parameters": PAGING,
            "responses": {
                "200": _json(DocumentPageOut, "Eine Seite Dokumente"),
                **_errors(401, 404, 422),
            },
        },
    },
    "/documents/{document_id}": {
        "get": {
            "summary": "Ein Dokument",
            "operationId": "getDocument",
            "parameters": DOC_ID,
            "responses": {"200": _json(DocumentOut, "Das Dokument"), **_errors(401, 404)},
        },
    },
    "/insek/{document_id}/goalset": {
        "get": {
            "summary": "Zielsystem eines INSEK (neueste Fassung)",
            "operationId": "getGoalSet",
            "parameters": DOC_ID,
            "responses": {"200": _json(GoalSetOut, "Zielsystem"), **_errors(401, 404)},
        },
        "put": {
            "summary": "Zielsystem (Entwurf) als Ganzes ersetzen",
            "operationId": "putGoalSet",
            "parameters": DOC_ID,
            "requestBody": _body(GoalSetIn),
            "responses": {
                "200": _json(GoalSetOut, "Geändertes Zielsystem"),
                **_errors(401, 403, 404, 409, 422),
            },
        },
    },
    "/insek/{document_id}/goalset/adopt": {
        "post": {
            "summary": "Zielsystem beschließen",
            "operationId": "adoptGoalSet",
            "parameters": DOC_ID,
            "requestBody": _body(AdoptIn),
            "responses": {
                "200": _json(GoalSetOut, "Beschlossenes Zielsystem"),
                **_errors(401, 403, 404, 409, 422),
            },
        },
    },
    "/insek/{document_id}/mindeststandard": {
        "get": {
            "summary": "Mindeststandard-Prüfung",
            "operationId": "getMindeststandard",
            "parameters": DOC_ID,
            "responses": {"200": _json(MindeststandardOut, "Prüfbericht"), **_errors(401, 404)},
        },
    },
    "/checks": {
        "post": {
            "summary": "Vorlage gegen das beschlossene INSEK prüfen",
            "operationId": "startCheck",
            "requestBody": _body(CheckStartIn),
            "responses": {
                "201": _json(CheckRunOut, "Prüfung angelegt (läuft im Hintergrund)"),
                **_errors(401, 403, 404, 409, 422),
            },
        },
    },
    "/checks/{run_id}": {
        "get": {
            "summary": "Eine Prüfung mit Checkliste",
            "operationId": "getCheck",
            "parameters": RUN_ID,
            "responses": {"200": _json(CheckRunOut, "Prüfung"), **_errors(401, 404)},
        },
    },
    "/checks/{run_id}/items/{check_id}": {
        "patch": {
            "summary": "Prüfpunkt bestätigen oder ändern (mit Begründung)",
            "operationId": "confirmCheckItem",
            "parameters": RUN_ID + CHECK_ID,
            "requestBody": _body(ConfirmIn),
            "responses": {"200": _json(CheckRunOut, "Prüfung"), **_errors(401, 403, 404, 409, 422)},
        },
    },
    "/checks/{run_id}/finalize": {
        "post": {
            "summary": "Prüfung abschließen",
            "operationId": "finalizeCheck",
            "parameters": RUN_ID,
            "responses": {
                "200": _json(CheckRunOut, "Abgeschlossene Prüfung"),
                **_errors(401, 403, 404, 409, 422),
            },
        },
    },
    "/checks/{run_id}/report.pdf": {
        "get": {
            "summary": "Prüfbericht als PDF",
            "operationId": "checkReport",
            "parameters": RUN_ID,
            "responses": {"200": PDF_RESPONSE, **_errors(401, 404, 409)},
        },
    },
    "/municipalities": {
        "get": {
            "summary": "Sichtbare Kommunen",
            "operationId": "listMunicipalities",
            "responses": {"200": _json(MunicipalityListOut, "Kommunen"), **_errors(401)},
        },
    },
    "/me": {
        "get": {
            "summary": "Angemeldete Person",
            "operationId": "me",
            "responses": {"200": _json(MeOut, "Person mit Rollen"), **_errors(401)},
        },
    },
}


def openapi_document() -> dict[str, Any]:
    """The whole OpenAPI document; every operation needs a bearer token or a session cookie."""
    schemas: dict[str, Any] = {}
    for model in MODELS:
        schema = model.model_json_schema(ref_template="#/components/schemas/{model}")
        schemas.update(schema.pop("$defs", {}))
        schemas[model.__name__] = schema
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "INGE API",
            "version": __version__,
            "description": "INSEK-Prüfung und Beratung für sächsische Kommunen",
        },
        "servers": [{"url": "/api/v1"}],
        "security": [{"bearerAuth": []}, {"sessionCookie": []}],
        "paths": PATHS,
        "components": {
            "schemas": schemas,
            "securitySchemes": {
                "bearerAuth": {"type": "http", "scheme": "bearer"},
                "sessionCookie": {"type": "apiKey", "in": "cookie", "name": "inge_session"},
            },
        },
    }
