"""The invariants of an app's data that ``relchain check`` verifies, and which of them
``relchain repair`` can restore (pure: names, meanings, caps)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

__all__ = ["CHECKS", "Check", "Finding", "caps_of", "findings"]


@dataclass(frozen=True, slots=True)
class Check:
    """One invariant: what an example row shows when it is broken, and whether repair derives
    the right data (counters, mutual rows, positions, list members, rows of missing accounts)."""

    meaning: str
    columns: str
    repairable: bool


CHECKS: Mapping[str, Check] = {
    "follow_self": Check("an account follows itself", "user", True),
    "friend_self": Check("an account is its own friend", "user", True),
    "block_self": Check("an account blocks itself", "user", True),
    "request_self": Check("a friend request to oneself", "user", True),
    "follow_orphan": Check("follows name a missing account", "missing account", True),
    "friend_orphan": Check("friend edges name a missing account", "missing account", True),
    "block_orphan": Check("blocklist entries name a missing account", "missing account", True),
    "request_orphan": Check("friend requests name a missing account", "missing account", True),
    "list_orphan": Check("friend lists of a missing account", "missing account", True),
    "mutual_missing": Check(
        "two accounts follow each other without the right mutual row", "user, peer, since", True
    ),
    "mutual_extra": Check("a mutual row without both follows", "user, peer", True),
    "count_followers": Check(
        "followers counter differs from the edges", "user, stored, actual", True
    ),
    "count_following": Check(
        "following counter differs from the edges", "user, stored, actual", True
    ),
    "count_mutual": Check(
        "mutual counter differs from the mutual rows", "user, stored, actual", True
    ),
    "count_friend_count": Check(
        "friend count differs from the friends", "user, stored, actual", True
    ),
    "count_block_count": Check(
        "blocklist count differs from the entries", "user, stored, actual", True
    ),
    "count_pending_count": Check(
        "pending request count differs from the requests", "user, stored, actual", True
    ),
    "member_not_friend": Check("a friend list member is not a friend", "owner, member, list", True),
    "member_no_list": Check(
        "a friend list member of a list that does not exist", "owner, member, list", True
    ),
    "friend_position": Check(
        "a friend's keyset position is not recorded", "owner, friend, position", True
    ),
    "block_position": Check(
        "a blocklist entry's position is not recorded", "owner, blocked, position", True
    ),
    "friend_next_position": Check(
        "the next friend position is not past the used ones", "owner, next, highest used", True
    ),
    "block_next_position": Check(
        "the next blocklist position is not past the used ones", "owner, next, highest used", True
    ),
    "friend_blocked": Check("friends while one blocks the other", "owner, friend", False),
    "cap_following": Check("follows more accounts than max_following", "user, following", False),
    "cap_followers": Check("more followers than max_followers", "user, followers", False),
    "cap_mutual": Check("more mutual follows than max_mutual", "user, mutual", False),
    "cap_friends": Check("more friends than max_friends", "user, friends", False),
    "cap_blocklist": Check("more blocklist entries than max_blocklist", "user, entries", False),
    "cap_pending": Check("more pending requests than max_pending_requests", "user, pending", False),
    "cap_lists": Check("more friend lists than max_friend_lists", "user, lists", False),
}

_CAPS = {
    "cap_following": "max_following",
    "cap_followers": "max_followers",
    "cap_mutual": "max_mutual",
    "cap_friends": "max_friends",
    "cap_blocklist": "max_blocklist",
    "cap_pending": "max_pending_requests",
    "cap_lists": "max_friend_lists",
}


def caps_of(settings: Any) -> dict[str, int]:
    """The limit of each ``cap_*`` check in the app's settings (0 = none)."""
    return {check: int(getattr(settings, name)) for check, name in _CAPS.items()}


@dataclass(frozen=True, slots=True)
class Finding:
    """One kind of broken invariant, with example rows (at most the first thousand)."""

    name: str
    check: Check
    examples: Sequence[tuple[Any, ...]]

    def lines(self, shown: int = 10) -> list[str]:
        more = "+" if len(self.examples) >= 1000 else ""
        head = (
            f"{self.name}: {len(self.examples)}{more} x {self.check.meaning}"
            f" ({'repairable' if self.check.repairable else 'not repairable: fix by hand'})"
        )
        rows = [f"  {self.check.columns}: " + ", ".join(map(str, r)) for r in self.examples[:shown]]
        return [head, *rows]


def findings(found: Mapping[str, Sequence[tuple[Any, ...]]]) -> list[Finding]:
    """The problems found, in the order of :data:`CHECKS`."""
    return [Finding(name, check, found[name]) for name, check in CHECKS.items() if name in found]
