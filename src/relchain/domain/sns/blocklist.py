"""Blocklists: a page of entries and the black_list_add decision table (pure)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from relchain.domain.errors import Code
from relchain.domain.results import ItemResult, Reason
from relchain.domain.sns.rules import SnsLimits, over

__all__ = ["BlockPage", "plan_block"]


@dataclass(frozen=True, slots=True)
class BlockPage:
    """One black_list_get page: ``(user, added_at)`` pairs; ``next_start`` 0 = finished."""

    entries: list[tuple[str, int]]
    sequence: int
    next_start: int


def plan_block(
    me: str,
    others: Sequence[str],
    existing: set[str],
    already: set[str],
    count: int,
    *,
    limits: SnsLimits,
) -> tuple[list[ItemResult], list[str]]:
    """Decide black_list_add: (per-item results, the accounts to block now).

    Listed twice or oneself -> 30001; no account -> 30003; already blocked -> 30001; past the
    cap (``count`` entries now) -> 30013.
    """
    results: list[ItemResult] = []
    added: list[str] = []
    seen: set[str] = set()
    for other in others:
        if other in seen:
            results.append(ItemResult(other, Code.SNS_BAD_PARAM, Reason.DUPLICATE))
            continue
        seen.add(other)
        if other == me:
            results.append(ItemResult(other, Code.SNS_BAD_PARAM, Reason.SELF))
        elif other not in existing:
            results.append(ItemResult(other, Code.SNS_ACCOUNT_NOT_FOUND, Reason.NO_ACCOUNT))
        elif other in already:
            results.append(ItemResult(other, Code.SNS_BAD_PARAM, Reason.ALREADY_BLOCKED))
        elif over(count + 1, limits.max_blocklist):
            results.append(ItemResult(other, Code.SNS_BLOCKLIST_FULL, Reason.BLOCKLIST_FULL))
        else:
            count += 1
            added.append(other)
            results.append(ItemResult.ok(other))
    return results, added
