"""Apps: SDKAppID, secret key, admins (a JSON array) and settings (a JSON object)."""

from __future__ import annotations

import orjson

from relchain.domain.apps import App, AppSettings
from relchain.storage._base import TxBase
from relchain.storage.db import Row

__all__ = ["AppsMixin"]


def _app(row: Row) -> App:
    return App(
        sdkappid=row[0],
        key=row[1],
        admins=tuple(orjson.loads(row[2])),
        settings=AppSettings.from_json(orjson.loads(row[3])),
    )


def _columns(app: App) -> tuple[int, str, str, str]:
    """sdkappid, key, admins and settings as stored."""
    admins = orjson.dumps(list(app.admins)).decode()
    return app.sdkappid, app.key, admins, orjson.dumps(app.settings.to_json()).decode()


class AppsMixin(TxBase):
    async def get_app(self, sdkappid: int) -> App | None:
        row = await self.db.fetchrow(self.sql.get_app, sdkappid)
        return _app(row) if row is not None else None

    async def list_apps(self) -> list[App]:
        return [_app(row) for row in await self.db.fetch(self.sql.list_apps)]

    async def create_app(self, app: App, now: int) -> None:
        await self.db.execute(self.sql.create_app, *_columns(app), now)
        await self._start_webhooks(app)

    async def save_app(self, app: App) -> None:
        await self.db.execute(self.sql.save_app, *_columns(app))
        await self._start_webhooks(app)

    async def _start_webhooks(self, app: App) -> None:
        """The webhook cursor follows ``callback_url``, in the transaction that sets it: the
        first URL starts it after the newest event committed (the events after this change are
        sent, none before; PostgreSQL: not below its reading horizon, which may lag behind),
        emptying the URL removes it."""
        if app.settings.callback_url:
            start = await self.db.fetchval(self.sql.webhook_start, app.sdkappid)
            await self.db.execute(self.sql.ensure_webhook_cursor, app.sdkappid, int(start or 0))
        else:
            await self.db.execute(self.sql.drop_webhook_cursor, app.sdkappid)

    async def delete_app(self, sdkappid: int) -> dict[str, int]:
        deleted = {}
        tables = [str(row[0]) for row in await self.db.fetch(self.sql.app_tables)]
        for table in [*tables, "apps"]:  # the tables of later migrations too
            where = f'"{table}" WHERE sdkappid = {self.sql.app_param}'
            deleted[table] = int(await self.db.fetchval(f"SELECT count(*) FROM {where}", sdkappid))
            await self.db.execute(f"DELETE FROM {where}", sdkappid)
        return deleted
