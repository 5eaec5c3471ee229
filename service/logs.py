"""Logging: one format for web and worker, a request id on every line, no content.

Every record carries the id of the request (the ``X-Request-ID`` response header) or of the arq
job it was written for, so a failure a user reports can be found. What is logged are ids,
counts, statuses and German reasons; never document text, mail bodies, question texts, query
strings or secrets. Libraries that log request or message bodies at DEBUG (slack_sdk,
aiosmtplib, urllib3, httpx) are held at WARNING whatever the level, and uvicorn's access log
(which prints query strings) is replaced by ours, which logs the path only.
"""

from __future__ import annotations

import contextvars
import logging
import logging.config
from typing import Any

request_id_var: contextvars.ContextVar[str] = contextvars.ContextVar("request_id", default="-")

FORMAT = "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"
# "mail.log" is aiosmtpd (our inbound receiver), which logs whole messages at DEBUG.
QUIET_LIBRARIES = (
    "slack_sdk",
    "aiosmtplib",
    "mail.log",
    "urllib3",
    "httpx",
    "httpcore",
    "multipart",
)

access_log = logging.getLogger("service.access")
_base_factory = logging.getLogRecordFactory()


def _record_with_request_id(*args: Any, **kwargs: Any) -> logging.LogRecord:
    record = _base_factory(*args, **kwargs)
    record.request_id = request_id_var.get()
    return record


def install_request_ids() -> None:
    """Every log record gets `request_id`, whichever handler formats it (idempotent)."""
    logging.setLogRecordFactory(_record_with_request_id)


def dict_config(level: str) -> dict[str, Any]:
    """The logging configuration of every INGE process (also handed to uvicorn, whose worker
    processes would otherwise log nothing of ours)."""
    level = level.upper()
    quiet = logging.getLevelName(max(logging.WARNING, logging.getLevelName(level)))
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "formatters": {"plain": {"format": FORMAT}},
        "handlers": {
            "default": {
                "class": "logging.StreamHandler",
                "formatter": "plain",
                "stream": "ext://sys.stderr",
            }
        },
        "root": {"handlers": ["default"], "level": level},
        "loggers": {name: {"level": quiet} for name in QUIET_LIBRARIES},
    }


def configure(level: str) -> None:
    install_request_ids()
    logging.config.dictConfig(dict_config(level))


def log_request(method: str, path: str, status: int, millis: float) -> None:
    """One access line: the path without its query string, the status and the time."""
    access_log.info("%s %s %d %.0fms", method, path, status, millis)
