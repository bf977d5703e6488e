"""Accounts and their profiles (a JSONB object per account, with a version).

Statements that change many rows lock them in ``user_id`` order first (the ``locked`` CTE), so
two concurrent batches over overlapping accounts queue behind each other instead of deadlocking.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import orjson

from relchain.ports import Profile
from relchain.storage.postgres._base import PostgresBase

__all__ = ["AccountsMixin"]

MERGE_PROFILES = """
WITH v AS (
    SELECT * FROM unnest($2::text[], $3::text[], $4::bigint[]) AS v(user_id, patch, n)
), locked AS (
    SELECT a.user_id FROM accounts a JOIN v ON v.user_id = a.user_id
    WHERE a.sdkappid = $1 ORDER BY a.user_id FOR UPDATE OF a
)
UPDATE accounts a
SET profile = a.profile || v.patch::jsonb, profile_seq = a.profile_seq + v.n
FROM locked JOIN v ON v.user_id = locked.user_id
WHERE a.sdkappid = $1 AND a.user_id = locked.user_id
"""

DELETE_ACCOUNTS = """
WITH locked AS (
    SELECT user_id FROM accounts WHERE sdkappid = $1 AND user_id = ANY($2::text[])
    ORDER BY user_id FOR UPDATE
)
DELETE FROM accounts a USING locked
WHERE a.sdkappid = $1 AND a.user_id = locked.user_id
RETURNING a.user_id
"""


def _unique(user_ids: Sequence[str]) -> list[str]:
    return sorted(set(user_ids))


class AccountsMixin(PostgresBase):
    async def existing_accounts(self, sdkappid: int, user_ids: Sequence[str]) -> set[str]:
        if not user_ids:
            return set()
        rows = await self.conn.fetch(
            "SELECT user_id FROM accounts WHERE sdkappid = $1 AND user_id = ANY($2::text[])",
            sdkappid,
            _unique(user_ids),
        )
        return {str(row[0]) for row in rows}

    async def import_accounts(
        self, sdkappid: int, accounts: Sequence[tuple[str, Mapping[str, Any]]], now: int
    ) -> None:
        if not accounts:
            return
        await self.conn.execute(
            "INSERT INTO accounts (sdkappid, user_id, created_at)"
            " SELECT $1, u, $3 FROM unnest($2::text[]) AS u ORDER BY u"
            " ON CONFLICT DO NOTHING",
            sdkappid,
            _unique([user_id for user_id, _ in accounts]),
            now,
        )
        # one merged patch per account, applied once with the sequence bumped per change given
        patches: dict[str, tuple[dict[str, Any], int]] = {}
        for user_id, values in accounts:
            if values:
                merged, count = patches.get(user_id, ({}, 0))
                patches[user_id] = ({**merged, **values}, count + 1)
        if patches:
            ids = sorted(patches)
            await self.conn.execute(
                MERGE_PROFILES,
                sdkappid,
                ids,
                [orjson.dumps(patches[uid][0]).decode() for uid in ids],
                [patches[uid][1] for uid in ids],
            )

    async def delete_accounts(self, sdkappid: int, user_ids: Sequence[str]) -> set[str]:
        if not user_ids:
            return set()
        rows = await self.conn.fetch(DELETE_ACCOUNTS, sdkappid, _unique(user_ids))
        return {str(row[0]) for row in rows}

    async def get_profiles(self, sdkappid: int, user_ids: Sequence[str]) -> dict[str, Profile]:
        if not user_ids:
            return {}
        rows = await self.conn.fetch(
            "SELECT user_id, profile::text, profile_seq FROM accounts"
            " WHERE sdkappid = $1 AND user_id = ANY($2::text[])",
            sdkappid,
            _unique(user_ids),
        )
        return {str(row[0]): Profile(orjson.loads(row[1]), int(row[2])) for row in rows}

    async def update_profile(
        self, sdkappid: int, user_id: str, values: Mapping[str, Any]
    ) -> int | None:
        sequence = await self.conn.fetchval(
            "UPDATE accounts SET profile = profile || $3::jsonb, profile_seq = profile_seq + 1"
            " WHERE sdkappid = $1 AND user_id = $2 RETURNING profile_seq",
            sdkappid,
            user_id,
            orjson.dumps(dict(values)).decode(),
        )
        return int(sequence) if sequence is not None else None
