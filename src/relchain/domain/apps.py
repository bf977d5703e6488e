"""Apps (one SDKAppID each) and their per-app settings."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, replace
from typing import Any

__all__ = ["DEFAULT_FOLLOW_PROFILE_TAGS", "SETTING_DOCS", "App", "AppSettings"]

DEFAULT_FOLLOW_PROFILE_TAGS = (
    "Tag_Profile_IM_Nick",
    "Tag_Profile_IM_Image",
    "Tag_Profile_IM_SelfSignature",
    "Tag_Profile_IM_AllowType",
)

CUSTOM_KEYWORD = re.compile(r"^[A-Za-z]{1,8}$")


@dataclass(frozen=True, slots=True)
class AppSettings:
    """Per-app settings. Every field is documented in :data:`SETTING_DOCS`."""

    rate_limit: int = 200
    rate_limits: dict[str, int] = field(
        default_factory=lambda: {"im_open_login_svc/account_delete": 100}
    )
    follow_enabled: bool = True
    max_following: int = 5000
    max_followers: int = 0
    max_mutual: int = 5000
    follow_profile_tags: tuple[str, ...] = DEFAULT_FOLLOW_PROFILE_TAGS
    custom_profile_tags: tuple[str, ...] = ()
    custom_sns_tags: tuple[str, ...] = ()
    max_friends: int = 3000
    max_blocklist: int = 1000
    max_friend_lists: int = 32
    max_pending_requests: int = 3000
    gateway_rate_limit: int = 100

    def limit_for(self, command: str) -> int:
        """Calls per second allowed for ``service/command`` (0 = unlimited)."""
        return self.rate_limits.get(command, self.rate_limit)

    def to_json(self) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in fields(self):
            value = getattr(self, f.name)
            out[f.name] = list(value) if isinstance(value, tuple) else value
        return out

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> AppSettings:
        base = cls()
        known = {f.name for f in fields(cls)}
        changes: dict[str, Any] = {}
        for key, value in data.items():
            if key not in known:
                continue
            default = getattr(base, key)
            changes[key] = tuple(value) if isinstance(default, tuple) else value
        return replace(base, **changes)

    def with_setting(self, name: str, raw: str) -> AppSettings:
        """A copy with one setting parsed from text (``relchain app set``).

        Raises ``ValueError`` naming the setting when the name or value is wrong.
        """
        if name not in SETTING_DOCS:
            raise ValueError(f"unknown setting {name!r}; known: {', '.join(sorted(SETTING_DOCS))}")
        current = getattr(self, name)
        value: Any
        if isinstance(current, bool):
            lowered = raw.strip().lower()
            if lowered not in {"true", "false", "1", "0", "on", "off", "yes", "no"}:
                raise ValueError(f"{name}: expected true or false, got {raw!r}")
            value = lowered in {"true", "1", "on", "yes"}
        elif isinstance(current, int):
            try:
                value = int(raw)
            except ValueError:
                raise ValueError(f"{name}: expected a whole number, got {raw!r}") from None
            if value < 0:
                raise ValueError(f"{name}: must be >= 0, got {value}")
        elif isinstance(current, tuple):
            value = tuple(item.strip() for item in raw.split(",") if item.strip())
            for item in value:
                if name.startswith("custom_") and not CUSTOM_KEYWORD.match(item.rsplit("_", 1)[-1]):
                    raise ValueError(f"{name}: keyword of {item!r} must be 1..8 letters")
        else:  # dict: command=limit pairs
            value = {}
            for pair in raw.split(","):
                if not pair.strip():
                    continue
                command, _, number = pair.partition("=")
                try:
                    value[command.strip()] = int(number)
                except ValueError:
                    raise ValueError(f"{name}: expected command=number, got {pair!r}") from None
        return replace(self, **{name: value})


SETTING_DOCS: dict[str, str] = {
    "rate_limit": "Calls per second per API command for this app (0 = unlimited). Default 200.",
    "rate_limits": "Per-command overrides, `service/command=N,...`. "
    "Default `im_open_login_svc/account_delete=100`.",
    "follow_enabled": "Follow feature switch; off answers 30005 on every follow API. Default on.",
    "max_following": "Most accounts one user may follow (32100). Default 5000; 0 = unlimited.",
    "max_followers": "Most followers one user may have (32101). Default 0 = unlimited.",
    "max_mutual": "Most mutual follows one user may have (32102/32103). Default 5000.",
    "follow_profile_tags": "Profile tags returned in follow_get `ProfileItem` "
    "(custom tags that are set are always added).",
    "custom_profile_tags": "Registered `Tag_Profile_Custom_*` tags (keyword: 1..8 letters).",
    "custom_sns_tags": "Registered `Tag_SNS_Custom_*` tags (keyword: 1..8 letters).",
    "max_friends": "Most friends per user (30010/30014). Default 3000.",
    "max_blocklist": "Most blocklist entries per user (30013). Default 1000.",
    "max_friend_lists": "Most friend lists per user (30011). Default 32.",
    "max_pending_requests": "Most pending friend requests one user may have sent (30012).",
    "gateway_rate_limit": "User gateway: frames per second one user may send over all their "
    "Web SDK connections (60007 beyond; heartbeats are not counted). Default 100; 0 = unlimited.",
}


@dataclass(frozen=True, slots=True)
class App:
    """One SDKAppID: its secret key, admin identifiers and settings."""

    sdkappid: int
    key: str = field(repr=False)
    admins: tuple[str, ...]
    settings: AppSettings = field(default_factory=AppSettings)

    def is_admin(self, identifier: str) -> bool:
        return identifier in self.admins
