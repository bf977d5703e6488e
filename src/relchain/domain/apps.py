"""Apps (one SDKAppID each) and their per-app settings.

Each per-app setting is written once, as a field of :class:`AppSettings` carrying its rule (how
``relchain app set`` reads it from text, and its limits) and its documentation;
:data:`APP_SETTINGS` and ``docs/configuration.md`` come from those fields.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Callable, Collection
from dataclasses import dataclass, field, fields, replace
from typing import Any

from relchain.domain.accounts import userid_problem
from relchain.domain.profiles import CUSTOM_PREFIX as PROFILE_PREFIX
from relchain.domain.profiles import STANDARD_TAGS

__all__ = [
    "APP_SETTINGS",
    "CUSTOM_TAG_PREFIXES",
    "DEFAULT_FOLLOW_PROFILE_TAGS",
    "MAX_RATE",
    "SETTING_DOCS",
    "App",
    "AppSetting",
    "AppSettings",
    "custom_tag_name",
    "key_problem",
]

DEFAULT_FOLLOW_PROFILE_TAGS = (
    "Tag_Profile_IM_Nick",
    "Tag_Profile_IM_Image",
    "Tag_Profile_IM_SelfSignature",
    "Tag_Profile_IM_AllowType",
)
CUSTOM_TAG_PREFIXES = {"profile": PROFILE_PREFIX, "sns": "Tag_SNS_Custom_"}
CUSTOM_KEYWORD = re.compile(r"[A-Za-z]{1,8}")
MAX_COUNT = 1_000_000_000
MAX_RATE = 1_000_000  # calls/s (the rate limiter works in microseconds)
TRUE_WORDS = frozenset({"true", "1", "on", "yes"})
FALSE_WORDS = frozenset({"false", "0", "off", "no"})


@dataclass(frozen=True, slots=True)
class Check:
    """What a setting's text is checked against, besides its own rule: the app's other settings
    and the API commands the server has (``service/command``)."""

    settings: AppSettings
    commands: Collection[str]


Reader = Callable[[str, str, Check], Any]  # (setting name, text, check) -> value


def read_count(name: str, raw: str, check: Check) -> int:
    text = raw.strip()
    if not re.fullmatch(r"[+-]?\d{1,12}", text):
        raise ValueError(f"{name}: expected a whole number, got {raw!r}")
    value = int(text)
    if value < 0:
        raise ValueError(f"{name}: must be 0 or more, got {value}")
    if value > MAX_COUNT:
        raise ValueError(f"{name}: must be at most {MAX_COUNT}, got {value}")
    return value


def read_rate(name: str, raw: str, check: Check) -> int:
    value = read_count(name, raw, check)
    if value > MAX_RATE:
        raise ValueError(f"{name}: at most {MAX_RATE} calls/s, got {value}")
    return value


def read_percent(name: str, raw: str, check: Check) -> int:
    value = read_count(name, raw, check)
    if not 1 <= value <= 100:
        raise ValueError(f"{name}: must be a percentage 1..100, got {value}")
    return value


MAX_RETENTION_DAYS = 3650


def read_days(name: str, raw: str, check: Check) -> int:
    value = read_count(name, raw, check)
    if not 1 <= value <= MAX_RETENTION_DAYS:
        raise ValueError(f"{name}: must be 1..{MAX_RETENTION_DAYS} days, got {value}")
    return value


def read_switch(name: str, raw: str, check: Check) -> bool:
    word = raw.strip().lower()
    if word not in TRUE_WORDS | FALSE_WORDS:
        raise ValueError(f"{name}: expected on or off (true/false, yes/no, 1/0), got {raw!r}")
    return word in TRUE_WORDS


def items_of(raw: str) -> list[str]:
    """``"a, b,,c"`` -> ``["a", "b", "c"]``."""
    return [item.strip() for item in raw.split(",") if item.strip()]


def read_rate_limits(name: str, raw: str, check: Check) -> dict[str, int]:
    limits: dict[str, int] = {}
    for pair in items_of(raw):
        command, equals, number = pair.partition("=")
        command = command.strip()
        if not equals or not command:
            raise ValueError(f"{name}: expected service/command=N, got {pair!r}")
        if command not in check.commands:
            near = difflib.get_close_matches(command, sorted(check.commands), n=1)
            hint = f"; did you mean {near[0]!r}?" if near else " (see docs/api/)"
            raise ValueError(f"{name}: no API {command!r}{hint}")
        limits[command] = read_rate(f"{name}: {command}", number, check)
    return limits


def read_follow_tags(name: str, raw: str, check: Check) -> tuple[str, ...]:
    tags: list[str] = []
    for tag in items_of(raw):
        if tag in STANDARD_TAGS or tag in check.settings.custom_profile_tags:
            if tag not in tags:
                tags.append(tag)
            continue
        if tag.startswith(PROFILE_PREFIX):
            raise ValueError(
                f"{name}: {tag!r} is not registered: relchain app tag add SDKAPPID {tag}"
            )
        near = difflib.get_close_matches(tag, sorted(STANDARD_TAGS), n=1)
        hint = f"; did you mean {near[0]!r}?" if near else ""
        raise ValueError(f"{name}: {tag!r} is not a profile tag{hint}")
    return tuple(tags)


def custom_tag_name(kind: str, tag: str, where: str) -> str:
    """The full name of a custom tag given as ``Keyword`` or ``Tag_..._Custom_Keyword``;
    ``ValueError`` (starting with ``where``) when it cannot be one of ``kind``'s tags."""
    prefix = CUSTOM_TAG_PREFIXES[kind]
    keyword = tag.strip().removeprefix(prefix)
    if not CUSTOM_KEYWORD.fullmatch(keyword):
        other = next(p for k, p in CUSTOM_TAG_PREFIXES.items() if k != kind)
        if keyword.startswith(other) or keyword.startswith("Tag_"):
            raise ValueError(f"{where}: {tag!r} is not a {prefix}* tag")
        raise ValueError(f"{where}: keyword of {tag!r} must be 1..8 ASCII letters")
    return prefix + keyword


def _custom_tags_reader(kind: str) -> Reader:
    def read(name: str, raw: str, check: Check) -> tuple[str, ...]:
        tags: list[str] = []
        for item in items_of(raw):
            tag = custom_tag_name(kind, item, name)
            if tag not in tags:
                tags.append(tag)
        return tuple(tags)

    return read


@dataclass(frozen=True, slots=True)
class AppSetting:
    """One per-app setting: its name, default, how its text is read, and what it means."""

    name: str
    default: Any
    read: Reader
    doc: str

    @property
    def shown_default(self) -> str:
        return show(self.default)


def show(value: Any) -> str:
    """A setting's value as ``relchain app set`` takes it."""
    if isinstance(value, bool):
        return "on" if value else "off"
    if isinstance(value, tuple):
        return ",".join(value)
    if isinstance(value, dict):
        return ",".join(f"{k}={v}" for k, v in value.items())
    return str(value)


def _app_setting(default: Any, read: Reader, doc: str) -> Any:
    if isinstance(default, dict):
        return field(default_factory=lambda: dict(default), metadata={"read": read, "doc": doc})
    return field(default=default, metadata={"read": read, "doc": doc})


@dataclass(frozen=True, slots=True)
class AppSettings:
    """Per-app settings (see :data:`APP_SETTINGS` and docs/configuration.md)."""

    rate_limit: int = _app_setting(
        200,
        read_rate,
        "Calls per second per API command for this app (0 = unlimited; at most 1,000,000).",
    )
    rate_limits: dict[str, int] = _app_setting(
        {"im_open_login_svc/account_delete": 100},
        read_rate_limits,
        "Per-command overrides, `service/command=N,...`; every command must be an API "
        "relchain has. Empty = none.",
    )
    rate_burst_percent: int = _app_setting(
        10,
        read_percent,
        "Burst allowed on top of a limit, in percent of it (at least 1 call): an idle client "
        "may make that many calls at once, and no one-second span admits more than the limit "
        "plus the burst (GCRA, docs/operations.md).",
    )
    follow_enabled: bool = _app_setting(
        True, read_switch, "Follow feature switch; off answers 30005 on every follow API."
    )
    max_following: int = _app_setting(
        5000, read_count, "Most accounts one user may follow (32100); 0 = unlimited."
    )
    max_followers: int = _app_setting(
        0, read_count, "Most followers one user may have (32101); 0 = unlimited."
    )
    max_mutual: int = _app_setting(
        5000, read_count, "Most mutual follows one user may have (32102/32103); 0 = unlimited."
    )
    follow_profile_tags: tuple[str, ...] = _app_setting(
        DEFAULT_FOLLOW_PROFILE_TAGS,
        read_follow_tags,
        "Profile tags returned in follow_get `ProfileItem`: standard `Tag_Profile_IM_*` tags or "
        "registered custom tags (registered custom tags that are set are always added).",
    )
    custom_profile_tags: tuple[str, ...] = _app_setting(
        (),
        _custom_tags_reader("profile"),
        "Registered `Tag_Profile_Custom_*` tags, as `Keyword` or the full name (keyword: 1..8 "
        "ASCII letters). Also `relchain app tag add` / `remove`.",
    )
    custom_sns_tags: tuple[str, ...] = _app_setting(
        (),
        _custom_tags_reader("sns"),
        "Registered `Tag_SNS_Custom_*` tags, as for `custom_profile_tags` "
        "(`relchain app tag add` / `remove` with `--sns`).",
    )
    max_friends: int = _app_setting(
        3000, read_count, "Most friends per user (30010/30014); 0 = unlimited."
    )
    max_blocklist: int = _app_setting(
        1000, read_count, "Most blocklist entries per user (30013); 0 = unlimited."
    )
    max_friend_lists: int = _app_setting(
        32, read_count, "Most friend lists per user (30011); 0 = unlimited."
    )
    max_pending_requests: int = _app_setting(
        3000,
        read_count,
        "Most pending friend requests one user may have sent (30012); 0 = unlimited.",
    )
    events_retention_days: int = _app_setting(
        7,
        read_days,
        "Days the event log keeps an event (1..3650); older ones are pruned by every serve "
        "process (docs/events.md).",
    )

    gateway_rate_limit: int = _app_setting(
        100,
        read_rate,
        "User gateway: frames per second one user may send over all their Web SDK connections "
        "(60007 beyond; heartbeats are not counted); 0 = unlimited.",
    )

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

    def with_setting(self, name: str, raw: str, commands: Collection[str]) -> AppSettings:
        """A copy with one setting read from text (``relchain app set``); ``commands`` are the
        API commands (``service/command``) that ``rate_limits`` may name.

        Raises ``ValueError`` naming the setting and saying what is wrong.
        """
        setting = APP_SETTINGS.get(name)
        if setting is None:
            near = difflib.get_close_matches(name, list(APP_SETTINGS), n=1)
            hint = f"did you mean {near[0]!r}?" if near else f"known: {', '.join(APP_SETTINGS)}"
            raise ValueError(f"no per-app setting {name!r}; {hint}")
        value = setting.read(name, raw, Check(self, commands))
        return replace(self, **{name: value})

    def with_tag(self, kind: str, tag: str, *, present: bool) -> AppSettings:
        """A copy with a custom tag (``Keyword`` or full name) registered or unregistered.
        Unregistering a profile tag also takes it out of ``follow_profile_tags``."""
        name = f"custom_{kind}_tags"
        full = custom_tag_name(kind, tag, "tag")
        tags: tuple[str, ...] = getattr(self, name)
        changes: dict[str, Any] = {}
        if present:
            if full not in tags:
                changes[name] = (*tags, full)
        elif full not in tags:
            raise ValueError(f"tag: {full} is not registered for this app")
        else:
            changes[name] = tuple(t for t in tags if t != full)
            if kind == "profile":
                changes["follow_profile_tags"] = tuple(
                    t for t in self.follow_profile_tags if t != full
                )
        return replace(self, **changes)


APP_SETTINGS: dict[str, AppSetting] = {
    f.name: AppSetting(
        f.name,
        f.default_factory() if callable(f.default_factory) else f.default,
        f.metadata["read"],
        f.metadata["doc"],
    )
    for f in fields(AppSettings)
}
SETTING_DOCS: dict[str, str] = {name: s.doc for name, s in APP_SETTINGS.items()}


def key_problem(key: str) -> str | None:
    """Why ``key`` cannot be an app's secret key, or ``None``."""
    if not key:
        return "must not be empty"
    if len(key) > 256:
        return f"at most 256 characters, got {len(key)}"
    if not (key.isascii() and key.isprintable()) or " " in key:
        return "must be printable ASCII without spaces"
    return None


@dataclass(frozen=True, slots=True)
class App:
    """One SDKAppID: its secret key, admin identifiers and settings."""

    sdkappid: int
    key: str = field(repr=False)
    admins: tuple[str, ...]
    settings: AppSettings = field(default_factory=AppSettings)

    def is_admin(self, identifier: str) -> bool:
        return identifier in self.admins

    def with_admin(self, identifier: str, *, present: bool) -> App:
        """A copy with ``identifier`` added to or removed from the admins."""
        if present:
            problem = userid_problem(identifier)
            if problem:
                raise ValueError(f"admin: not a valid UserID: {problem}")
            return (
                self
                if identifier in self.admins
                else replace(self, admins=(*self.admins, identifier))
            )
        if identifier not in self.admins:
            raise ValueError(f"admin: {identifier!r} is not an admin of app {self.sdkappid}")
        if len(self.admins) == 1:
            raise ValueError(
                f"admin: {identifier!r} is the app's only admin; add another one first"
            )
        return replace(self, admins=tuple(a for a in self.admins if a != identifier))
