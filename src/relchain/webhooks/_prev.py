"""The before-callbacks (``Sns.CallbackPrevFriendAdd``, ``Sns.CallbackPrevFriendResponse``):
asked synchronously, before anything is written, for requests users make themselves (the user
gateway); the REST API never asks them (Tencent's rule)."""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence

import orjson

from relchain.domain.apps import App
from relchain.domain.callbacks import PREV_FAILED_CODE, CallbackCommand
from relchain.domain.events import Origin
from relchain.ports import CallbackSender, Clock
from relchain.webhooks._payloads import (
    PrevFriendItem,
    callback_query,
    prev_friend_add_body,
    prev_friend_response_body,
    prev_vetoes,
)

__all__ = ["PrevCallbacks", "Vetoes"]

log = logging.getLogger("relchain.webhooks")

Vetoes = dict[str, tuple[int, str]]  # vetoed account -> (ResultCode, ResultInfo)


class PrevCallbacks:
    """Asks an app's before-callbacks; ``on_failure`` (if given) is told the command of every
    callback that failed (for metrics)."""

    def __init__(
        self,
        sender: CallbackSender | None,
        clock: Clock,
        on_failure: Callable[[str], None] | None = None,
    ) -> None:
        self.sender = sender
        self.clock = clock
        self.on_failure = on_failure

    async def friend_add(
        self,
        app: App,
        origin: Origin,
        user: str,
        items: Sequence[PrevFriendItem],
        *,
        add_type: str,
        force: int,
    ) -> Vetoes:
        """The items the app vetoes (``Sns.CallbackPrevFriendAdd``); ``{}`` when not asked."""
        command = CallbackCommand.PREV_FRIEND_ADD
        if not self._asks(app, origin, command) or not items:
            return {}
        now_ms = int(self.clock.now() * 1000)
        body = prev_friend_add_body(user, items, add_type, force, now_ms)
        return await self._ask(app, origin, command, body, [i.to for i in items])

    async def friend_response(
        self, app: App, origin: Origin, user: str, items: Sequence[PrevFriendItem]
    ) -> Vetoes:
        """The responses the app vetoes (``Sns.CallbackPrevFriendResponse``)."""
        command = CallbackCommand.PREV_FRIEND_RESPONSE
        if not self._asks(app, origin, command) or not items:
            return {}
        now_ms = int(self.clock.now() * 1000)
        body = prev_friend_response_body(user, items, now_ms)
        return await self._ask(app, origin, command, body, [i.to for i in items])

    def _asks(self, app: App, origin: Origin, command: str) -> bool:
        return (
            self.sender is not None
            and origin.user_initiated
            and app.settings.callback_enabled(command)
        )

    async def _ask(
        self,
        app: App,
        origin: Origin,
        command: str,
        body: dict[str, object],
        accounts: list[str],
    ) -> Vetoes:
        assert self.sender is not None
        settings = app.settings
        query = callback_query(
            app.sdkappid,
            command,
            origin,
            token=settings.callback_token,
            request_time=int(self.clock.now()),
        )
        answer = await self.sender.post(
            settings.callback_url, query, orjson.dumps(body), settings.callback_timeout_ms / 1000
        )
        result = prev_vetoes(answer, accounts)
        if not isinstance(result, str):
            return {
                account: (code, info or f"vetoed by the app's {command}")
                for account, (code, info) in result.items()
            }
        policy = settings.callback_prev_on_failure
        log.warning(
            "app %s: %s failed (%s); callback_prev_on_failure=%s",
            app.sdkappid,
            command,
            result,
            policy,
        )
        if self.on_failure is not None:
            self.on_failure(command)
        if policy != "deny":
            return {}
        info = f"{command} failed ({result}) and callback_prev_on_failure is deny"
        return dict.fromkeys(accounts, (PREV_FAILED_CODE, info))
