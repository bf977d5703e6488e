"""Pending friend requests: list, accept, reject (the user side of NeedConfirm adds)."""

from __future__ import annotations

from relchain.domain.changes import FRIEND_RESPONSE, friend_events, request_events
from relchain.domain.events import REST, EventKind, NewEvent, Origin
from relchain.domain.sns.plan import SnsChanges, SnsOutcome
from relchain.domain.sns.requests import FriendRequest
from relchain.domain.sns.rules import SnsLimits
from relchain.ports import Tx
from relchain.services._base import ServiceBase

__all__ = ["RequestService"]


class RequestService(ServiceBase):
    async def list(
        self,
        sdkappid: int,
        user_id: str,
        *,
        incoming: bool,
        limit: int,
        before: tuple[int, str] | None = None,
    ) -> list[FriendRequest]:
        async with self.store.read() as tx:
            return await tx.list_friend_requests(
                sdkappid, user_id, incoming=incoming, limit=limit, before=before
            )

    async def accept(
        self,
        sdkappid: int,
        user_id: str,
        requester: str,
        *,
        both: bool,
        remark: str = "",
        group: str = "",
        limits: SnsLimits,
        origin: Origin = REST,
    ) -> SnsOutcome:
        """Events: ``friend.added`` (``client_cmd`` friend_response, ``initiator`` the
        requester) and ``request.accepted``."""
        now, now_ms = self.now(), self.now_ms()

        async def work(tx: Tx) -> SnsOutcome:
            outcome = await tx.accept_friend_request(
                sdkappid,
                user_id,
                requester,
                both=both,
                remark=remark,
                group=group,
                limits=limits,
                now=now,
            )
            events = friend_events(
                user_id,
                outcome.changes,
                origin,
                client_cmd=FRIEND_RESPONSE,
                initiator=requester,
            )
            await tx.append_events(sdkappid, events, now_ms)
            return outcome

        return await self.store.run_write(work)

    async def mark_read(
        self, sdkappid: int, user_id: str, time: int, *, origin: Origin = REST
    ) -> None:
        """Event: ``request.read`` when the mark moved forward (an earlier one changes nothing)."""
        now_ms = self.now_ms()

        async def work(tx: Tx) -> None:
            before = await tx.friend_requests_read_at(sdkappid, user_id)
            await tx.mark_friend_requests_read(sdkappid, user_id, time)
            if time > before:
                event = NewEvent(EventKind.REQUEST_READ, user_id, (), {"up_to": time}, origin)
                await tx.append_events(sdkappid, [event], now_ms)

        await self.store.run_write(work)

    async def read_at(self, sdkappid: int, user_id: str) -> int:
        async with self.store.read() as tx:
            return await tx.friend_requests_read_at(sdkappid, user_id)

    async def reject(
        self, sdkappid: int, user_id: str, requester: str, *, origin: Origin = REST
    ) -> SnsChanges:
        """``user_id`` refuses ``requester``'s request (event ``request.refused``)."""
        now_ms = self.now_ms()

        async def work(tx: Tx) -> SnsChanges:
            changes = await tx.reject_friend_request(sdkappid, user_id, requester)
            events = request_events(user_id, changes, origin, refused=True)
            await tx.append_events(sdkappid, events, now_ms)
            return changes

        return await self.store.run_write(work)

    async def delete(
        self, sdkappid: int, user_id: str, other: str, *, incoming: bool, origin: Origin = REST
    ) -> SnsChanges:
        """``user_id`` deletes a pending request: ``other``'s to them (``incoming``, dropped
        unanswered) or their own to ``other`` (withdrawn). Event ``request.deleted`` with the
        ``direction`` (``received`` / ``sent``)."""
        target, requester = (user_id, other) if incoming else (other, user_id)
        now_ms = self.now_ms()

        async def work(tx: Tx) -> SnsChanges:
            changes = await tx.reject_friend_request(sdkappid, target, requester)
            events = request_events(user_id, changes, origin, accepted=False)
            await tx.append_events(sdkappid, events, now_ms)
            return changes

        return await self.store.run_write(work)
