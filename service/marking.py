"""Show a whole document text with one passage marked (evidence "highlighted in the document")."""

from __future__ import annotations

from starlette.requests import Request

from service.errors import ValidationFailed


def span_from_query(request: Request, length: int) -> tuple[int, int] | None:
    """The ``von``/``bis`` offsets of the query, clamped to the text; None when absent."""
    raw_start, raw_end = request.query_params.get("von"), request.query_params.get("bis")
    if raw_start is None or raw_end is None:
        return None
    if not (raw_start.isdigit() and raw_end.isdigit()):
        raise ValidationFailed("von und bis müssen Zeichenpositionen (ganze Zahlen) sein.")
    start, end = min(int(raw_start), length), min(int(raw_end), length)
    return (start, end) if start < end else None


def split_marked(text: str, span: tuple[int, int] | None) -> dict[str, str]:
    if span is None:
        return {"before": text, "marked": "", "after": ""}
    start, end = span
    return {"before": text[:start], "marked": text[start:end], "after": text[end:]}
