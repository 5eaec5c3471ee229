"""An OParl 1.0/1.1 client that copes with the quirks real servers show.

Quirks handled (each has a test in tests/integrations/test_oparl_client.py):
- an empty `modified_since` result answered as 404 `{"code": 802}` or as a bare `[]`;
- `auxiliaryFile` (or `consultation`) as one object instead of a list;
- "N/A" and blank strings where a value is missing;
- unescaped control characters inside JSON strings;
- servers that reject URL-encoded query parameters (retried with the raw value);
- object ids that differ from the URL fetched (the id in the object wins, the URL is kept);
- a 7-digit AGS without its leading zero.
5xx answers and dropped connections are retried with exponential backoff.
"""

from __future__ import annotations

import hashlib
import json
import random
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

EMPTY_LIST_CODE = 802
MISSING = frozenset({"", "n/a", "na", "-", "null"})
LIST_FIELDS = ("auxiliaryFile", "consultation", "organization", "underDirectionOf")
MAX_FILE_BYTES = 50 * 1024 * 1024


class OParlError(Exception):
    def __init__(
        self, message: str, *, temporary: bool = False, status: int | None = None, body: str = ""
    ) -> None:
        super().__init__(message)
        self.message = message
        self.temporary = temporary
        self.status = status  # the HTTP status, when the server answered
        self.body = body  # the start of the server's answer, when it answered

    @property
    def empty_list(self) -> bool:
        """The server's way of saying "no objects" (`{"code": 802}`), not a real error."""
        try:
            data = json.loads(self.body)
        except ValueError:
            return False
        return isinstance(data, dict) and data.get("code") == EMPTY_LIST_CODE


@dataclass(frozen=True)
class Fetched:
    url: str
    data: Any


Opener = Callable[[urllib.request.Request, float], Any]


def _open(request: urllib.request.Request, timeout: float) -> Any:
    return urllib.request.urlopen(request, timeout=timeout)  # noqa: S310 - http(s) URLs only


class OParlClient:
    def __init__(
        self,
        *,
        retries: int = 4,
        backoff: float = 0.5,
        timeout: float = 30.0,
        opener: Opener = _open,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.retries, self.backoff, self.timeout = retries, backoff, timeout
        self.opener, self.sleep = opener, sleep

    # --- objects and lists -------------------------------------------------------------

    def get(self, url: str) -> dict[str, Any]:
        data = self._json(url)
        if not isinstance(data, dict):
            raise OParlError(f"{url}: kein OParl-Objekt")
        obj = clean(data)
        obj.setdefault("id", url)
        obj["_fetched_from"] = url  # the id may differ from the URL (quirk)
        return obj

    def items(self, url: str, *, modified_since: str | None = None) -> Iterator[dict[str, Any]]:
        """Every object of an OParl list, following `links.next` across pages."""
        next_url: str | None = url
        params = {"modified_since": modified_since} if modified_since else {}
        seen: set[str] = set()
        while next_url:
            page = self._list_page(next_url, params)
            params = {}  # `next` links already carry the query
            if page is None:
                return
            for raw in page.get("data", []):
                if isinstance(raw, dict):
                    obj = clean(raw)
                    if obj.get("id") not in seen:
                        seen.add(str(obj.get("id")))
                        yield obj
            next_url = (page.get("links") or {}).get("next")
            if next_url in seen:
                return
            if next_url:
                seen.add(next_url)

    def _list_page(self, url: str, params: dict[str, str]) -> dict[str, Any] | None:
        try:
            data = self._json(with_query(url, params, encode=True))
        except OParlError as exc:
            if params and _maybe_encoding_problem(exc):
                data = self._json(with_query(url, params, encode=False))
            elif exc.empty_list:
                return None
            else:
                raise
        if isinstance(data, list):  # a bare [] (or bare list) instead of a list object
            return {"data": data, "links": {}}
        if isinstance(data, dict) and data.get("code") == EMPTY_LIST_CODE:
            return None
        return data if isinstance(data, dict) else None

    # --- files -----------------------------------------------------------------------------

    def download(self, url: str, *, sha1: str | None = None) -> bytes:
        """A file's bytes; a given sha1 checksum (OParl `sha1Checksum`) must match."""
        body = self._bytes(url, limit=MAX_FILE_BYTES)
        if sha1 and hashlib.sha1(body).hexdigest() != sha1.lower():  # noqa: S324 - OParl field
            raise OParlError(f"{url}: Prüfsumme stimmt nicht")
        return body

    # --- transport ---------------------------------------------------------------------------

    def _json(self, url: str) -> Any:
        body = self._bytes(url, limit=MAX_FILE_BYTES)
        try:
            # strict=False: some servers leave control characters unescaped in strings
            return json.loads(body.decode("utf-8", "replace"), strict=False)
        except ValueError as exc:
            raise OParlError(f"{url}: ungültiges JSON ({exc})") from None

    def _bytes(self, url: str, *, limit: int) -> bytes:
        if not url.startswith(("http://", "https://")):
            raise OParlError(f"{url}: nur http(s)-Adressen")
        attempt = 0
        while True:
            attempt += 1
            try:
                request = urllib.request.Request(  # noqa: S310 - scheme checked above
                    url, headers={"Accept": "application/json"}
                )
                with self.opener(request, self.timeout) as response:
                    body: bytes = response.read(limit + 1)
                if len(body) > limit:
                    raise OParlError(f"{url}: zu groß")
                return body
            except urllib.error.HTTPError as exc:
                text = exc.read(2000).decode("utf-8", "replace")
                error = OParlError(
                    f"{url}: HTTP {exc.code} {text}".strip(),
                    temporary=exc.code >= 500,
                    status=exc.code,
                    body=text,
                )
            except (urllib.error.URLError, TimeoutError, ConnectionError) as exc:
                error = OParlError(f"{url}: nicht erreichbar ({exc})", temporary=True)
            if not error.temporary or attempt > self.retries:
                raise error
            self.sleep(random.uniform(0.5, 1.0) * self.backoff * 2 ** (attempt - 1))  # noqa: S311


def _maybe_encoding_problem(exc: OParlError) -> bool:
    # only the status and the body count: the message holds the URL, whose port may read "802"
    return exc.status in (400, 404, 422) and not exc.empty_list


def with_query(url: str, params: dict[str, str], *, encode: bool) -> str:
    if not params:
        return url
    sep = "&" if "?" in url else "?"
    if encode:
        return url + sep + urllib.parse.urlencode(params)
    return url + sep + "&".join(f"{k}={v}" for k, v in params.items())


def clean(value: Any) -> Any:
    """Blank and "N/A" strings become None; list fields given as one object become lists."""
    if isinstance(value, dict):
        out = {k: clean(v) for k, v in value.items()}
        for key in LIST_FIELDS:
            if isinstance(out.get(key), dict | str):
                out[key] = [out[key]]
        return out
    if isinstance(value, list):
        return [clean(v) for v in value]
    if isinstance(value, str) and value.strip().lower() in MISSING:
        return None
    return value


def normalise_ags(value: Any) -> str | None:
    """An 8-digit AGS; servers sometimes drop the leading zero (7 digits)."""
    if value is None:
        return None
    digits = "".join(ch for ch in str(value) if ch.isdigit())
    return digits.zfill(8) if 7 <= len(digits) <= 8 else None
