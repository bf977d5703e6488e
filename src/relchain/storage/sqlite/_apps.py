"""Apps: SDKAppID, secret key, admins, settings."""

from __future__ import annotations

import orjson

from relchain.domain.apps import App, AppSettings
from relchain.storage.sqlite._base import SQLiteBase

__all__ = ["AppsMixin"]


def _row_to_app(row: tuple[int, str, str, str]) -> App:
    return App(
        sdkappid=int(row[0]),
        key=row[1],
        admins=tuple(orjson.loads(row[2])),
        settings=AppSettings.from_json(orjson.loads(row[3])),
    )


class AppsMixin(SQLiteBase):
    async def get_app(self, sdkappid: int) -> App | None:
        row = self.conn.execute(
            "SELECT sdkappid, secret_key, admins, settings FROM apps WHERE sdkappid = ?",
            (sdkappid,),
        ).fetchone()
        return _row_to_app(row) if row else None

    async def list_apps(self) -> list[App]:
        rows = self.conn.execute(
            "SELECT sdkappid, secret_key, admins, settings FROM apps ORDER BY sdkappid"
        ).fetchall()
        return [_row_to_app(row) for row in rows]

    async def create_app(self, app: App, now: int) -> None:
        self.conn.execute(
            "INSERT INTO apps (sdkappid, secret_key, admins, settings, created_at) "
            "VALUES (?, ?, ?, ?, ?)",
            (
                app.sdkappid,
                app.key,
                orjson.dumps(list(app.admins)).decode(),
                orjson.dumps(app.settings.to_json()).decode(),
                now,
            ),
        )

    async def save_app(self, app: App) -> None:
        self.conn.execute(
            "UPDATE apps SET secret_key = ?, admins = ?, settings = ? WHERE sdkappid = ?",
            (
                app.key,
                orjson.dumps(list(app.admins)).decode(),
                orjson.dumps(app.settings.to_json()).decode(),
                app.sdkappid,
            ),
        )
