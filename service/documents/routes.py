"""Document pages and the document API."""

from __future__ import annotations

from sqlmodel import Session, col, select
from starlette.datastructures import FormData, UploadFile
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

from service.context import db, require_principal
from service.documents import service
from service.documents.schemas import DocumentOut, DocumentPageOut
from service.errors import ValidationFailed
from service.marking import span_from_query, split_marked
from service.models import Document, DocumentKind, DocumentPage, Municipality, Role
from service.resolutions.routes import runs_for_document
from service.tenancy import (
    Principal,
    get_scoped,
    municipality_by_ags,
    municipality_for_write,
    visible_municipalities,
)
from service.web import (
    FORM_LIMITS,
    check_csrf_header,
    form_str,
    paging,
    read_form,
    render,
    see_other,
)

UPLOAD_ROLES = frozenset(Role)
PREVIEW_PAGES = 5
PREVIEW_CHARS = 4000


def _municipalities_by_id(session: Session, ids: set[int]) -> dict[int, Municipality]:
    rows = session.exec(select(Municipality).where(col(Municipality.id).in_(ids))).all()
    return {m.id: m for m in rows if m.id is not None}


def _filter_municipality(request: Request, principal: Principal) -> Municipality | None:
    ags = request.query_params.get("municipality") or request.query_params.get("kommune")
    return municipality_by_ags(db(request), ags, principal) if ags else None


async def _upload(request: Request, form: FormData, principal: Principal) -> Document:
    upload = form.get("file")
    if not isinstance(upload, UploadFile):
        raise ValidationFailed("Bitte wählen Sie eine Datei aus.", code="file")
    kind = service.parse_kind(form_str(form, "kind"))
    municipality = municipality_for_write(
        db(request), principal, form_str(form, "municipality") or None, roles=UPLOAD_ROLES
    )
    return await service.create_document(
        db(request),
        upload,
        filename=upload.filename or "dokument",
        kind=kind,
        municipality=municipality,
        principal=principal,
        settings=request.app.state.settings,
    )


# --- pages -------------------------------------------------------------------------------


async def document_list_page(request: Request) -> Response:
    principal = require_principal(request)
    chosen = _filter_municipality(request, principal)
    documents, total = service.list_documents(
        db(request), principal, municipality_id=chosen.id if chosen else None, limit=200
    )
    munis = _municipalities_by_id(db(request), {d.municipality_id for d in documents})
    return render(
        request,
        "documents/list.html",
        {
            "documents": documents,
            "total": total,
            "municipalities": munis,
            "chosen": chosen,
            "visible": visible_municipalities(db(request), principal),
            "is_pending": service.is_pending,
        },
    )


async def upload_page(request: Request) -> Response:
    principal = require_principal(request)
    return render(
        request,
        "documents/upload.html",
        {
            "visible": visible_municipalities(db(request), principal),
            "kinds": list(DocumentKind),
        },
    )


async def upload_submit(request: Request) -> Response:
    principal = require_principal(request)
    form = await read_form(request)
    try:
        document = await _upload(request, form, principal)
    finally:
        await form.close()
    return see_other(f"/dokumente/{document.id}")


async def document_page(request: Request) -> Response:
    principal = require_principal(request)
    document = get_scoped(db(request), Document, request.path_params["document_id"], principal)
    pages = (
        db(request)
        .exec(
            select(DocumentPage)
            .where(DocumentPage.document_id == document.id)
            .order_by(col(DocumentPage.number))
            .limit(PREVIEW_PAGES)
        )
        .all()
    )
    return render(
        request,
        "documents/detail.html",
        {
            "document": document,
            "municipality": db(request).get(Municipality, document.municipality_id),
            "pages": pages,
            "preview_chars": PREVIEW_CHARS,
            "is_pending": service.is_pending,
            "kind_label": DocumentKind(document.kind).label,
            "check_runs": runs_for_document(db(request), document),
        },
    )


async def document_text_page(request: Request) -> Response:
    """The whole extracted text, pages joined as the checks read them, one span marked."""
    principal = require_principal(request)
    document = get_scoped(db(request), Document, request.path_params["document_id"], principal)
    assert document.id is not None
    text = service.document_text(db(request), document.id)
    parts = split_marked(text, span_from_query(request, len(text)))
    return render(
        request,
        "marked_text.html",
        {
            "heading": f"Volltext: {document.title}",
            "back_url": f"/dokumente/{document.id}",
            **parts,
        },
    )


async def document_file(request: Request) -> Response:
    """The original upload, always as a download: never rendered by the browser in our origin."""
    principal = require_principal(request)
    document = get_scoped(db(request), Document, request.path_params["document_id"], principal)
    path = service.original_path(request.app.state.settings, document)
    return FileResponse(
        path,
        media_type=service.download_media_type(document.media_type),
        headers={
            "Content-Disposition": service.attachment_header(document.original_filename),
            "Content-Security-Policy": "default-src 'none'; sandbox",
            "Cache-Control": "private, no-store",
        },
    )


# --- API ---------------------------------------------------------------------------------


def _out(session: Session, document: Document) -> DocumentOut:
    municipality = session.get(Municipality, document.municipality_id)
    assert municipality is not None
    return DocumentOut.build(document, municipality)


async def api_upload(request: Request) -> Response:
    principal = require_principal(request)
    check_csrf_header(request)
    form = await request.form(**FORM_LIMITS)
    try:
        document = await _upload(request, form, principal)
    finally:
        await form.close()
    return JSONResponse(_out(db(request), document).model_dump(mode="json"), status_code=201)


async def api_list(request: Request) -> Response:
    principal = require_principal(request)
    limit, offset = paging(request)
    chosen = _filter_municipality(request, principal)
    documents, total = service.list_documents(
        db(request),
        principal,
        municipality_id=chosen.id if chosen else None,
        limit=limit,
        offset=offset,
    )
    munis = _municipalities_by_id(db(request), {d.municipality_id for d in documents})
    items = [DocumentOut.build(d, munis[d.municipality_id]) for d in documents]
    body = DocumentPageOut(items=items, total=total, limit=limit, offset=offset)
    return JSONResponse(body.model_dump(mode="json"))


async def api_detail(request: Request) -> Response:
    principal = require_principal(request)
    document = get_scoped(db(request), Document, request.path_params["document_id"], principal)
    return JSONResponse(_out(db(request), document).model_dump(mode="json"))


page_routes = [
    Route("/dokumente", document_list_page, methods=["GET"], name="documents"),
    Route("/dokumente/neu", upload_page, methods=["GET"], name="upload"),
    Route("/dokumente", upload_submit, methods=["POST"], name="upload_submit"),
    Route("/dokumente/{document_id:int}", document_page, methods=["GET"], name="document"),
    Route(
        "/dokumente/{document_id:int}/text",
        document_text_page,
        methods=["GET"],
        name="document_text",
    ),
    Route(
        "/dokumente/{document_id:int}/datei",
        document_file,
        methods=["GET"],
        name="document_file",
    ),
]

api_routes = [
    Route("/documents", api_upload, methods=["POST"], name="api_document_create"),
    Route("/documents", api_list, methods=["GET"], name="api_documents"),
    Route("/documents/{document_id:int}", api_detail, methods=["GET"], name="api_document"),
    Route(
        "/documents/{document_id:int}/file",
        document_file,
        methods=["GET"],
        name="api_document_file",
    ),
]
