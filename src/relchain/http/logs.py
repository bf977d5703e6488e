"""Logging: the server log and the access log (one line per request), as text or JSON lines.

The access log never holds a UserSig, a key or a body: only the path, the app, the caller's
identifier, the answer's ``ErrorCode``, the duration and the request id. A client's
``X-Request-ID`` (1..128 characters of ``A-Z a-z 0-9 . _ : -``) is used as the request id;
otherwise one is made (a per-process random prefix and a counter). Either way it is returned in
the ``X-Request-ID`` header of the answer.
"""

from __future__ import annotations

import itertools
import logging
import re
import secrets
import sys
import time
from typing import Any

import orjson

from relchain.config import Config

__all__ = ["ACCESS", "JsonFormatter", "TextFormatter", "configure_logging", "request_id_of"]

ACCESS = logging.getLogger("relchain.access")
_VALID_ID = re.compile(rb"[A-Za-z0-9._:\-]{1,128}")
_PREFIX = secrets.token_hex(4)
_COUNTER = itertools.count(1)


def request_id_of(headers: list[tuple[bytes, bytes]]) -> str:
    """The client's ``X-Request-ID`` when it is acceptable, else a new id."""
    for name, value in headers:
        if name == b"x-request-id" and _VALID_ID.fullmatch(value):
            return value.decode("ascii")
    return f"{_PREFIX}-{next(_COUNTER)}"


def _iso(created: float) -> str:
    seconds = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(created))
    return f"{seconds}.{int(created % 1 * 1000):03d}Z"


class JsonFormatter(logging.Formatter):
    """One JSON object a line: ``time``, ``level``, ``logger``, ``message``, the record's
    ``fields`` (access lines) and ``exception`` (a traceback, as one string)."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": _iso(record.created),
            "level": record.levelname.lower(),
            "logger": record.name,
        }
        fields = getattr(record, "fields", None)
        if fields:
            data.update(fields)
        else:
            data["message"] = record.getMessage()
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(data, default=str).decode()


_PLAIN = re.compile(r"[!-~]{1,128}")


def _shown(value: object) -> str:
    """A value of a ``key=value`` pair: as is when plain, else JSON-quoted (a client's text
    can never start a new log line or fake another field)."""
    text = str(value)
    if _PLAIN.fullmatch(text) and "=" not in text and '"' not in text:
        return text
    return orjson.dumps(text[:256]).decode()


class TextFormatter(logging.Formatter):
    """``time level logger message``; access lines as ``key=value`` pairs."""

    def format(self, record: logging.LogRecord) -> str:
        fields = getattr(record, "fields", None)
        if fields:
            message = " ".join(f"{k}={_shown(v)}" for k, v in fields.items() if v != "")
        else:
            message = record.getMessage()
        line = f"{_iso(record.created)} {record.levelname.lower()} {record.name} {message}"
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


def configure_logging(config: Config) -> None:
    """Send every log (relchain's, uvicorn's) to stderr in ``config.log_format``."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if config.log_format == "json" else TextFormatter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(config.log_level.upper())
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True
    ACCESS.disabled = not config.access_log
