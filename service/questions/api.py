"""The questions API under /api/v1/questions: ask, queue, triage, notes, answers, replies,
FAQ and text modules."""

from __future__ import annotations

from sqlmodel import Session, col, select
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from service.context import db, require_principal
from service.db import get_by_id
from service.errors import NotFound
from service.models import FaqEntry, Municipality, Question, TextModule
from service.questions import service
from service.questions.asking import ask
from service.questions.queue import list_questions, parse_filter
from service.questions.schemas import (
    AnswerIn,
    FaqIn,
    FaqOut,
    QuestionIn,
    QuestionOut,
    QuestionPatch,
    TextIn,
    TextModuleIn,
    TextModuleOut,
)
from service.settings_store import current
from service.tenancy import Principal, get_scoped
from service.web import check_csrf_header, paging, read_json

MAX_JSON = 64 * 1024


def settings_of(request: Request) -> tuple[int, str]:
    """(service level in working days, public URL for links)."""
    questions = current(request).questions
    return questions.sla_working_days, questions.public_url


def question_out(
    session: Session, question: Question, principal: Principal, *, with_history: bool = False
) -> dict[str, object]:
    municipality = session.get(Municipality, question.municipality_id)
    assert municipality is not None
    history = (
        service.history(session, question, internal=principal.sees_all_municipalities)
        if with_history
        else None
    )
    out = QuestionOut.build(
        question,
        ags=municipality.ags,
        name=municipality.name,
        overdue=service.is_overdue(question),
        history=history,
    )
    return out.model_dump(mode="json")


def question_of(request: Request) -> tuple[Principal, Question]:
    """The question of the path, if the principal may see it (404 otherwise)."""
    principal = require_principal(request)
    row = get_scoped(db(request), Question, request.path_params["question_id"], principal)
    return principal, row


async def api_list(request: Request) -> Response:
    principal = require_principal(request)
    session = db(request)
    flt = parse_filter(request.query_params, session, principal)
    limit, offset = paging(request)
    rows, total = list_questions(session, principal, flt, limit=limit, offset=offset)
    items = [question_out(session, q, principal) for q in rows]
    return JSONResponse({"items": items, "total": total})


async def api_create(request: Request) -> Response:
    principal = require_principal(request)
    check_csrf_header(request)
    body = await read_json(request, QuestionIn, max_bytes=MAX_JSON)
    question = ask(db(request), principal, body, settings=current(request))
    return JSONResponse(question_out(db(request), question, principal), status_code=201)


async def api_get(request: Request) -> Response:
    principal, question = question_of(request)
    return JSONResponse(question_out(db(request), question, principal, with_history=True))


async def api_patch(request: Request) -> Response:
    principal, question = question_of(request)
    check_csrf_header(request)
    body = await read_json(request, QuestionPatch, max_bytes=MAX_JSON)
    sent = body.model_fields_set
    service.update_question(
        db(request),
        question,
        principal,
        status=body.status,
        assignee_id=(body.assignee_id or None) if "assignee_id" in sent else service.KEEP,
        tags=body.tags,
        handlungsfeld=body.handlungsfeld if "handlungsfeld" in sent else service.KEEP,
    )
    return JSONResponse(question_out(db(request), question, principal, with_history=True))


async def api_note(request: Request) -> Response:
    principal, question = question_of(request)
    check_csrf_header(request)
    body = await read_json(request, TextIn, max_bytes=MAX_JSON)
    service.add_note(db(request), question, principal, body.text)
    return JSONResponse(question_out(db(request), question, principal, with_history=True))


async def api_answer(request: Request) -> Response:
    principal, question = question_of(request)
    check_csrf_header(request)
    body = await read_json(request, AnswerIn, max_bytes=MAX_JSON)
    _, public_url = settings_of(request)
    service.send_answer(
        db(request),
        question,
        principal,
        body.text,
        public_url=public_url,
        needs_reply=body.rueckfrage,
    )
    return JSONResponse(question_out(db(request), question, principal, with_history=True))


async def api_reply(request: Request) -> Response:
    principal, question = question_of(request)
    check_csrf_header(request)
    body = await read_json(request, TextIn, max_bytes=MAX_JSON)
    service.add_reply(db(request), question, principal, body.text)
    return JSONResponse(question_out(db(request), question, principal, with_history=True))


async def api_close(request: Request) -> Response:
    principal, question = question_of(request)
    check_csrf_header(request)
    service.close_by_asker(db(request), question, principal)
    return JSONResponse(question_out(db(request), question, principal, with_history=True))


async def api_faq_create(request: Request) -> Response:
    principal, question = question_of(request)
    check_csrf_header(request)
    body = await read_json(request, FaqIn, max_bytes=MAX_JSON)
    entry = service.make_faq(
        db(request), question, principal, asked=body.question, answer=body.answer
    )
    return JSONResponse(FaqOut.build(entry).model_dump(mode="json"), status_code=201)


async def api_faq_list(request: Request) -> Response:
    require_principal(request)
    rows = db(request).exec(select(FaqEntry).order_by(col(FaqEntry.id))).all()
    return JSONResponse([FaqOut.build(r).model_dump(mode="json") for r in rows])


async def api_modules(request: Request) -> Response:
    principal = require_principal(request)
    service.require_staff(principal)
    rows = db(request).exec(select(TextModule).order_by(col(TextModule.title))).all()
    return JSONResponse([TextModuleOut.build(r).model_dump(mode="json") for r in rows])


async def api_module_create(request: Request) -> Response:
    principal = require_principal(request)
    service.require_staff(principal)
    check_csrf_header(request)
    body = await read_json(request, TextModuleIn, max_bytes=MAX_JSON)
    module = TextModule(title=body.title, body=body.body, created_by_id=principal.user_id)
    db(request).add(module)
    db(request).flush()
    return JSONResponse(TextModuleOut.build(module).model_dump(mode="json"), status_code=201)


async def api_module_delete(request: Request) -> Response:
    principal = require_principal(request)
    service.require_staff(principal)
    check_csrf_header(request)
    module = get_by_id(db(request), TextModule, request.path_params["module_id"])
    if module is None:
        raise NotFound()
    db(request).delete(module)
    return Response(status_code=204)


_Q = "/questions/{question_id:int}"
api_routes = [
    Route("/questions", api_list, methods=["GET"], name="api_questions"),
    Route("/questions", api_create, methods=["POST"], name="api_question_create"),
    Route("/questions/faq", api_faq_list, methods=["GET"], name="api_faq"),
    Route("/questions/text-modules", api_modules, methods=["GET"], name="api_text_modules"),
    Route(
        "/questions/text-modules",
        api_module_create,
        methods=["POST"],
        name="api_text_module_create",
    ),
    Route(
        "/questions/text-modules/{module_id:int}",
        api_module_delete,
        methods=["DELETE"],
        name="api_text_module_delete",
    ),
    Route(_Q, api_get, methods=["GET"], name="api_question"),
    Route(_Q, api_patch, methods=["PATCH"], name="api_question_patch"),
    Route(_Q + "/notes", api_note, methods=["POST"], name="api_question_note"),
    Route(_Q + "/answer", api_answer, methods=["POST"], name="api_question_answer"),
    Route(_Q + "/replies", api_reply, methods=["POST"], name="api_question_reply"),
    Route(_Q + "/close", api_close, methods=["POST"], name="api_question_close"),
    Route(_Q + "/faq", api_faq_create, methods=["POST"], name="api_question_faq"),
]
