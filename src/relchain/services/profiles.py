"""Profiles: set (validated against the tag rules) and get."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from relchain.domain.changes import profile_events
from relchain.domain.errors import AccountMissing, Code
from relchain.domain.events import REST, Origin
from relchain.ports import Profile
from relchain.services._base import ServiceBase

__all__ = ["ProfileService"]


class ProfileService(ServiceBase):
    async def set(
        self, sdkappid: int, user_id: str, values: Mapping[str, Any], *, origin: Origin = REST
    ) -> int:
        """Store already validated tag values; returns the new profile sequence."""
        now_ms = self.now_ms()
        async with self.store.write() as tx:
            sequence = await tx.update_profile(sdkappid, user_id, values)
            if sequence is not None:
                await tx.append_events(sdkappid, profile_events(user_id, values, origin), now_ms)
        if sequence is None:
            raise AccountMissing(Code.PROFILE_ACCOUNT_NOT_FOUND, user_id)
        return sequence

    async def get(self, sdkappid: int, user_ids: Sequence[str]) -> dict[str, Profile]:
        """Profiles of the existing accounts among ``user_ids``."""
        async with self.read_one() as tx:  # one statement
            return await tx.get_profiles(sdkappid, user_ids)
