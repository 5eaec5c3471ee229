"""Slack: request signatures (v0 HMAC) and the Web API client (slack-sdk) with waiting out
rate limits."""

from __future__ import annotations

import hashlib
import hmac
import time
from typing import Any, Protocol

from slack_sdk import WebClient
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_handlers import (
    ConnectionErrorRetryHandler,
    RateLimitErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

from service.outbox.delivery import DeliveryFailed

WINDOW_SECONDS = 5 * 60
MAX_INLINE_WAIT_SECONDS = 5


class SlackError(DeliveryFailed):
    def __init__(self, message: str, *, temporary: bool, retry_after: float | None = None) -> None:
        super().__init__(message, retry_after=retry_after)
        self.temporary = temporary


def signature_valid(
    secret: str, body: bytes, timestamp: str | None, signature: str | None, *, now: float
) -> bool:
    """Slack's v0 signature over `v0:{timestamp}:{body}`, within five minutes of now."""
    if not timestamp or not signature or not timestamp.isdigit():
        return False
    if abs(now - int(timestamp)) > WINDOW_SECONDS:
        return False
    base = b"v0:" + timestamp.encode() + b":" + body
    expected = "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()
    return hmac.compare_digest(expected, signature)


class ChatClient(Protocol):
    def post(
        self, channel: str, text: str, *, thread_ts: str | None = None, blocks: Any = None
    ) -> str: ...

    def post_ephemeral(self, channel: str, user: str, text: str) -> None: ...

    def email_of(self, user_id: str) -> str | None: ...


class ShortRateLimitRetryHandler(RateLimitErrorRetryHandler):
    """Waits out a 429 only when Slack asks for a short pause. slack-sdk sleeps for
    Retry-After inside the call, which blocks the worker's event loop (and its job timeouts)
    for as long as Slack says; a longer pause is a temporary error, and the outbox's backoff
    (or the job's retry) takes over."""

    def _can_retry(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is None or response.status_code != 429:
            return False
        # slack-sdk keeps each header as a list of values
        waits = [str(v[0]) for k, v in response.headers.items() if k.lower() == "retry-after"]
        wait = waits[0].strip() if waits else "1"
        return wait.isdigit() and int(wait) <= MAX_INLINE_WAIT_SECONDS


class SlackClient:
    """slack-sdk's WebClient; 429 answers with a short Retry-After are waited out, as are
    dropped connections, before an error is raised."""

    def __init__(self, token: str, *, base_url: str, retries: int = 5) -> None:
        self.web = WebClient(
            token=token,
            base_url=base_url if base_url.endswith("/") else base_url + "/",
            timeout=10,
            retry_handlers=[
                ShortRateLimitRetryHandler(max_retry_count=retries),
                ConnectionErrorRetryHandler(max_retry_count=2),
            ],
        )

    def post(
        self, channel: str, text: str, *, thread_ts: str | None = None, blocks: Any = None
    ) -> str:
        """Post a message; returns its ts (the thread key for replies)."""
        response = self._call(
            "chat.postMessage", channel=channel, text=text, thread_ts=thread_ts, blocks=blocks
        )
        return str(response.get("ts", ""))

    def post_ephemeral(self, channel: str, user: str, text: str) -> None:
        self._call("chat.postEphemeral", channel=channel, user=user, text=text)

    def email_of(self, user_id: str) -> str | None:
        try:
            response = self._call("users.info", user=user_id)
        except SlackError:
            return None
        profile = (response.get("user") or {}).get("profile") or {}
        email = profile.get("email")
        return str(email).lower() if email else None

    def _call(self, method: str, **args: Any) -> Any:
        params = {k: v for k, v in args.items() if v is not None}
        try:
            return self.web.api_call(method, json=params)
        except SlackApiError as exc:
            status = exc.response.status_code
            error = exc.response.get("error", "") if exc.response else ""
            raise SlackError(
                f"Slack {method}: {status} {error}",
                temporary=status == 429 or status >= 500,
                retry_after=_retry_after(exc.response.headers) if status == 429 else None,
            ) from exc
        except OSError as exc:
            raise SlackError(f"Slack nicht erreichbar: {exc}", temporary=True) from exc


def _retry_after(headers: Any) -> float | None:
    """Seconds from a Retry-After header (slack-sdk may hold each header as a list)."""
    for key, value in dict(headers or {}).items():
        if key.lower() == "retry-after":
            text = str(value[0] if isinstance(value, list) and value else value).strip()
            return float(text) if text.isdigit() else None
    return None


def now() -> float:
    return time.time()
