"""The user gateway: the Web SDK's WebSocket at ``/binfo`` (binary frames) and ``/info`` (text
frames), on the port of the REST API.

One task per connection reads frames and answers them in order. Login checks the UserSig (the
REST checks and codes) and that the account exists, and opens a session whose token (``a2``) is
valid on that connection only, for that app and user, until the UserSig expires. Relationship
commands run the REST handlers with ``From_Account`` forced to the logged-in user. A sweeper
closes connections that sent nothing for ``gateway_idle_seconds``.
"""

from __future__ import annotations

import asyncio
import logging
import secrets
import time
from collections.abc import Awaitable, Callable, Collection, Iterable, MutableMapping
from typing import Any

from starlette.websockets import WebSocket

from relchain.auth.usersig import SigError, verify_usersig
from relchain.domain.apps import App
from relchain.domain.errors import ApiError, Code
from relchain.http.call import Call
from relchain.http.context import ServerContext
from relchain.http.gate import Gate, parse_sdkappid, split_query
from relchain.http.gateway._commands import (
    COMMANDS,
    HEARTBEAT,
    HELLO,
    LOGIN,
    LOGOUT,
    PURCHASE_BITS,
    Command,
    static_answer,
)
from relchain.http.gateway._connection import Connection, Session, platform_name, tiny_id
from relchain.http.gateway._fanout import EventFeed, Fanout
from relchain.http.gateway._frames import Frame, FrameError, push_frame, read_frame, reply_frame
from relchain.http.gateway._pushes import RESYNC_SERVCMD, kicked_out
from relchain.http.gateway._token import issue_token, read_token
from relchain.http.metrics import LIVE
from relchain.http.wire import Body, envelope

__all__ = ["GATEWAY_PATHS", "Gateway"]

log = logging.getLogger("relchain.gateway")

GATEWAY_PATHS = frozenset({"/binfo", "/info"})
HELLO_INTERVAL_SECONDS = 120
MAX_FAILED_LOGINS = 5  # then the socket is closed (1008)
CLOSE_TOO_BIG = 1009
CLOSE_POLICY = 1008
CLOSE_GOING_AWAY = 1001
CLOSE_KICKED = 4001  # application close code: the session was ended by the server
INTERNAL = "internal error; see server log"

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]


class Gateway:
    """Accepts the SDK's sockets, answers their frames and pushes to logged-in users."""

    def __init__(self) -> None:
        self.ctx: ServerContext | None = None
        self.gate: Gate | None = None
        self.connections: set[Connection] = set()
        self.by_user: dict[tuple[int, str], set[Connection]] = {}
        self.by_app: dict[int, set[str]] = {}  # the users logged in here, per app
        self.fanout: Fanout | None = None
        self._sweeper: asyncio.Task[None] | None = None

    # ------------------------------------------------------------------ lifecycle

    def start(self, ctx: ServerContext, gate: Gate, feed: EventFeed | None = None) -> None:
        """Serve sockets; with ``feed`` (the event log), push its changes to them."""
        self.ctx = ctx
        self.gate = gate
        self.fanout = Fanout(ctx, feed, self) if feed is not None else None
        self._sweeper = asyncio.get_running_loop().create_task(self._sweep())

    async def stop(self) -> None:
        if self.fanout is not None:
            await self.fanout.stop()
        if self._sweeper is not None:
            self._sweeper.cancel()
            await asyncio.gather(self._sweeper, return_exceptions=True)
        for conn in list(self.connections):
            await conn.close(CLOSE_GOING_AWAY, "server shutting down")

    async def _sweep(self) -> None:
        assert self.ctx is not None
        idle = self.ctx.config.gateway_idle_seconds
        while True:
            await asyncio.sleep(min(max(idle / 4, 0.05), 5.0))
            cutoff = time.monotonic() - idle
            for conn in [c for c in self.connections if c.last_frame < cutoff]:
                await conn.close(CLOSE_GOING_AWAY, f"idle: no frame for {idle:g} s")

    # ------------------------------------------------------------------ sockets

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        assert self.ctx is not None, "the app was not started"
        websocket = WebSocket(scope, receive, send)
        await websocket.accept()
        query = split_query(scope.get("query_string", b""))
        client = scope.get("client")
        conn = Connection(
            websocket,
            binary=scope["path"] == "/binfo",
            platform=platform_name(query.get("platform", [""])[0]),
            client_ip=client[0] if client else "",
            now=time.monotonic(),
        )
        self.connections.add(conn)
        LIVE.connections["websocket"] = len(self.connections)
        limit = self.ctx.config.gateway_max_frame_bytes
        try:
            while not conn.closed:
                message = await websocket.receive()
                if message["type"] != "websocket.receive":
                    break
                raw: bytes | str | None = message.get("bytes")
                if raw is None:
                    raw = message.get("text") or ""
                size = len(raw) if isinstance(raw, bytes) else len(raw.encode())
                if size > limit:
                    await conn.close(CLOSE_TOO_BIG, f"frame of {size} bytes; the limit is {limit}")
                    break
                conn.last_frame = time.monotonic()
                reply = await self.answer(conn, raw)
                if reply is not None:
                    await conn.send(reply)
                if conn.failed_logins >= MAX_FAILED_LOGINS:
                    await conn.close(CLOSE_POLICY, f"{MAX_FAILED_LOGINS} failed logins")
        finally:
            conn.mark_closed()
            self.connections.discard(conn)
            LIVE.connections["websocket"] = len(self.connections)
            self._forget_session(conn)

    # ------------------------------------------------------------------ frames

    async def answer(self, conn: Connection, raw: bytes | str) -> bytes | None:
        """The reply to one frame (never raises)."""
        try:
            frame = read_frame(raw)
        except FrameError as exc:
            return exc.reply
        servcmd = frame.servcmd
        try:
            if servcmd in (HEARTBEAT, HELLO):
                self._live_session(conn, frame)  # an expired UserSig is told here (70001)
                return reply_frame(frame.head, envelope())
            if servcmd == LOGIN:
                return reply_frame(frame.head, envelope(0, "", await self._login(conn, frame)))
            if servcmd == LOGOUT:
                self._forget_session(conn)
                conn.session = None
                return reply_frame(frame.head, envelope())
            static = static_answer(servcmd, int(self._now()))
            if static is not None:
                return reply_frame(frame.head, envelope(0, "", static))
            command = COMMANDS.get(servcmd)
            if command is None:
                raise ApiError(
                    Code.BAD_RESOURCE,
                    f"servcmd: {servcmd!r} is not served by relchain (it serves the relationship "
                    "chain and profiles, not messages or groups)",
                )
            return reply_frame(frame.head, await self._run(conn, frame, command))
        except ApiError as exc:
            return reply_frame(frame.head, envelope(exc.code, exc.info))
        except Exception:
            log.exception("gateway: internal error in %s", servcmd)
            return reply_frame(
                frame.head, envelope(Code.SNS_INTERNAL, "internal error; see server log")
            )

    def _now(self) -> float:
        assert self.ctx is not None
        return self.ctx.clock.now()

    def _live_session(self, conn: Connection, frame: Frame) -> Session | None:
        """The connection's session if it is still valid; ends it with 70001 when the UserSig
        behind it has expired, with 70003 when ``a2`` is not this connection's token."""
        session = conn.session
        if session is None:
            return None
        if int(self._now()) > session.expires_at:
            self._forget_session(conn)
            conn.session = None
            raise ApiError(Code.SIG_EXPIRED, "usersig: expired; log in again with a new UserSig")
        a2 = frame.head_str("a2")
        if a2 and not secrets.compare_digest(a2, session.a2):
            raise ApiError(Code.SIG_INVALID, "a2: not the session token of this connection")
        return session

    async def _run(self, conn: Connection, frame: Frame, command: Command) -> dict[str, Any]:
        assert self.ctx is not None and self.gate is not None
        session = self._live_session(conn, frame)
        if session is None or not frame.head_str("a2"):
            raise ApiError(
                Code.SIG_INVALID, "a2: no session on this connection; log in first (wslogin)"
            )
        now = self._now()
        app = await self.gate.app(session.sdkappid, now)
        limit = app.settings.gateway_rate_limit
        # a whole second's frames may come at once: the SDK sends several at login
        key = f"gateway/{session.user}"
        if not await self.ctx.limiter.allow(session.sdkappid, key, limit, 100):
            raise ApiError(
                Code.RATE_LIMITED,
                f"{frame.servcmd}: over this app's limit of {limit} frames/s "
                "per user (gateway_rate_limit)",
            )
        api = command.api
        group = api.group
        data = dict(frame.body)
        claimed = data.get("From_Account")
        if claimed is not None and claimed != session.user:
            raise ApiError(
                group.not_admin,
                f"From_Account: {claimed!r} is not the logged-in user {session.user!r}; a user "
                "acts only as itself",
            )
        if frame.nul_field is not None:
            raise ApiError(group.bad_param, f"{frame.nul_field or 'body'}: must not contain NUL")
        data["From_Account"] = session.user
        if command.guard is not None:
            command.guard(Body(data, group))
        if command.adapt is not None:
            data = command.adapt(Body(data, group), app)
            data["From_Account"] = session.user
        call = Call(
            self.ctx,
            app,
            session.user,
            Body(data, group),
            int(now),
            platform=conn.platform,
            client_ip=conn.client_ip,
            user_initiated=True,
        )
        try:
            return envelope(0, "", await api.handler(call))
        except ApiError as exc:
            return envelope(exc.code, exc.info)
        except Exception:
            log.exception("gateway: internal error in %s", frame.servcmd)
            return envelope(group.internal, INTERNAL)

    # ------------------------------------------------------------------ login

    async def _login(self, conn: Connection, frame: Frame) -> dict[str, Any]:
        assert self.ctx is not None and self.gate is not None
        try:
            session = await self._check_login(frame)
        except ApiError:
            conn.failed_logins += 1  # the reader closes the socket after too many
            raise
        old = conn.session
        conn.session = session
        self.by_user.setdefault((session.sdkappid, session.user), set()).add(conn)
        self.by_app.setdefault(session.sdkappid, set()).add(session.user)
        if old is not None and (old.sdkappid, old.user) != (session.sdkappid, session.user):
            self._unregister(conn, old)  # a login again as the same user keeps the tail going
        if self.fanout is not None:  # before the SDK's first loads: no change falls between
            await self.fanout.watch(session.sdkappid)
        now = int(self._now())
        return {
            "A2Key": session.a2,
            "TinyId": tiny_id(session.sdkappid, session.user),
            "InstId": conn.id,
            "HelloInterval": HELLO_INTERVAL_SECONDS,
            "TimeStamp": now,
            "PurchaseBits": PURCHASE_BITS,
            "CustomStatus": "",
        }

    async def _check_login(self, frame: Frame) -> Session:
        """A first login checks the UserSig (the REST checks in the REST order); a login again
        on a new socket after a reconnect brings the session token (``a2``) instead. Either
        way the account must exist (70107)."""
        assert self.ctx is not None and self.gate is not None
        raw_app = frame.head_str("sdkappid")
        if not raw_app:
            raise ApiError(Code.SDKAPPID_MISSING, "head.sdkappid: required at login")
        now = int(self._now())
        app: App = await self.gate.app(parse_sdkappid(raw_app), now)
        identifier = frame.head_str("identifier")
        a2 = frame.head_str("a2")
        if not identifier and a2:
            resumed = read_token(a2, app.key, app.sdkappid, now)
            user, expires_at, token = resumed.user, resumed.expires_at, a2
        elif not identifier:
            raise ApiError(Code.HTTP_PARSE, "head.identifier: required at login")
        else:
            try:
                verified = verify_usersig(
                    frame.head_str("usersig"), app.key, app.sdkappid, identifier, now
                )
            except SigError as exc:
                raise ApiError(exc.code, exc.reason) from None
            user, expires_at = identifier, verified.expires_at
            token = issue_token(app.key, app.sdkappid, user, expires_at)
        if not await self.ctx.accounts.check(app.sdkappid, [user]):
            raise ApiError(
                Code.ACCOUNT_NOT_FOUND,
                f"identifier: account {user!r} does not exist (import it first)",
            )
        return Session(app.sdkappid, user, token, expires_at)

    def _forget_session(self, conn: Connection) -> None:
        if conn.session is not None:
            self._unregister(conn, conn.session)

    def _unregister(self, conn: Connection, session: Session) -> None:
        key = (session.sdkappid, session.user)
        conns = self.by_user.get(key)
        if conns is not None:
            conns.discard(conn)
            if not conns:
                del self.by_user[key]
                self._user_left(session.sdkappid, session.user)

    def _user_left(self, sdkappid: int, user: str) -> None:
        users = self.by_app.get(sdkappid)
        if users is None:
            return
        users.discard(user)
        if not users:
            del self.by_app[sdkappid]
            if self.fanout is not None:
                self.fanout.unwatch(sdkappid)

    # ------------------------------------------------------------------ the registry

    def connections_of(self, sdkappid: int, user: str) -> Collection[Connection]:
        return self.by_user.get((sdkappid, user)) or ()

    def online_users(self, sdkappid: int) -> Iterable[str]:
        return tuple(self.by_app.get(sdkappid, ()))

    # ------------------------------------------------------------------ pushes

    async def push(self, sdkappid: int, user: str, body: dict[str, Any]) -> int:
        """Queue one push to every connection of ``user``; the number that took it."""
        return self._push_all(sdkappid, user, push_frame(body))

    async def resync(self, sdkappid: int, user: str) -> int:
        """Make every SDK of ``user`` log in again and reload its friend, friend-list and
        request caches (for friend-list changes, which the SDK has no push decoder for)."""
        return self._push_all(sdkappid, user, push_frame({}, RESYNC_SERVCMD))

    async def kick(self, sdkappid: int, user: str, reason: str) -> int:
        """End ``user``'s sessions here: the SDK is told it was kicked out, then each socket is
        closed (4001, ``reason``); the number of sockets closed."""
        conns = list(self.by_user.get((sdkappid, user), ()))
        frame = push_frame(kicked_out())
        for conn in conns:
            await conn.send(frame)
            self._forget_session(conn)
            conn.session = None
            await conn.close(CLOSE_KICKED, reason)
        return len(conns)

    def _push_all(self, sdkappid: int, user: str, frame: bytes) -> int:
        return sum(conn.push(frame) for conn in list(self.connections_of(sdkappid, user)))
