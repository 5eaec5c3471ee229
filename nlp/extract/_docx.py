"""DOCX text from word/document.xml, streamed through expat with DTDs refused.

defusedxml is not available, so the defences are spelled out here: the archive's declared
sizes are checked before anything is inflated, inflation is counted while streaming, and any
DOCTYPE or entity declaration aborts the parse (Word never writes one).
"""

from __future__ import annotations

import zipfile
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, NoReturn
from xml.parsers import expat

from nlp.extract import _errors
from nlp.extract._errors import ExtractionError
from nlp.extract._model import ExtractionLimits
from nlp.extract._pages import PageCollector

_MAIN_PART = "word/document.xml"
_CHUNK_BYTES = 64 * 1024
# Transitional and Strict OOXML name the WordprocessingML namespace differently.
_W_NAMESPACES = frozenset(
    {
        "http://schemas.openxmlformats.org/wordprocessingml/2006/main",
        "http://purl.oclc.org/ooxml/wordprocessingml/main",
    }
)
# Word writes text boxes twice: for new readers (mc:Choice) and old ones (mc:Fallback).
_FALLBACK = "http://schemas.openxmlformats.org/markup-compatibility/2006 Fallback"
_NS_SEPARATOR = " "


def read_docx(path: Path, *, limits: ExtractionLimits, pages: PageCollector) -> None:
    """Add the pages of the DOCX at `path` to `pages`.

    Paragraphs become lines; explicit page breaks (w:br w:type="page") and the page breaks
    Word recorded when it last laid the document out (w:lastRenderedPageBreak) start a new
    page. Raises ExtractionError: zip_bomb, corrupt (also for DTDs and entities),
    too_many_pages, too_much_text. OSError from opening `path` propagates.
    """
    with path.open("rb") as file, _docx_errors(), zipfile.ZipFile(file) as archive:
        _check_archive(archive, limits=limits)
        with archive.open(_MAIN_PART) as member:
            _parse(member, limits=limits, pages=pages)


def _check_archive(archive: zipfile.ZipFile, *, limits: ExtractionLimits) -> None:
    infos = archive.infolist()
    if len(infos) > limits.max_docx_members:
        raise _errors.docx_too_many_members(limits.max_docx_members)
    # zipfile never inflates a member beyond its declared size (it fails the CRC check
    # instead), so the declared sizes bound what reading can cost.
    if sum(info.file_size for info in infos) > limits.max_docx_uncompressed_bytes:
        raise _errors.docx_too_large(limits.max_docx_uncompressed_bytes)


def _parse(member: IO[bytes], *, limits: ExtractionLimits, pages: PageCollector) -> None:
    builder = _PageBuilder(pages)
    parser = _hardened_parser(builder)
    inflated = 0
    while chunk := member.read(_CHUNK_BYTES):
        inflated += len(chunk)
        if inflated > limits.max_docx_uncompressed_bytes:
            raise _errors.docx_too_large(limits.max_docx_uncompressed_bytes)
        parser.Parse(chunk, False)
    parser.Parse(b"", True)
    builder.close()


def _refuse(*_args: object) -> NoReturn:
    raise _errors.forbidden_xml()


def _hardened_parser(builder: _PageBuilder) -> expat.XMLParserType:
    parser = expat.ParserCreate(namespace_separator=_NS_SEPARATOR)
    parser.SetParamEntityParsing(expat.XML_PARAM_ENTITY_PARSING_NEVER)
    # Refusing the DOCTYPE itself stops billion laughs and external entities before any
    # declaration is read; the other handlers are a second line.
    parser.StartDoctypeDeclHandler = _refuse
    parser.EntityDeclHandler = _refuse
    parser.UnparsedEntityDeclHandler = _refuse
    parser.ExternalEntityRefHandler = _refuse
    parser.buffer_text = True
    parser.StartElementHandler = builder.start
    parser.EndElementHandler = builder.end
    parser.CharacterDataHandler = builder.characters
    return parser


class _PageBuilder:
    """Turns WordprocessingML element events into page texts."""

    def __init__(self, pages: PageCollector) -> None:
        self._pages = pages
        self._parts: list[str] = []
        self._chars = 0
        self._has_text = False
        self._in_text = False
        self._fallback_depth = 0
        self._starts: dict[str, Callable[[dict[str, str]], None]] = {
            "t": self._start_text,
            "tab": lambda _attrs: self._append("\t"),
            "noBreakHyphen": lambda _attrs: self._append("-"),
            "cr": lambda _attrs: self._append("\n"),
            "br": self._break,
            "lastRenderedPageBreak": lambda _attrs: self._rendered_break(),
        }

    def start(self, name: str, attributes: dict[str, str]) -> None:
        if name == _FALLBACK:
            self._fallback_depth += 1
        namespace, _, local = name.rpartition(_NS_SEPARATOR)
        if self._fallback_depth or namespace not in _W_NAMESPACES:
            return
        handler = self._starts.get(local)
        if handler is not None:
            handler(attributes)

    def end(self, name: str) -> None:
        if name == _FALLBACK:
            self._fallback_depth -= 1
        namespace, _, local = name.rpartition(_NS_SEPARATOR)
        if self._fallback_depth or namespace not in _W_NAMESPACES:
            return
        if local == "t":
            self._in_text = False
        elif local == "p":
            self._append("\n")

    def characters(self, data: str) -> None:
        # Only w:t holds document text; w:delText (deleted) and w:instrText (field codes)
        # do not.
        if self._in_text:
            self._append(data)
            self._has_text = self._has_text or not data.isspace()

    def close(self) -> None:
        """Emit the last page."""
        self._flush()

    def _start_text(self, _attributes: dict[str, str]) -> None:
        self._in_text = True

    def _break(self, attributes: dict[str, str]) -> None:
        kind = next((v for k, v in attributes.items() if k.endswith(" type")), "textWrapping")
        if kind == "page":
            self._flush()
        else:
            self._append("\n")

    def _rendered_break(self) -> None:
        # Word records a rendered break right after a hard page break too; one that comes
        # before any text on the current page is that same break, not another page.
        if self._has_text:
            self._flush()

    def _append(self, text: str) -> None:
        self._chars += len(text)
        self._pages.ensure_room(self._chars)
        self._parts.append(text)

    def _flush(self) -> None:
        self._pages.add("".join(self._parts).strip("\n"))
        self._parts, self._chars, self._has_text = [], 0, False


@contextmanager
def _docx_errors() -> Iterator[None]:
    """zipfile and expat raise many types on damaged archives; all mean "broken file"."""
    try:
        yield
    except (ExtractionError, MemoryError):
        raise
    except KeyError:
        # No word/document.xml: the sniffer would not have called it DOCX.
        raise _errors.unsupported_type() from None
    except Exception:
        raise _errors.corrupt_docx() from None
