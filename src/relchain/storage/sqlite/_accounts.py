"""Accounts and their profiles (a JSON object per account, with a version)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import orjson

from relchain.ports import Profile
from relchain.storage.sqlite._base import SQLiteBase, marks

__all__ = ["AccountsMixin"]


class AccountsMixin(SQLiteBase):
    async def existing_accounts(self, sdkappid: int, user_ids: Sequence[str]) -> set[str]:
        if not user_ids:
            return set()
        rows = self.conn.execute(
            "SELECT user_id FROM accounts"
            f" WHERE sdkappid = ? AND user_id IN ({marks(len(user_ids))})",
            (sdkappid, *user_ids),
        ).fetchall()
        return {row[0] for row in rows}

    async def import_accounts(
        self, sdkappid: int, accounts: Sequence[tuple[str, Mapping[str, Any]]], now: int
    ) -> None:
        self.conn.executemany(
            "INSERT OR IGNORE INTO accounts (sdkappid, user_id, created_at) VALUES (?, ?, ?)",
            [(sdkappid, user_id, now) for user_id, _ in accounts],
        )
        changed = [(orjson.dumps(dict(v)).decode(), sdkappid, uid) for uid, v in accounts if v]
        if changed:
            self.conn.executemany(
                "UPDATE accounts SET profile = json_patch(profile, ?),"
                " profile_seq = profile_seq + 1 WHERE sdkappid = ? AND user_id = ?",
                changed,
            )

    async def delete_accounts(self, sdkappid: int, user_ids: Sequence[str]) -> set[str]:
        existing = await self.existing_accounts(sdkappid, user_ids)
        if existing:
            self.conn.execute(
                f"DELETE FROM accounts WHERE sdkappid = ? AND user_id IN ({marks(len(existing))})",
                (sdkappid, *existing),
            )
        return existing

    async def get_profiles(self, sdkappid: int, user_ids: Sequence[str]) -> dict[str, Profile]:
        if not user_ids:
            return {}
        rows = self.conn.execute(
            "SELECT user_id, profile, profile_seq FROM accounts"
            f" WHERE sdkappid = ? AND user_id IN ({marks(len(user_ids))})",
            (sdkappid, *user_ids),
        ).fetchall()
        return {row[0]: Profile(orjson.loads(row[1]), row[2]) for row in rows}

    async def update_profile(
        self, sdkappid: int, user_id: str, values: Mapping[str, Any]
    ) -> int | None:
        row = self.conn.execute(
            "UPDATE accounts SET profile = json_patch(profile, ?), profile_seq = profile_seq + 1"
            " WHERE sdkappid = ? AND user_id = ? RETURNING profile_seq",
            (orjson.dumps(dict(values)).decode(), sdkappid, user_id),
        ).fetchone()
        return int(row[0]) if row else None
