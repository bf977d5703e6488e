"""Accounts and their profiles (a JSON object per account, with a version).

Statements that change many rows take them in ``user_id`` order, so two concurrent batches over
overlapping accounts queue behind each other instead of deadlocking.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import orjson

from relchain.ports import Profile
from relchain.storage._base import TxBase, sorted_unique

__all__ = ["AccountsMixin"]


class AccountsMixin(TxBase):
    async def existing_accounts(self, sdkappid: int, user_ids: Sequence[str]) -> set[str]:
        if not user_ids:
            return set()
        rows = await self.db.fetch(self.sql.existing_accounts, sdkappid, sorted_unique(user_ids))
        return {row[0] for row in rows}

    async def import_accounts(
        self, sdkappid: int, accounts: Sequence[tuple[str, Mapping[str, Any]]], now: int
    ) -> set[str]:
        if not accounts:
            return set()
        rows = await self.db.fetch(
            self.sql.insert_accounts, sdkappid, sorted_unique(u for u, _ in accounts), now
        )
        # one merged patch per account, applied once with the sequence bumped per change given
        patches: dict[str, tuple[dict[str, Any], int]] = {}
        for user_id, values in accounts:
            if values:
                merged, count = patches.get(user_id, ({}, 0))
                patches[user_id] = ({**merged, **values}, count + 1)
        if patches:
            ids = sorted(patches)
            await self.db.execute(
                self.sql.merge_profiles,
                sdkappid,
                ids,
                [orjson.dumps(patches[uid][0]).decode() for uid in ids],
                [patches[uid][1] for uid in ids],
            )
        return {row[0] for row in rows}

    async def delete_accounts(self, sdkappid: int, user_ids: Sequence[str]) -> set[str]:
        if not user_ids:
            return set()
        rows = await self.db.fetch(self.sql.delete_accounts, sdkappid, sorted_unique(user_ids))
        return {row[0] for row in rows}

    async def get_profiles(self, sdkappid: int, user_ids: Sequence[str]) -> dict[str, Profile]:
        if not user_ids:
            return {}
        rows = await self.db.fetch(self.sql.get_profiles, sdkappid, sorted_unique(user_ids))
        return {row[0]: Profile(orjson.loads(row[1]), row[2]) for row in rows}

    async def update_profile(
        self, sdkappid: int, user_id: str, values: Mapping[str, Any]
    ) -> int | None:
        sequence: int | None = await self.db.fetchval(
            self.sql.update_profile, sdkappid, user_id, orjson.dumps(dict(values)).decode()
        )
        return sequence
