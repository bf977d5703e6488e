"""Creating and changing apps (SDKAppIDs)."""

from __future__ import annotations

import secrets
from dataclasses import replace

from relchain.domain.apps import App
from relchain.services._base import ServiceBase

__all__ = ["AppService"]

FIRST_GENERATED_SDKAPPID = 1400000000


class AppService(ServiceBase):
    async def create(
        self, sdkappid: int | None = None, key: str | None = None, admin: str = "administrator"
    ) -> App:
        """Create an app; a random SDKAppID and 64-hex-digit key when not given."""
        async with self.store.write() as tx:
            if sdkappid is None:
                existing = {app.sdkappid for app in await tx.list_apps()}
                sdkappid = FIRST_GENERATED_SDKAPPID + secrets.randbelow(99_999_999)
                while sdkappid in existing:
                    sdkappid = FIRST_GENERATED_SDKAPPID + secrets.randbelow(99_999_999)
            elif await tx.get_app(sdkappid) is not None:
                raise ValueError(f"an app with sdkappid {sdkappid} exists already")
            app = App(sdkappid=sdkappid, key=key or secrets.token_hex(32), admins=(admin,))
            await tx.create_app(app, self.now())
        return app

    async def get(self, sdkappid: int) -> App | None:
        async with self.store.read() as tx:
            return await tx.get_app(sdkappid)

    async def list(self) -> list[App]:
        async with self.store.read() as tx:
            return await tx.list_apps()

    async def set_setting(self, sdkappid: int, name: str, raw: str) -> App:
        """Change one setting from text; ``ValueError`` says what is wrong."""
        async with self.store.write() as tx:
            app = _require(await tx.get_app(sdkappid), sdkappid)
            app = replace(app, settings=app.settings.with_setting(name, raw))
            await tx.save_app(app)
        return app

    async def add_tag(self, sdkappid: int, kind: str, tag: str) -> App:
        """Register a custom tag (``kind`` = ``profile`` or ``sns``)."""
        prefix = {"profile": "Tag_Profile_Custom_", "sns": "Tag_SNS_Custom_"}[kind]
        if not tag.startswith(prefix):
            tag = prefix + tag
        keyword = tag.removeprefix(prefix)
        if not (keyword.isascii() and keyword.isalpha() and 1 <= len(keyword) <= 8):
            raise ValueError(f"tag keyword must be 1..8 letters, got {keyword!r}")
        async with self.store.write() as tx:
            app = _require(await tx.get_app(sdkappid), sdkappid)
            settings = app.settings
            if kind == "profile" and tag not in settings.custom_profile_tags:
                settings = replace(
                    settings, custom_profile_tags=(*settings.custom_profile_tags, tag)
                )
            elif kind == "sns" and tag not in settings.custom_sns_tags:
                settings = replace(settings, custom_sns_tags=(*settings.custom_sns_tags, tag))
            if settings != app.settings:
                app = replace(app, settings=settings)
                await tx.save_app(app)
        return app

    async def add_admin(self, sdkappid: int, admin: str) -> App:
        async with self.store.write() as tx:
            app = _require(await tx.get_app(sdkappid), sdkappid)
            if admin not in app.admins:
                app = replace(app, admins=(*app.admins, admin))
                await tx.save_app(app)
        return app


def _require(app: App | None, sdkappid: int) -> App:
    if app is None:
        raise ValueError(f"no app with sdkappid {sdkappid}")
    return app
