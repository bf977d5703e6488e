"""Server settings: one documented table; the only module that reads ``os.environ``.

Each setting is written once, as a field of :class:`Config`: its default, environment variable,
limits and help. :data:`SETTINGS` is read from those fields, and from it come the ``relchain
serve`` flags (``--name-with-dashes``), :func:`load_config` and ``docs/configuration.md``
(generated; a test checks that it is current). A flag wins over the variable, the variable over
the default. A bad value is a :class:`ConfigError` naming the flag or variable, in one line.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, fields
from typing import Any

__all__ = ["SETTINGS", "Config", "ConfigError", "Setting", "load_config", "redact_url"]

TRUE_WORDS = frozenset({"true", "1", "on", "yes"})
FALSE_WORDS = frozenset({"false", "0", "off", "no"})


class ConfigError(ValueError):
    """A setting's value is wrong; the message names the flag or variable and says why."""


@dataclass(frozen=True, slots=True)
class Setting:
    """One server setting, as declared on :class:`Config`."""

    name: str
    env: str
    default: Any
    help: str
    low: float | None = None
    high: float | None = None
    choices: tuple[str, ...] = ()
    schemes: tuple[str, ...] = ()  # URL settings: the schemes allowed (empty value allowed too)

    @property
    def flag(self) -> str:
        return "--" + self.name.replace("_", "-")

    @property
    def kind(self) -> type:
        return type(self.default)

    @property
    def metavar(self) -> str:
        if self.choices:
            return "[" + "|".join(self.choices) + "]"
        if self.schemes:
            return "URL"
        return {int: "INTEGER", float: "SECONDS", str: "TEXT"}.get(self.kind, "VALUE")

    def parse(self, raw: str, source: str) -> Any:
        """``raw`` text (from ``source``: the flag or the variable) as this setting's value."""
        kind = self.kind
        text = raw.strip()
        value: Any
        if kind is bool:
            if text.lower() not in TRUE_WORDS | FALSE_WORDS:
                raise ConfigError(f"{source}: expected true or false, got {raw!r}")
            value = text.lower() in TRUE_WORDS
        elif kind is int:
            if not re.fullmatch(r"[+-]?\d{1,18}", text):
                raise ConfigError(f"{source}: expected a whole number, got {raw!r}")
            value = int(text)
        elif kind is float:
            try:
                value = float(text) if len(text) <= 32 else math.nan
            except ValueError:
                value = math.nan
            if not math.isfinite(value):
                raise ConfigError(f"{source}: expected a number of seconds, got {raw!r}")
        else:
            value = raw
        return self.check(value, source)

    def check(self, value: Any, source: str) -> Any:
        """``value`` if it is allowed, else :class:`ConfigError`."""
        if self.low is not None and value < self.low:
            raise ConfigError(f"{source}: must be at least {_num(self.low)}, got {_num(value)}")
        if self.high is not None and value > self.high:
            raise ConfigError(f"{source}: must be at most {_num(self.high)}, got {_num(value)}")
        if self.choices and value not in self.choices:
            raise ConfigError(f"{source}: must be one of {', '.join(self.choices)}, got {value!r}")
        if self.schemes and value:
            scheme = value.split("://", 1)[0] if "://" in value else ""
            if scheme not in self.schemes:
                raise ConfigError(
                    f"{source}: must be a URL starting with "
                    f"{' or '.join(s + '://' for s in self.schemes)}, got {redact_url(value)!r}"
                )
        return value


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _setting(default: Any, env: str, help: str, **limits: Any) -> Any:
    """A :class:`Config` field: its default and, as metadata, the rest of its :class:`Setting`."""
    return field(default=default, metadata={"env": env, "help": help, **limits})


@dataclass(frozen=True, slots=True)
class Config:
    """Every server setting (see :data:`SETTINGS`, docs/configuration.md)."""

    database: str = _setting(
        "sqlite:///./relchain.db",
        "RELCHAIN_DATABASE_URL",
        "Database URL: `sqlite:///path/to/file.db` or `postgresql://user@host/db`.",
        schemes=("sqlite", "postgresql", "postgres"),
    )
    host: str = _setting("127.0.0.1", "RELCHAIN_HOST", "Address `relchain serve` listens on.")
    port: int = _setting(
        8080, "RELCHAIN_PORT", "TCP port `relchain serve` listens on.", low=1, high=65535
    )
    workers: int = _setting(
        1,
        "RELCHAIN_WORKERS",
        "Server processes, one per core. On SQLite they share the file: each reads on its "
        "own, writers take turns (see docs/deployment.md).",
        low=1,
        high=512,
    )
    redis: str = _setting(
        "",
        "RELCHAIN_REDIS_URL",
        "Redis URL for rate-limit state shared by every process; empty = per process.",
        schemes=("redis", "rediss", "unix"),
    )
    max_body_bytes: int = _setting(
        1048576,
        "RELCHAIN_MAX_BODY_BYTES",
        "Largest request body accepted; a larger one gets 60003 (the rest is read and dropped "
        "for up to `body_timeout` so the client sees the answer).",
        low=1024,
        high=1 << 30,
    )
    app_cache_seconds: float = _setting(
        2.0,
        "RELCHAIN_APP_CACHE_SECONDS",
        "How long a process keeps an app's key, admins and settings before re-reading them.",
        low=0,
        high=3600,
    )
    header_timeout: float = _setting(
        10.0,
        "RELCHAIN_HEADER_TIMEOUT",
        "Seconds a connection has to send a complete request head (from its opening or from "
        "the end of its previous answer); then it is closed.",
        low=0.1,
        high=3600,
    )
    body_timeout: float = _setting(
        30.0,
        "RELCHAIN_BODY_TIMEOUT",
        "Seconds a request has to send its whole body after its head; then the connection is "
        "closed (a slow client cannot hold a request open).",
        low=0.1,
        high=3600,
    )
    keep_alive_timeout: float = _setting(
        5.0,
        "RELCHAIN_KEEP_ALIVE_TIMEOUT",
        "Seconds an idle keep-alive connection is kept open after an answer.",
        low=0.1,
        high=3600,
    )
    max_connections: int = _setting(
        0,
        "RELCHAIN_MAX_CONNECTIONS",
        "Open connections per process; beyond it the longest-idle connection is closed to make "
        "room. 0 = the open-file limit (raised to its hard limit at start) less 10% and 64 "
        "spare descriptors.",
        low=0,
        high=1_000_000,
    )
    shutdown_timeout: float = _setting(
        10.0,
        "RELCHAIN_SHUTDOWN_TIMEOUT",
        "On SIGTERM or Ctrl-C: seconds to finish the requests in flight before exiting.",
        low=0,
        high=3600,
    )
    gateway_idle_seconds: float = _setting(
        120.0,
        "RELCHAIN_GATEWAY_IDLE_SECONDS",
        "User gateway: a WebSocket that sends no frame for this long is closed (the Web SDK "
        "sends a heartbeat every 10 s of silence).",
        low=1,
        high=86400,
    )
    gateway_max_frame_bytes: int = _setting(
        1048576,
        "RELCHAIN_GATEWAY_MAX_FRAME_BYTES",
        "User gateway: largest WebSocket frame accepted; a larger one closes the socket (1009).",
        low=1024,
        high=64 << 20,
    )
    console_session_seconds: int = _setting(
        28800,
        "RELCHAIN_CONSOLE_SESSION_SECONDS",
        "How long a web console session lasts (never longer than the UserSig it was opened with).",
        low=60,
        high=30 * 86400,
    )
    metrics: bool = _setting(
        True,
        "RELCHAIN_METRICS",
        "Serve Prometheus metrics at `GET /metrics` (see docs/operations.md).",
    )
    access_log: bool = _setting(
        True,
        "RELCHAIN_ACCESS_LOG",
        "One log line per request (logger `relchain.access`, level info).",
    )
    log_format: str = _setting(
        "text",
        "RELCHAIN_LOG_FORMAT",
        "`text` or `json` (one JSON object a line) for the server and access logs.",
        choices=("text", "json"),
    )
    log_level: str = _setting(
        "info",
        "RELCHAIN_LOG_LEVEL",
        "debug, info, warning or error.",
        choices=("debug", "info", "warning", "error"),
    )

    def __repr__(self) -> str:
        shown = []
        for setting in SETTINGS:
            value = getattr(self, setting.name)
            if setting.schemes:
                value = redact_url(value)
            shown.append(f"{setting.name}={value!r}")
        return f"Config({', '.join(shown)})"

    def to_env(self) -> dict[str, str]:
        """The environment that makes :func:`load_config` return this config (for workers)."""
        out = {}
        for setting in SETTINGS:
            value = getattr(self, setting.name)
            out[setting.env] = (
                ("true" if value else "false") if isinstance(value, bool) else str(value)
            )
        return out


SETTINGS: tuple[Setting, ...] = tuple(
    Setting(name=f.name, default=f.default, **f.metadata) for f in fields(Config)
)


def redact_url(url: str) -> str:
    """A URL with its password replaced by ``***``, for logs and messages."""
    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)


def load_config(
    overrides: Mapping[str, Any] | None = None,
    environ: Mapping[str, str] | None = None,
    names: Collection[str] | None = None,
) -> Config:
    """Defaults, then ``RELCHAIN_*`` variables, then non-None ``overrides`` (CLI flags: text as
    typed, or values already of the setting's type). Raises :class:`ConfigError`.

    With ``names``, only those settings are read (a command that needs only the database is not
    stopped by a bad ``RELCHAIN_PORT``); the others keep their defaults.
    """
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        value: Any = setting.default
        if names is not None and setting.name not in names:
            values[setting.name] = value
            continue
        if setting.env in env:
            value = setting.parse(env[setting.env], setting.env)
        given = overrides.get(setting.name) if overrides else None
        if isinstance(given, str):
            value = setting.parse(given, setting.flag)
        elif given is not None:
            value = setting.check(given, setting.flag)
        values[setting.name] = value
    return Config(**values)
