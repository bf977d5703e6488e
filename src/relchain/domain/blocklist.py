"""Blocklist rules: check types, relations, and the black_list_add decision (:func:`plan_block`,
defined with the other planners in :mod:`relchain.domain.friends`)."""

from __future__ import annotations

from relchain.domain.friends import plan_block, relation

__all__ = ["BLACK_CHECK_TYPES", "INFO_ALREADY_BLOCKED", "black_relation", "plan_block"]

BLACK_CHECK_TYPES = {"BlackCheckResult_Type_Single": False, "BlackCheckResult_Type_Both": True}
INFO_ALREADY_BLOCKED = "Err_SNS_BlackListAdd_Already_Exist"


def black_relation(mine: bool, theirs: bool, both: bool) -> str:
    """``mine`` = B is on A's blocklist, ``theirs`` = A is on B's blocklist."""
    return relation(mine, theirs, both, "BlackCheckResult_Type_", "NO")
