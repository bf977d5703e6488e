"""Creating, changing and deleting apps (SDKAppIDs). Every refusal is a ``ValueError`` whose text
says what is wrong (the command line prints it as is)."""

from __future__ import annotations

import secrets
from collections.abc import Callable, Collection
from dataclasses import replace

from relchain.domain.apps import App, key_problem
from relchain.services._base import ServiceBase

__all__ = ["AppService"]

FIRST_GENERATED_SDKAPPID = 1400000000


def new_key() -> str:
    return secrets.token_hex(32)


class AppService(ServiceBase):
    async def create(
        self, sdkappid: int | None = None, key: str | None = None, admin: str = "administrator"
    ) -> App:
        """Create an app; a random SDKAppID and 64-hex-digit key when not given."""
        if key is not None and key_problem(key):
            raise ValueError(f"key: {key_problem(key)}")
        if sdkappid is not None and not 1 <= sdkappid <= 2**63 - 1:
            raise ValueError(f"sdkappid: must be 1..{2**63 - 1}, got {sdkappid}")
        app = App(sdkappid=sdkappid or 0, key=key or new_key(), admins=())
        app = app.with_admin(admin, present=True)
        async with self.store.write() as tx:
            if sdkappid is None:
                existing = {app.sdkappid for app in await tx.list_apps()}
                sdkappid = FIRST_GENERATED_SDKAPPID + secrets.randbelow(99_999_999)
                while sdkappid in existing:
                    sdkappid = FIRST_GENERATED_SDKAPPID + secrets.randbelow(99_999_999)
            elif await tx.get_app(sdkappid) is not None:
                raise ValueError(f"an app with sdkappid {sdkappid} exists already")
            app = replace(app, sdkappid=sdkappid)
            await tx.create_app(app, self.now())
        return app

    async def get(self, sdkappid: int) -> App | None:
        async with self.read_one() as tx:  # one statement
            return await tx.get_app(sdkappid)

    async def list(self) -> list[App]:
        async with self.store.read() as tx:
            return await tx.list_apps()

    async def _change(self, sdkappid: int, change: Callable[[App], App]) -> App:
        async with self.store.write() as tx:
            app = _require(await tx.get_app(sdkappid), sdkappid)
            changed = change(app)
            if changed != app:
                await tx.save_app(changed)
        return changed

    async def set_setting(
        self, sdkappid: int, name: str, raw: str, commands: Collection[str]
    ) -> App:
        """Change one setting from text; ``commands`` are the API commands that exist."""
        return await self._change(
            sdkappid,
            lambda app: replace(app, settings=app.settings.with_setting(name, raw, commands)),
        )

    async def add_tag(self, sdkappid: int, kind: str, tag: str) -> App:
        """Register a custom tag (``kind`` = ``profile`` or ``sns``; ``Keyword`` or full name)."""
        return await self._change(
            sdkappid,
            lambda app: replace(app, settings=app.settings.with_tag(kind, tag, present=True)),
        )

    async def remove_tag(self, sdkappid: int, kind: str, tag: str) -> App:
        """Unregister a custom tag; stored values stay (registering it again shows them)."""
        return await self._change(
            sdkappid,
            lambda app: replace(app, settings=app.settings.with_tag(kind, tag, present=False)),
        )

    async def add_admin(self, sdkappid: int, admin: str) -> App:
        return await self._change(sdkappid, lambda app: app.with_admin(admin, present=True))

    async def remove_admin(self, sdkappid: int, admin: str) -> App:
        return await self._change(sdkappid, lambda app: app.with_admin(admin, present=False))

    async def rotate_key(self, sdkappid: int, key: str | None = None) -> App:
        """Give the app a new secret key (random when not given): UserSigs signed with the old
        key stop working once servers re-read the app (``app_cache_seconds``)."""
        if key is not None and key_problem(key):
            raise ValueError(f"key: {key_problem(key)}")
        chosen = key or new_key()
        return await self._change(sdkappid, lambda app: replace(app, key=chosen))

    async def delete(self, sdkappid: int) -> dict[str, int]:
        """Delete the app and every row of its data; returns the rows deleted per table."""
        async with self.store.write() as tx:
            _require(await tx.get_app(sdkappid), sdkappid)
            return await tx.delete_app(sdkappid)


def _require(app: App | None, sdkappid: int) -> App:
    if app is None:
        raise ValueError(f"no app with sdkappid {sdkappid}")
    return app
