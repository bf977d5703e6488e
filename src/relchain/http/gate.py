"""The checks every REST call passes before its handler runs, in the decided order.

path (60009) -> method (60002) -> sdkappid (60012 / 60006) -> identifier, random, contenttype
(60002) -> UserSig (70002, 70003, 70014, 70013, 70001, 70009) -> admin (30004 / 40004 / 70403)
-> rate limit (60007, GCRA: see relchain.ratelimit).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import unquote_plus

from relchain.auth.usersig import SigError, verify_usersig
from relchain.domain.apps import App
from relchain.domain.errors import ApiError, Code
from relchain.http.api import Api
from relchain.http.call import Outcome
from relchain.http.context import ServerContext

__all__ = ["Gate", "Query", "parse_sdkappid"]

UINT32_MAX = 2**32 - 1
INT64_MAX = 2**63 - 1
SIG_CACHE_SIZE = 50_000


@dataclass(frozen=True, slots=True)
class Query:
    sdkappid: int
    identifier: str
    usersig: str


def split_query(raw: bytes) -> dict[str, list[str]]:
    """``a=1&b=2&a=3`` -> ``{"a": ["1", "3"], "b": ["2"]}``, decoding ``%xx`` and ``+`` only
    where present (UserSigs and numbers never have them; this is the hot path)."""
    params: dict[str, list[str]] = {}
    if not raw:
        return params
    for pair in raw.decode("latin-1").split("&"):
        if not pair:
            continue
        name, _, value = pair.partition("=")
        if "%" in name or "+" in name:
            name = unquote_plus(name)
        if "%" in value or "+" in value:
            value = unquote_plus(value)
        if name in params:
            params[name].append(value)
        else:
            params[name] = [value]
    return params


def _is_number(text: str, max_digits: int) -> bool:
    """ASCII digits only, at most ``max_digits`` of them (``int()`` of thousands of digits is
    slow, and refused beyond Python's digit limit)."""
    return 0 < len(text) <= max_digits and text.isascii() and text.isdigit()


def parse_sdkappid(raw: str) -> int:
    """An SDKAppID as sent (the URL query, the gateway's login head); 60006 when it cannot be
    one (checked before ``int()``: thousands of digits are refused, not converted)."""
    if not _is_number(raw, 19) or int(raw) > INT64_MAX:
        shown = raw if len(raw) <= 40 else raw[:40] + "..."
        raise ApiError(Code.SDKAPPID_INVALID, f"sdkappid: {shown!r} is not a valid SDKAppID")
    return int(raw)


def parse_query(raw: bytes) -> Query:
    """Read and check the query string (everything but the UserSig's validity)."""
    params = split_query(raw)
    sdkappid_values = params.get("sdkappid")
    if not sdkappid_values or not sdkappid_values[0]:
        raise ApiError(Code.SDKAPPID_MISSING, "sdkappid: required in the URL query")
    sdkappid = parse_sdkappid(sdkappid_values[0])
    identifier = params.get("identifier", [""])[0]
    if not identifier:
        raise ApiError(Code.HTTP_PARSE, "identifier: required in the URL query")
    for value in params.get("random", []):
        if not _is_number(value, 10) or int(value) > UINT32_MAX:
            shown = value if len(value) <= 40 else value[:40] + "..."
            raise ApiError(
                Code.HTTP_PARSE, f"random: must be an integer 0..4294967295, got {shown!r}"
            )
    for value in params.get("contenttype", []):
        if value != "json":
            raise ApiError(Code.HTTP_PARSE, f"contenttype: must be json, got {value!r}")
    usersig = params.get("usersig", [""])[0]
    return Query(sdkappid, identifier, usersig)


class Gate:
    """Finds the app, checks the UserSig and the admin right, counts the rate limit.

    Verified UserSigs are remembered (with their expiry and the key they were checked with),
    so a client that reuses its UserSig, as the docs recommend, is not re-verified each call.
    """

    def __init__(self, ctx: ServerContext) -> None:
        self.ctx = ctx
        self._apps: dict[int, tuple[float, App | None]] = {}
        self._sigs: dict[tuple[int, str, str, str], int] = {}

    async def app(self, sdkappid: int, now: float) -> App:
        cached = self._apps.get(sdkappid)
        if cached is None or now - cached[0] >= self.ctx.config.app_cache_seconds:
            cached = (now, await self.ctx.apps.get(sdkappid))
            if len(self._apps) > 10_000:
                self._apps.clear()
            self._apps[sdkappid] = cached
        app = cached[1]
        if app is None:
            raise ApiError(Code.SDKAPPID_INVALID, f"sdkappid: no app with SDKAppID {sdkappid}")
        return app

    def check_usersig(self, app: App, query: Query, now: int) -> None:
        key = (app.sdkappid, query.identifier, query.usersig, app.key)
        expires_at = self._sigs.get(key)
        if expires_at is not None and now <= expires_at:
            return
        try:
            verified = verify_usersig(query.usersig, app.key, app.sdkappid, query.identifier, now)
        except SigError as exc:
            raise ApiError(exc.code, exc.reason) from None
        if len(self._sigs) >= SIG_CACHE_SIZE:
            self._sigs.clear()
        self._sigs[key] = verified.expires_at

    async def admit(self, api: Api, raw_query: bytes, outcome: Outcome) -> tuple[App, str, int]:
        """Every check before the body is read; returns the app, the caller and the time (and
        notes the app and caller in ``outcome`` as soon as they are read)."""
        query = parse_query(raw_query)
        outcome.sdkappid, outcome.identifier = query.sdkappid, query.identifier
        clock_now = self.ctx.clock.now()
        now = int(clock_now)
        app = await self.app(query.sdkappid, clock_now)
        self.check_usersig(app, query, now)
        if not app.is_admin(query.identifier):
            raise ApiError(
                api.group.not_admin,
                f"identifier: {query.identifier!r} is not an admin of this app; "
                "REST calls need an App admin",
            )
        settings = app.settings
        limit = settings.limit_for(api.path)
        if not await self.ctx.limiter.allow(
            app.sdkappid, api.path, limit, settings.rate_burst_percent
        ):
            raise ApiError(
                Code.RATE_LIMITED, f"{api.path}: over this app's limit of {limit} calls/s"
            )
        return app, query.identifier, now
