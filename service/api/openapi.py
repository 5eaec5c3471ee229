"""The OpenAPI 3.1 document of ``/api/v1``, built from the pydantic models the endpoints use.

A test checks that every API route is described here and every described path is routed.
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel

from service import __version__
from service.db import MAX_ID
from service.documents.schemas import DocumentOut, DocumentPageOut
from service.documents.service import DOWNLOAD_TYPES
from service.insek.schemas import AdoptIn, GoalSetIn, GoalSetOut
from service.municipalities.routes import MeOut, MunicipalityOut
from service.questions.schemas import (
    AnswerIn,
    FaqIn,
    FaqListOut,
    FaqOut,
    QuestionIn,
    QuestionListOut,
    QuestionOut,
    QuestionPatch,
    TextIn,
    TextModuleIn,
    TextModuleListOut,
    TextModuleOut,
)
from service.resolutions.schemas import CheckRunOut, CheckStartIn, ConfirmIn, FinalizeIn


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
    FinalizeIn,
    QuestionIn,
    QuestionOut,
    QuestionListOut,
    QuestionPatch,
    TextIn,
    AnswerIn,
    FaqIn,
    FaqOut,
    FaqListOut,
    TextModuleIn,
    TextModuleOut,
    TextModuleListOut,
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
BINARY = {"schema": {"type": "string", "format": "binary"}}
# PDF, DOCX and text files go out under their own type, anything else as opaque bytes.
FILE_RESPONSE = {
    "description": "Die hochgeladene Datei, unverändert",
    "content": {t: BINARY for t in sorted(DOWNLOAD_TYPES | {"application/octet-stream"})},
}
PDF_RESPONSE = {
    "description": "Prüfbericht als PDF",
    "content": {"application/pdf": BINARY},
}


def _ref(model: type[BaseModel]) -> dict[str, str]:
    return {"$ref": f"#/components/schemas/{model.__name__}"}


def _json(model: type[BaseModel], description: str) -> dict[str, Any]:
    return {"description": description, "content": {"application/json": {"schema": _ref(model)}}}


def _body(model: type[BaseModel], *, required: bool = True) -> dict[str, Any]:
    return {"required": required, "content": {"application/json": {"schema": _ref(model)}}}


def _errors(*codes: int) -> dict[str, Any]:
    text = {
        400: "Anfrage nicht lesbar (z. B. kaputtes multipart/form-data)",
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
    {
        "name": "offset",
        "in": "query",
        "schema": {"type": "integer", "minimum": 0, "maximum": MAX_ID, "default": 0},
    },
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
                **_errors(400, 401, 403, 404, 413, 415, 422),
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
    "/documents/{document_id}/file": {
        "get": {
            "summary": "Originaldatei eines Dokuments (immer als Download)",
            "operationId": "getDocumentFile",
            "parameters": DOC_ID,
            "responses": {"200": FILE_RESPONSE, **_errors(401, 404)},
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
            "requestBody": _body(FinalizeIn, required=False),
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

QUESTION_ID = [
    {
        "name": "question_id",
        "in": "path",
        "required": True,
        "schema": {"type": "integer", "minimum": 1},
    }
]
QUEUE_FILTERS = [
    {"name": name, "in": "query", "description": text, "schema": {"type": "string"}}
    for name, text in (
        ("status", "Status oder „offen“"),
        ("landkreis", "Landkreis"),
        ("handlungsfeld", "Handlungsfeld"),
        ("channel", "web | email | slack | check"),
        ("assignee", "„ich“, „niemand“ oder Nutzer-ID"),
        ("overdue", "1 = nur überfällige"),
    )
]


def _question_op(summary: str, op_id: str, body: type[BaseModel] | None) -> dict[str, Any]:
    op: dict[str, Any] = {
        "summary": summary,
        "operationId": op_id,
        "parameters": QUESTION_ID,
        "responses": {
            "200": _json(QuestionOut, "Frage mit Verlauf"),
            **_errors(401, 403, 404, 422),
        },
    }
    if body is not None:
        op["requestBody"] = _body(body)
    return op


PATHS |= {
    "/questions": {
        "get": {
            "summary": "Fragen (Beratung: alle Kommunen; Kommunen: die eigenen)",
            "operationId": "listQuestions",
            "parameters": PAGING + QUEUE_FILTERS,
            "responses": {"200": _json(QuestionListOut, "Fragen"), **_errors(401, 404, 422)},
        },
        "post": {
            "summary": "Frage stellen (oder Prüfbefund an die FS INGE senden)",
            "operationId": "askQuestion",
            "requestBody": _body(QuestionIn),
            "responses": {
                "201": _json(QuestionOut, "Frage mit den Fundstellen von INGE"),
                **_errors(401, 403, 404, 422),
            },
        },
    },
    "/questions/{question_id}": {
        "get": {
            "summary": "Frage mit Verlauf (interne Notizen nur für die FS INGE)",
            "operationId": "getQuestion",
            "parameters": QUESTION_ID,
            "responses": {"200": _json(QuestionOut, "Frage"), **_errors(401, 404)},
        },
        "patch": _question_op("Status, Zuweisung, Schlagworte", "triageQuestion", QuestionPatch),
    },
    "/questions/{question_id}/notes": {
        "post": _question_op("Interne Notiz (nie versandt)", "noteQuestion", TextIn),
    },
    "/questions/{question_id}/answer": {
        "post": _question_op("Antwort über den Kanal der Frage", "answerQuestion", AnswerIn),
    },
    "/questions/{question_id}/replies": {
        "post": _question_op("Nachricht der Kommune", "replyQuestion", TextIn),
    },
    "/questions/{question_id}/close": {
        "post": _question_op("Frage schließen", "closeQuestion", None),
    },
    "/questions/{question_id}/faq": {
        "post": {
            "summary": "Antwort als FAQ übernehmen",
            "operationId": "faqFromQuestion",
            "parameters": QUESTION_ID,
            "requestBody": _body(FaqIn),
            "responses": {"201": _json(FaqOut, "FAQ-Eintrag"), **_errors(401, 403, 404, 422)},
        },
    },
    "/questions/faq": {
        "get": {
            "summary": "FAQ der FS INGE",
            "operationId": "listFaq",
            "responses": {"200": _json(FaqListOut, "FAQ"), **_errors(401)},
        },
    },
    "/questions/text-modules": {
        "get": {
            "summary": "Textbausteine (FS INGE)",
            "operationId": "listTextModules",
            "responses": {"200": _json(TextModuleListOut, "Bausteine"), **_errors(401, 403)},
        },
        "post": {
            "summary": "Textbaustein anlegen",
            "operationId": "createTextModule",
            "requestBody": _body(TextModuleIn),
            "responses": {
                "201": _json(TextModuleOut, "Baustein"),
                **_errors(401, 403, 422),
            },
        },
    },
    "/questions/text-modules/{module_id}": {
        "delete": {
            "summary": "Textbaustein löschen",
            "operationId": "deleteTextModule",
            "parameters": [
                {
                    "name": "module_id",
                    "in": "path",
                    "required": True,
                    "schema": {"type": "integer", "minimum": 1},
                }
            ],
            "responses": {"204": {"description": "gelöscht"}, **_errors(401, 403, 404)},
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
