"""Page-anchored text extraction of uploaded PDF, DOCX and plain-text files.

Uploads are untrusted: use `extract_text_sandboxed` and `inspect_document`, which read the
file in a child process with CPU, memory and wall-clock limits. `extract_text` is the same
reader in-process, for trusted files and tests. Every problem with a file surfaces as
`ExtractionError` with a stable `code` and a German `message` for the user.
"""

from nlp.extract._errors import ErrorCode, ExtractionError
from nlp.extract._inprocess import extract_text
from nlp.extract._model import (
    DOCX,
    PDF,
    TXT,
    DocumentInfo,
    ExtractedText,
    ExtractionLimits,
    Page,
)
from nlp.extract._sandbox import extract_text_sandboxed, inspect_document
from nlp.extract._sniff import sniff_media_type

__all__ = [
    "DOCX",
    "PDF",
    "TXT",
    "DocumentInfo",
    "ErrorCode",
    "ExtractedText",
    "ExtractionError",
    "ExtractionLimits",
    "Page",
    "extract_text",
    "extract_text_sandboxed",
    "inspect_document",
    "sniff_media_type",
]
