"""Versioned schema migrations, one folder per backend, files named ``NNNN_name.sql``."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import resources

__all__ = ["Migration", "migrations_for"]


@dataclass(frozen=True, slots=True)
class Migration:
    version: int
    name: str
    sql: str


def migrations_for(backend: str) -> list[Migration]:
    """Every migration of ``backend`` (``sqlite`` or ``postgres``), oldest first."""
    folder = resources.files(__package__).joinpath(backend)
    found = []
    for entry in folder.iterdir():
        if entry.name.endswith(".sql"):
            number, _, rest = entry.name.partition("_")
            found.append(Migration(int(number), rest.removesuffix(".sql"), entry.read_text()))
    return sorted(found, key=lambda m: m.version)
