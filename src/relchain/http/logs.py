"""Logging: the server log (the standard ``logging``) and the access log (one line per API
request), both to stderr as text or JSON lines.

The access log never holds a UserSig, a key or a body: only the path, the app, the caller's
identifier, the answer's ``ErrorCode``, the duration and the request id. A client's
``X-Request-ID`` (1..128 characters of ``A-Z a-z 0-9 . _ : -``) is used as the request id;
otherwise one is made (a per-process random prefix and a counter). Either way it is returned in
the ``X-Request-ID`` header of the answer.

The access log is on the path of every request, so it does not go through ``logging`` (a
record, a caller look-up and a flush cost about 30 us, a third of the cheapest call): its
:class:`AccessLog` formats the line itself (the time string is made once a second) and writes
the lines of up to 10 ms together, in one write (a crash can lose those 10 ms of access lines;
the server log is written at once).
"""

from __future__ import annotations

import asyncio
import itertools
import logging
import re
import secrets
import sys
import time
from typing import Any, TextIO

import orjson

from relchain.config import Config

__all__ = [
    "ACCESS_LOGGER",
    "AccessLog",
    "HideUserSig",
    "JsonFormatter",
    "TextFormatter",
    "configure_logging",
    "request_id_of",
]

ACCESS_LOGGER = "relchain.access"  # the name access lines carry (they bypass ``logging``)
FLUSH_SECONDS = 0.01
FLUSH_LINES = 512
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
    """One JSON object a line: ``time``, ``level``, ``logger``, ``message`` and ``exception``
    (a traceback, as one string)."""

    def format(self, record: logging.LogRecord) -> str:
        data: dict[str, Any] = {
            "time": _iso(record.created),
            "level": record.levelname.lower(),
            "logger": record.name,
        }
        data["message"] = record.getMessage()
        if record.exc_info:
            data["exception"] = self.formatException(record.exc_info)
        return orjson.dumps(data, default=str).decode()


def _shown(value: object) -> str:
    """A value of a ``key=value`` pair: as is when plain, else JSON-quoted (a client's text
    can never start a new log line or fake another field)."""
    if not isinstance(value, str):
        return str(value)
    if (
        value.isascii()
        and value.isprintable()
        and " " not in value
        and "=" not in value
        and '"' not in value
        and len(value) <= 128
    ):
        return value
    return orjson.dumps(value[:256]).decode()


def text_line(fields: dict[str, Any]) -> str:
    return " ".join(
        f"{k}={_shown(v) if type(v) is str else v}" for k, v in fields.items() if v != ""
    )


class TextFormatter(logging.Formatter):
    """``time level logger message`` (and a traceback on the following lines)."""

    def format(self, record: logging.LogRecord) -> str:
        message = record.getMessage()
        line = f"{_iso(record.created)} {record.levelname.lower()} {record.name} {message}"
        if record.exc_info:
            line += "\n" + self.formatException(record.exc_info)
        return line


_USERSIG = re.compile(r"(usersig=)[^&\s\"']*", re.IGNORECASE)


class HideUserSig(logging.Filter):
    """Blanks the value of every ``usersig=`` in a record's message (uvicorn's WebSocket lines
    hold the request's query; a third-party message may quote a URL)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        if "usersig=" in message.lower():
            record.msg, record.args = _USERSIG.sub(r"\1***", message), None
        return True


def configure_logging(config: Config) -> None:
    """Send every log (relchain's, uvicorn's but its access lines) to stderr in
    ``config.log_format``."""
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(JsonFormatter() if config.log_format == "json" else TextFormatter())
    handler.addFilter(HideUserSig())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(config.log_level.upper())
    for name in ("uvicorn", "uvicorn.error"):
        logging.getLogger(name).handlers.clear()
        logging.getLogger(name).propagate = True
    # uvicorn's access lines hold the whole URL, UserSig included: never let one through
    # (relchain writes its own, :class:`AccessLog`). A worker process of ``--workers N`` calls
    # this after uvicorn configured its loggers, so it must not turn them back on.
    uvicorn_access = logging.getLogger("uvicorn.access")
    uvicorn_access.handlers.clear()
    uvicorn_access.propagate = False
    uvicorn_access.disabled = True


class AccessLog:
    """Access lines to stderr (or ``stream``), text or JSON, written every :data:`FLUSH_SECONDS`
    (or at once past :data:`FLUSH_LINES` lines)."""

    def __init__(self, json_lines: bool = False, stream: TextIO | None = None) -> None:
        self.json_lines = json_lines
        self._stream = stream  # None: sys.stderr at the time of writing (tests swap it)
        self._pending: list[str] = []
        self._second = -1
        self._stamp = ""

    def _time(self) -> str:
        now = time.time()
        second = int(now)
        if second != self._second:
            self._second = second
            self._stamp = time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(second))
        return f"{self._stamp}.{int(now % 1 * 1000):03d}Z"

    def write(self, fields: dict[str, Any]) -> None:
        """One request's line (written within :data:`FLUSH_SECONDS`)."""
        if self.json_lines:
            head = {"time": self._time(), "level": "info", "logger": ACCESS_LOGGER}
            line = orjson.dumps({**head, **fields}, default=str).decode()
        else:
            line = f"{self._time()} info {ACCESS_LOGGER} {text_line(fields)}"
        if not self._pending:
            try:
                asyncio.get_running_loop().call_later(FLUSH_SECONDS, self.flush)
            except RuntimeError:  # no loop: write at once
                self._pending.append(line)
                self.flush()
                return
        self._pending.append(line)
        if len(self._pending) >= FLUSH_LINES:
            self.flush()

    def flush(self) -> None:
        if not self._pending:
            return
        stream = self._stream or sys.stderr
        lines, self._pending = self._pending, []
        stream.write("\n".join(lines) + "\n")
        stream.flush()
