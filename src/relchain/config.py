"""Server settings: one documented table; the only module that reads ``os.environ``.

Each setting has a command-line flag of ``relchain serve`` and an environment variable; the
flag wins over the variable, the variable over the default. ``docs/configuration.md`` is
generated from :data:`SETTINGS` (a test checks that it is current).
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["SETTINGS", "Config", "Setting", "load_config", "redact_url"]


@dataclass(frozen=True, slots=True)
class Setting:
    name: str
    env: str
    default: Any
    help: str


SETTINGS: tuple[Setting, ...] = (
    Setting(
        "database",
        "RELCHAIN_DATABASE_URL",
        "sqlite:///./relchain.db",
        "Database URL: `sqlite:///path/to/file.db` or `postgresql://user@host/db`.",
    ),
    Setting("host", "RELCHAIN_HOST", "127.0.0.1", "Address `relchain serve` listens on."),
    Setting("port", "RELCHAIN_PORT", 8080, "TCP port `relchain serve` listens on."),
    Setting(
        "workers",
        "RELCHAIN_WORKERS",
        1,
        "Server processes. On SQLite keep 1 (one writer); on PostgreSQL use one per core.",
    ),
    Setting(
        "redis",
        "RELCHAIN_REDIS_URL",
        "",
        "Redis URL for rate-limit counters shared by every process; empty = per process.",
    ),
    Setting(
        "max_body_bytes",
        "RELCHAIN_MAX_BODY_BYTES",
        1048576,
        "Largest request body accepted; a larger one gets 60003 without being read.",
    ),
    Setting(
        "app_cache_seconds",
        "RELCHAIN_APP_CACHE_SECONDS",
        2.0,
        "How long a process keeps an app's key, admins and settings before re-reading them.",
    ),
    Setting("log_level", "RELCHAIN_LOG_LEVEL", "info", "debug, info, warning or error."),
    Setting(
        "gateway_idle_seconds",
        "RELCHAIN_GATEWAY_IDLE_SECONDS",
        120.0,
        "User gateway: a WebSocket that sends no frame for this long is closed (the Web SDK "
        "sends a heartbeat every 10 s of silence).",
    ),
    Setting(
        "gateway_max_frame_bytes",
        "RELCHAIN_GATEWAY_MAX_FRAME_BYTES",
        1048576,
        "User gateway: largest WebSocket frame accepted; a larger one closes the socket (1009).",
    ),
)


@dataclass(frozen=True, slots=True)
class Config:
    database: str = "sqlite:///./relchain.db"
    host: str = "127.0.0.1"
    port: int = 8080
    workers: int = 1
    redis: str = ""
    max_body_bytes: int = 1048576
    app_cache_seconds: float = 2.0
    log_level: str = "info"
    gateway_idle_seconds: float = 120.0
    gateway_max_frame_bytes: int = 1048576

    def __repr__(self) -> str:
        return (
            f"Config(database={redact_url(self.database)!r}, host={self.host!r}, "
            f"port={self.port}, workers={self.workers}, redis={redact_url(self.redis)!r})"
        )

    def to_env(self) -> dict[str, str]:
        """The environment that makes :func:`load_config` return this config (for workers)."""
        return {s.env: str(getattr(self, s.name)) for s in SETTINGS}


def redact_url(url: str) -> str:
    """A URL with its password replaced by ``***``, for logs and messages."""
    return re.sub(r"(://[^:/@]+:)[^@]*@", r"\1***@", url)


def load_config(
    overrides: Mapping[str, Any] | None = None, environ: Mapping[str, str] | None = None
) -> Config:
    """Defaults, then ``RELCHAIN_*`` variables, then non-None ``overrides`` (CLI flags)."""
    env = os.environ if environ is None else environ
    values: dict[str, Any] = {}
    for setting in SETTINGS:
        value: Any = setting.default
        if setting.env in env:
            raw = env[setting.env]
            try:
                value = type(setting.default)(raw)
            except ValueError:
                raise ValueError(
                    f"{setting.env}: cannot read {raw!r} as a {type(setting.default).__name__}"
                ) from None
        if overrides and overrides.get(setting.name) is not None:
            value = overrides[setting.name]
        values[setting.name] = value
    return Config(**values)
