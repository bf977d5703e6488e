"""Friends: add (with AllowType, blocklists, caps and pending requests), import, update, delete,
check and the two reads. Each use case is one transaction on the store."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from relchain.domain.errors import ApiError, Code
from relchain.domain.friends import (
    ADMIN_FORBID_TAG,
    FORBID_SEND_OUT,
    AddRequest,
    FriendData,
    FriendPage,
    FriendRequest,
    FriendUpdate,
    ImportItem,
    SnsLimits,
    relation,
)
from relchain.ports import Profile, Tx
from relchain.services._base import ServiceBase

__all__ = ["CheckResult", "FriendService", "ItemResult", "require_user"]

ItemResult = tuple[str, int, str]


async def require_user(tx: Tx, sdkappid: int, user_id: str) -> None:
    """Whole-request 30003 when the caller's ``From_Account`` does not exist."""
    if not await tx.existing_accounts(sdkappid, [user_id]):
        raise ApiError(
            Code.SNS_ACCOUNT_NOT_FOUND, f"From_Account: account {user_id!r} does not exist"
        )


@dataclass(frozen=True, slots=True)
class CheckResult:
    account: str
    relation: str
    code: int
    info: str


@dataclass(frozen=True, slots=True)
class FriendsWithProfiles:
    """friend_get_list's read: friend data of the friends, profiles, and who exists."""

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
    ) -> list[ItemResult]:
        now = self.now()

        async def work(tx: Tx) -> list[ItemResult]:
            profile = (await tx.get_profiles(sdkappid, [user_id])).get(user_id)
            if profile is None:  # one read decides: no account, no profile -> 30003
                raise ApiError(
                    Code.SNS_ACCOUNT_NOT_FOUND, f"From_Account: account {user_id!r} does not exist"
                )
            forbid = profile.values.get(ADMIN_FORBID_TAG)
            if forbid == FORBID_SEND_OUT and not force:
                raise ApiError(
                    Code.SNS_ADD_FORBIDDEN,
                    f"From_Account: {user_id!r} has {ADMIN_FORBID_TAG} {FORBID_SEND_OUT} and may "
                    "not send friend requests (ForceAddFlags 1 adds anyway)",
                )
            return await tx.add_friends(
                sdkappid, user_id, items, both=both, force=force, limits=limits, now=now
            )

        return await self.store.run_write(work)  # PostgreSQL: re-run if chosen as deadlock victim

    async def import_(
        self, sdkappid: int, user_id: str, items: Sequence[ImportItem], *, limits: SnsLimits
    ) -> list[ItemResult]:
        now = self.now()

        async def work(tx: Tx) -> list[ItemResult]:
            await require_user(tx, sdkappid, user_id)
            return await tx.import_friends(sdkappid, user_id, items, limits=limits, now=now)

        return await self.store.run_write(work)

    async def update(
        self, sdkappid: int, user_id: str, updates: Sequence[FriendUpdate], *, limits: SnsLimits
    ) -> list[ItemResult]:
        now = self.now()

        async def work(tx: Tx) -> list[ItemResult]:
            await require_user(tx, sdkappid, user_id)
            return await tx.update_friends(sdkappid, user_id, updates, limits=limits, now=now)

        return await self.store.run_write(work)

    async def delete(
        self, sdkappid: int, user_id: str, friends: Sequence[str], *, both: bool
    ) -> list[ItemResult]:
        async def work(tx: Tx) -> dict[str, int]:
            await require_user(tx, sdkappid, user_id)
            return await tx.delete_friends(sdkappid, user_id, friends, both=both)

        codes = await self.store.run_write(work)
        return [
            (f, codes[f], "" if codes[f] == Code.OK else "Err_SNS_FriendDelete_Not_Friend")
            for f in friends
        ]

    async def delete_all(self, sdkappid: int, user_id: str, *, both: bool) -> None:
        async def work(tx: Tx) -> int:
            await require_user(tx, sdkappid, user_id)
            return await tx.delete_all_friends(sdkappid, user_id, both=both)

        await self.store.run_write(work)

    async def check(
        self, sdkappid: int, user_id: str, others: Sequence[str], *, both: bool
    ) -> list[CheckResult]:
        async with self.store.read() as tx:
            await require_user(tx, sdkappid, user_id)
            found = await tx.friend_edges(sdkappid, user_id, others)
        results = []
        for other in others:
            mine, theirs = found.get(other, (False, False))
            kind = relation(mine, theirs, both, "CheckResult_Type_", "NoRelation")
            if other in found:
                results.append(CheckResult(other, kind, Code.OK, ""))
            else:
                results.append(
                    CheckResult(
                        other, kind, Code.SNS_ACCOUNT_NOT_FOUND, "Err_SNS_Account_Not_Exist"
                    )
                )
        return results

    async def page(self, sdkappid: int, user_id: str, start: int, limit: int) -> FriendPage:
        async with self.store.read() as tx:
            await require_user(tx, sdkappid, user_id)
            return await tx.get_friend_page(sdkappid, user_id, start, limit)

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

    # ------------------------------------------------ pending requests (user-side API later)

    async def requests(
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
    ) -> ItemResult:
        now = self.now()

        async def work(tx: Tx) -> ItemResult:
            return await tx.accept_friend_request(
                sdkappid,
                user_id,
                requester,
                both=both,
                remark=remark,
                group=group,
                limits=limits,
                now=now,
            )

        return await self.store.run_write(work)

    async def reject(self, sdkappid: int, user_id: str, requester: str) -> bool:
        async def work(tx: Tx) -> bool:
            return await tx.reject_friend_request(sdkappid, user_id, requester)

        return await self.store.run_write(work)
