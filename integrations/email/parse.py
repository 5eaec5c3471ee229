"""Reading an untrusted inbound mail within fixed bounds.

The standard library's parser is recursive (a deeply nested multipart raises RecursionError)
and its modern header parser is quadratic on some inputs (100 000 encoded words in a Subject
took minutes). So: the raw bytes are checked first (header size, number of declared
boundaries and of delimiter lines), the message is parsed with the legacy `compat32` policy,
whose headers stay raw strings, the parts are walked without recursion, and only the few
headers INGE needs are decoded, each cut to a fixed length first. Anything outside the bounds
is an `UnreadableMail` with a German reason; the caller marks the mail failed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email import message_from_bytes
from email.errors import MessageError
from email.header import decode_header, make_header
from email.message import Message
from email.utils import parseaddr
from itertools import islice

HEADER_CHARS = 2000  # a decoded header value is cut here
REFERENCE_CHARS = 16_000
MAX_REFERENCES = 100


class UnreadableMail(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class MailLimits:
    max_parts: int = 50
    max_depth: int = 8
    max_header_bytes: int = 64 * 1024
    max_text_chars: int = 100_000


@dataclass(frozen=True)
class Attachment:
    filename: str
    media_type: str
    data: bytes


@dataclass(frozen=True)
class ParsedMail:
    from_address: str
    subject: str
    message_id: str | None
    references: tuple[str, ...]
    auto_submitted: str
    precedence: str
    from_inge_or_list: bool
    content_type: str
    parts: int
    text: str
    attachments: tuple[Attachment, ...]


def read_mail(raw: bytes, limits: MailLimits) -> ParsedMail:
    """The parts of `raw` INGE uses; raises UnreadableMail when it is outside `limits`."""
    _check_raw(raw, limits)
    try:
        message = message_from_bytes(raw)
        parts = _walk(message, limits)
        return ParsedMail(
            from_address=parseaddr(_header(message, "From"))[1].strip().lower(),
            subject=_header(message, "Subject"),
            message_id=_header(message, "Message-ID").strip() or None,
            references=_references(message),
            auto_submitted=(_header(message, "Auto-Submitted") or "no").strip().lower(),
            precedence=_header(message, "Precedence").strip().lower(),
            from_inge_or_list=bool(message.get("X-INGE-Outbox") or message.get("List-Id")),
            content_type=message.get_content_type(),
            parts=len(parts),
            text=_body_text(parts, limits.max_text_chars),
            attachments=tuple(_attachments(parts)),
        )
    except RecursionError:
        raise UnreadableMail("Die E-Mail ist zu tief verschachtelt.") from None
    except (MessageError, ValueError, LookupError, TypeError) as exc:
        raise UnreadableMail(
            f"Die E-Mail ist fehlerhaft aufgebaut ({type(exc).__name__})."
        ) from None


def _check_raw(raw: bytes, limits: MailLimits) -> None:
    """Cheap bounds on the bytes, before the parser spends time or stack on them."""
    end = re.search(rb"\r?\n\r?\n", raw[: limits.max_header_bytes + 4])
    if end is None and len(raw) > limits.max_header_bytes:
        raise UnreadableMail(
            f"Der Kopf der E-Mail ist zu groß (mehr als {limits.max_header_bytes // 1024} KB)."
        )
    # Every part is opened by a delimiter line "--boundary" and every multipart declares a
    # boundary: both bound the number of parts from above (with room for "--" in texts).
    boundaries = re.finditer(rb"boundary\s*=", raw, flags=re.IGNORECASE)
    if sum(1 for _ in islice(boundaries, limits.max_parts + 1)) > limits.max_parts:
        raise UnreadableMail("Zu viele Teile in der E-Mail.")
    if raw.count(b"\n--") > 20 * limits.max_parts:
        raise UnreadableMail("Zu viele Teile in der E-Mail.")


def _walk(message: Message, limits: MailLimits) -> list[Message]:
    """All parts, depth first, without recursion; bounded in number and depth."""
    found: list[Message] = []
    stack: list[tuple[Message, int]] = [(message, 0)]
    while stack:
        part, depth = stack.pop()
        if depth > limits.max_depth:
            raise UnreadableMail("Die E-Mail ist zu tief verschachtelt.")
        found.append(part)
        if len(found) > limits.max_parts:
            raise UnreadableMail("Zu viele Teile in der E-Mail.")
        payload = part.get_payload() if part.is_multipart() else None
        if isinstance(payload, list):
            stack.extend((c, depth + 1) for c in reversed(payload) if isinstance(c, Message))
    return found


def _header(message: Message, name: str) -> str:
    value = message.get(name)
    if value is None:
        return ""
    text = str(value)[: 2 * HEADER_CHARS]
    try:
        decoded = str(make_header(decode_header(text)))
    except (MessageError, LookupError, UnicodeError, ValueError):
        decoded = text
    return without_nul(decoded)[:HEADER_CHARS]


def without_nul(text: str) -> str:
    """NUL has no meaning in mail text, and PostgreSQL cannot store it."""
    return text.replace("\x00", "")


def _references(message: Message) -> tuple[str, ...]:
    raw = " ".join(
        str(message.get(h) or "")[:REFERENCE_CHARS] for h in ("In-Reply-To", "References")
    )
    return tuple(raw.split()[:MAX_REFERENCES])


def _is_attachment(part: Message) -> bool:
    return str(part.get("Content-Disposition") or "").strip().lower().startswith("attachment")


def _decoded(part: Message) -> bytes:
    data = part.get_payload(decode=True)
    return data if isinstance(data, bytes) else b""


def _body_text(parts: list[Message], max_chars: int) -> str:
    for wanted in ("text/plain", "text/html"):
        for part in parts:
            if part.get_content_type() == wanted and not _is_attachment(part):
                text = _as_text(_decoded(part), part.get_content_charset())[:max_chars]
                return re.sub(r"<[^>]+>", " ", text) if wanted == "text/html" else text
    return ""


def _as_text(data: bytes, charset: str | None) -> str:
    try:
        text = data.decode(charset or "utf-8", errors="replace")
    except LookupError:  # an unknown charset name
        text = data.decode("utf-8", errors="replace")
    return without_nul(text)


def _attachments(parts: list[Message]) -> list[Attachment]:
    """Leaf parts with a file name or an attachment disposition."""
    found = []
    for part in parts:
        if part.is_multipart():
            continue
        filename = _filename(part)
        if filename or _is_attachment(part):
            found.append(Attachment(filename or "anhang", part.get_content_type(), _decoded(part)))
    return found


def _filename(part: Message) -> str:
    name = part.get_filename()
    if not name:
        return ""
    try:
        decoded = str(make_header(decode_header(str(name)[:HEADER_CHARS])))
    except (MessageError, LookupError, UnicodeError, ValueError):
        decoded = str(name)
    return without_nul(decoded)[:300]
