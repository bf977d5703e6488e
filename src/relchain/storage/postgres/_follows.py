"""Follow edges, mutual edges and counters (issue 3): not yet on PostgreSQL.

The SQLite backend has them; the port (tables in migration 0002, ``add_follows`` etc. as in
``ports.FollowsTx``) is the next step of issue 5. Until then every follow method of a PostgreSQL
transaction raises :class:`NotImplementedError`, which the API answers with the service's
internal code, and ``purge_follows`` has nothing to purge.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from relchain.storage.postgres._base import PostgresBase

__all__ = ["FollowsMixin", "NotPorted"]


class NotPorted:
    """Stands in for the methods of an area not yet ported to PostgreSQL."""

    area = "this area"

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        raise NotImplementedError(f"{name}: {self.area} are not yet available on PostgreSQL")


class FollowsMixin(PostgresBase):
    async def purge_follows(self, sdkappid: int, user_ids: Sequence[str]) -> None:
        return None  # no follow tables on PostgreSQL yet
