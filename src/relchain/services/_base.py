"""What every service gets (the store and the clock), and the checks they share."""

from __future__ import annotations

from dataclasses import dataclass

from relchain.domain.errors import AccountMissing, Code
from relchain.ports import Clock, Store, Tx

__all__ = ["ServiceBase", "require_user"]


@dataclass
class ServiceBase:
    store: Store
    clock: Clock

    def now(self) -> int:
        return int(self.clock.now())


async def require_user(
    tx: Tx, sdkappid: int, user_id: str, code: Code = Code.SNS_ACCOUNT_NOT_FOUND
) -> None:
    """Whole-request ``code`` (the family's "no such account") when the caller does not exist."""
    if not await tx.existing_accounts(sdkappid, [user_id]):
        raise AccountMissing(code, user_id)
