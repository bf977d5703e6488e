"""Apps: SDKAppID, secret key, admins (JSONB array), settings (JSONB object)."""

from __future__ import annotations

from typing import Any

import orjson

from relchain.domain.apps import App, AppSettings
from relchain.storage.postgres._base import PostgresBase

__all__ = ["AppsMixin"]

COLUMNS = "sdkappid, secret_key, admins::text, settings::text"


def _row_to_app(row: Any) -> App:
    return App(
        sdkappid=int(row[0]),
        key=str(row[1]),
        admins=tuple(orjson.loads(row[2])),
        settings=AppSettings.from_json(orjson.loads(row[3])),
    )


def _json(value: Any) -> str:
    return orjson.dumps(value).decode()


class AppsMixin(PostgresBase):
    async def get_app(self, sdkappid: int) -> App | None:
        row = await self.conn.fetchrow(f"SELECT {COLUMNS} FROM apps WHERE sdkappid = $1", sdkappid)
        return _row_to_app(row) if row is not None else None

    async def list_apps(self) -> list[App]:
        rows = await self.conn.fetch(f"SELECT {COLUMNS} FROM apps ORDER BY sdkappid")
        return [_row_to_app(row) for row in rows]

    async def create_app(self, app: App, now: int) -> None:
        await self.conn.execute(
            "INSERT INTO apps (sdkappid, secret_key, admins, settings, created_at)"
            " VALUES ($1, $2, $3::jsonb, $4::jsonb, $5)",
            app.sdkappid,
            app.key,
            _json(list(app.admins)),
            _json(app.settings.to_json()),
            now,
        )

    async def save_app(self, app: App) -> None:
        await self.conn.execute(
            "UPDATE apps SET secret_key = $2, admins = $3::jsonb, settings = $4::jsonb"
            " WHERE sdkappid = $1",
            app.sdkappid,
            app.key,
            _json(list(app.admins)),
            _json(app.settings.to_json()),
        )
