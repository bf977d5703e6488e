"""Friends: add (with AllowType, blocklists, caps and pending requests), import, update, delete,
check and the two reads. Each use case is one transaction on the store."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from relchain.domain.changes import FRIEND_ADD, FRIEND_IMPORT, friend_events
from relchain.domain.errors import AccountMissing, ApiError, Code
from relchain.domain.events import REST, Origin
from relchain.domain.sns.friends import AddRequest, FriendData, FriendPage, FriendUpdate, ImportItem
from relchain.domain.sns.plan import SnsChanges, SnsOutcome
from relchain.domain.sns.rules import ADMIN_FORBID_TAG, FORBID_SEND_OUT, SnsLimits
from relchain.ports import Profile, Tx
from relchain.services._base import ServiceBase, require_user

__all__ = ["FriendService", "FriendsWithProfiles", "SendForbidden"]


class SendForbidden(ApiError):
    """The caller's profile forbids sending friend requests (``AdminForbid_Type_SendOut``)."""

    def __init__(self, user_id: str) -> None:
        super().__init__(
            Code.SNS_ADD_FORBIDDEN,
            f"{user_id!r} has {ADMIN_FORBID_TAG} {FORBID_SEND_OUT} and may not send friend "
            "requests (ForceAddFlags 1 adds anyway)",
        )
        self.user_id = user_id


@dataclass(frozen=True, slots=True)
class FriendsWithProfiles:
    """friend_get_list's read: friend data of the friends, and the profiles of the accounts
    that exist."""

    friends: dict[str, FriendData]
    profiles: dict[str, Profile]


class FriendService(ServiceBase):
    async def add(
        self,
        sdkappid: int,
        user_id: str,
        items: Sequence[AddRequest],
        *,
        both: bool,
        force: bool,
        limits: SnsLimits,
        origin: Origin = REST,
    ) -> SnsOutcome:
        now, now_ms = self.now(), self.now_ms()

        async def work(tx: Tx) -> SnsOutcome:
            profile = (await tx.get_profiles(sdkappid, [user_id])).get(user_id)
            if profile is None:  # one read decides: no account, no profile -> 30003
                raise AccountMissing(Code.SNS_ACCOUNT_NOT_FOUND, user_id)
            if profile.values.get(ADMIN_FORBID_TAG) == FORBID_SEND_OUT and not force:
                raise SendForbidden(user_id)
            outcome = await tx.add_friends(
                sdkappid, user_id, items, both=both, force=force, limits=limits, now=now
            )
            events = friend_events(
                user_id, outcome.changes, origin, client_cmd=FRIEND_ADD, force=force
            )
            await tx.append_events(sdkappid, events, now_ms)
            return outcome

        return await self.store.run_write(work)  # PostgreSQL: re-run if chosen as deadlock victim

    async def import_(
        self,
        sdkappid: int,
        user_id: str,
        items: Sequence[ImportItem],
        *,
        limits: SnsLimits,
        origin: Origin = REST,
    ) -> SnsOutcome:
        now, now_ms = self.now(), self.now_ms()

        async def work(tx: Tx) -> SnsOutcome:
            outcome = await tx.import_friends(sdkappid, user_id, items, limits=limits, now=now)
            events = friend_events(user_id, outcome.changes, origin, client_cmd=FRIEND_IMPORT)
            await tx.append_events(sdkappid, events, now_ms)
            return outcome

        return await self.write_as(sdkappid, user_id, work)

    async def update(
        self,
        sdkappid: int,
        user_id: str,
        updates: Sequence[FriendUpdate],
        *,
        limits: SnsLimits,
        origin: Origin = REST,
    ) -> SnsOutcome:
        now, now_ms = self.now(), self.now_ms()

        async def work(tx: Tx) -> SnsOutcome:
            outcome = await tx.update_friends(sdkappid, user_id, updates, limits=limits, now=now)
            events = friend_events(user_id, outcome.changes, origin, updates=updates)
            await tx.append_events(sdkappid, events, now_ms)
            return outcome

        # not write_as: update_friends locks the caller's row first and answers 30003 itself
        return await self.store.run_write(work)

    async def delete(
        self,
        sdkappid: int,
        user_id: str,
        friends: Sequence[str],
        *,
        both: bool,
        origin: Origin = REST,
    ) -> SnsOutcome:
        now_ms = self.now_ms()

        async def work(tx: Tx) -> SnsOutcome:
            outcome = await tx.delete_friends(sdkappid, user_id, friends, both=both)
            await tx.append_events(
                sdkappid, friend_events(user_id, outcome.changes, origin), now_ms
            )
            return outcome

        return await self.write_as(sdkappid, user_id, work)

    async def delete_all(
        self, sdkappid: int, user_id: str, *, both: bool, origin: Origin = REST
    ) -> SnsChanges:
        now_ms = self.now_ms()

        async def work(tx: Tx) -> SnsChanges:
            changes = await tx.delete_all_friends(sdkappid, user_id, both=both)
            await tx.append_events(sdkappid, friend_events(user_id, changes, origin), now_ms)
            return changes

        return await self.write_as(sdkappid, user_id, work)

    async def check(
        self, sdkappid: int, user_id: str, others: Sequence[str]
    ) -> dict[str, tuple[bool, bool]]:
        """For each existing account of ``others``: (it is ``user_id``'s friend, ``user_id`` is
        its friend); missing accounts are left out."""
        return await self.read_as(
            sdkappid, user_id, lambda tx: tx.friend_edges(sdkappid, user_id, others)
        )

    async def page(self, sdkappid: int, user_id: str, start: int, limit: int) -> FriendPage:
        return await self.read_as(
            sdkappid, user_id, lambda tx: tx.get_friend_page(sdkappid, user_id, start, limit)
        )

    async def with_profiles(
        self, sdkappid: int, user_id: str, others: Sequence[str]
    ) -> FriendsWithProfiles:
        """One snapshot: the friend data of those of ``others`` that are friends, and the
        profiles of every existing account of ``others``."""
        async with self.store.read() as tx:
            await require_user(tx, sdkappid, user_id)
            friends = await tx.get_friends(sdkappid, user_id, others)
            profiles = await tx.get_profiles(sdkappid, others)
        return FriendsWithProfiles(friends, profiles)
