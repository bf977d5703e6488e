"""``Chat``: a user of the app, logged in over the Web SDK's own protocol (the user gateway),
with the Web SDK's calls in Python names and its events.

The bodies and answers are the REST API's (the gateway runs the same handlers), so each call
reuses the REST endpoint's builder and parser with ``From_Account`` the logged-in user.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass
from types import TracebackType
from typing import Any, Self, TypeVar

from relchain.client import _blocklist, _follows, _friend_lists, _friends, _profiles
from relchain.client._chat_events import (
    RESYNC_EVENTS,
    ChatEvent,
    FriendRequest,
    decode_push,
)
from relchain.client._chat_socket import RESYNC, Backoff, ChatSocket
from relchain.client._endpoint import Request, Walk
from relchain.client._errors import api_error
from relchain.client._events import Event
from relchain.client._follows import FollowCheck, FollowCounts, FollowEntry, FollowPage, FollowType
from relchain.client._friend_lists import FriendLists, ListChange
from relchain.client._friends import (
    AddFriend,
    AddType,
    CheckType,
    DeleteType,
    Friend,
    FriendCheck,
    FriendInfo,
    UpdateFriend,
)
from relchain.client._profiles import UserProfile
from relchain.client._wire import Batch, ItemResult, Reader, items_result, string_list

__all__ = ["Chat", "FriendApplications"]

T = TypeVar("T")
Handler = Callable[[ChatEvent], Awaitable[None] | None]
WEB = 7  # the SDK's platform number for the web (OptPlatform "Web")
DEFAULT_TIMEOUT = 15.0
FOLLOW_PAGE = 500  # what the Web SDK asks
SESSION_EXPIRED = 70001  # over the gateway: the UserSig behind the session has run out


@dataclass(frozen=True, slots=True)
class FriendApplications:
    """``get_friend_application_list``'s answer: the requests both ways, newest first, and how
    many incoming ones are unread."""

    requests: tuple[FriendRequest, ...]
    unread_count: int


def _applications(answer: Reader) -> FriendApplications:
    requests = tuple(
        FriendRequest(
            item.text("To_Account"),
            item.text("PendencyType", "") == "Pendency_Type_ComeIn",
            item.text("AddSource", ""),
            item.text("AddWording", ""),
            item.integer("AddTime", 0),
        )
        for item in answer.objects("PendencyItem", ())
    )
    return FriendApplications(requests, answer.integer("UnreadPendencyCount", 0))


class Chat:
    """One user of app ``sdkappid`` on the server at ``base_url`` (``http://127.0.0.1:8080``),
    over the Web SDK's WebSocket: ``await chat.login(user_id, user_sig)``, then the calls.

    Events: ``chat.on(Event.MY_FOLLOWERS_LIST_UPDATED, handler)`` (a function or coroutine
    function taking a :class:`ChatEvent`) and ``async for event in chat.events()``. A lost
    connection is opened again with backoff and the session resumed; afterwards the friend,
    friend-list, request and blocklist events come once with ``data`` None (read them again).
    Use it as an async context manager, or call :meth:`close`.
    """

    def __init__(
        self,
        base_url: str,
        sdkappid: int,
        *,
        timeout: float = DEFAULT_TIMEOUT,
        backoff: Backoff | None = None,
        platform: int = WEB,
    ) -> None:
        self._socket = ChatSocket(
            base_url,
            sdkappid,
            platform=platform,
            timeout=timeout,
            backoff=backoff or Backoff(),
            on_push=self._on_push,
            on_state=self._on_state,
        )
        self._handlers: dict[Event, list[Handler]] = {}
        self._queues: list[asyncio.Queue[ChatEvent | None]] = []
        self._background: set[asyncio.Task[None]] = set()
        self._resumed = False

    @property
    def user_id(self) -> str:
        return self._socket.user

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.close()

    # ------------------------------------------------------------------ session and events

    async def login(self, user_id: str, user_sig: str) -> None:
        """Log in (the UserSig is checked as by the REST API; the account must exist)."""
        await self._socket.login(user_id, user_sig)
        self._emit(ChatEvent(Event.SDK_READY))

    async def close(self) -> None:
        await self._socket.close()
        for queue in self._queues:
            queue.put_nowait(None)
        for task in list(self._background):
            task.cancel()

    def on(self, event: Event, handler: Handler) -> None:
        self._handlers.setdefault(event, []).append(handler)

    def off(self, event: Event, handler: Handler) -> None:
        if handler in self._handlers.get(event, []):
            self._handlers[event].remove(handler)

    async def events(self) -> AsyncIterator[ChatEvent]:
        """Every event from now on, until :meth:`close`."""
        queue: asyncio.Queue[ChatEvent | None] = asyncio.Queue()
        self._queues.append(queue)
        try:
            while (event := await queue.get()) is not None:
                yield event
        finally:
            self._queues.remove(queue)

    def _emit(self, event: ChatEvent) -> None:
        for queue in self._queues:
            queue.put_nowait(event)
        for handler in list(self._handlers.get(event.name, [])):
            result = handler(event)
            if inspect.isawaitable(result):
                task = asyncio.ensure_future(result)
                self._background.add(task)
                task.add_done_callback(self._background.discard)

    def _on_push(self, servcmd: str, body: dict[str, Any]) -> None:
        if servcmd == RESYNC:  # lists changed in a way no push says: read them again
            for name in RESYNC_EVENTS:
                self._emit(ChatEvent(name))
            return
        for event in decode_push(self.user_id, body):
            if event.name is Event.KICKED_OUT:  # the session was ended by the server
                self._socket.end()
            self._emit(event)

    def _on_state(self, state: str, code: int) -> None:
        if state == "ended":
            self._emit(ChatEvent(Event.KICKED_OUT, code))
            self._emit(ChatEvent(Event.SDK_NOT_READY))
            return
        self._emit(ChatEvent(Event.NET_STATE_CHANGE, state))
        if state == "disconnected":
            self._resumed = True
        elif state == "connected" and self._resumed:
            for name in RESYNC_EVENTS:  # pushes may have been missed while away
                self._emit(ChatEvent(name))

    async def _send(self, request: Request[T]) -> T:
        answer = await self._socket.request(
            request.path.replace("/", "."), request.body, read=request.read
        )
        code = answer.get("ErrorCode", 0)
        if code:
            if code == SESSION_EXPIRED:
                self._on_state("ended", code)
            raise api_error(request.path, code, answer.get("ErrorInfo", ""))
        return request.parse(Reader(answer, request.path))

    async def _walk(self, walk: Walk[T]) -> AsyncIterator[T]:
        request = next(walk, None)
        while request is not None:
            page = await self._send(request)
            yield page
            try:
                request = walk.send(page)
            except StopIteration:
                request = None

    # ------------------------------------------------------------------ follows

    async def follow_user(self, user_ids: Sequence[str]) -> Batch[ItemResult]:
        """Follow up to 20 users (per-item codes as follow_add)."""
        return await self._send(_follows.follow_add.request(self.user_id, user_ids))

    async def unfollow_user(self, user_ids: Sequence[str]) -> Batch[ItemResult]:
        return await self._send(_follows.follow_delete.request(self.user_id, user_ids))

    async def _follow_page(self, kind: FollowType, next_cursor: str) -> FollowPage:
        return await self._send(
            _follows.follow_get.request(
                self.user_id, kind, start_cursor=next_cursor, want_num=FOLLOW_PAGE
            )
        )

    async def get_my_followers_list(self, next_cursor: str = "") -> FollowPage:
        """One page (500) of the user's followers, newest first."""
        return await self._follow_page(FollowType.FOLLOWER, next_cursor)

    async def get_my_following_list(self, next_cursor: str = "") -> FollowPage:
        return await self._follow_page(FollowType.FOLLOWING, next_cursor)

    async def get_mutual_followers_list(self, next_cursor: str = "") -> FollowPage:
        return await self._follow_page(FollowType.MUTUAL, next_cursor)

    async def _iter_follows(self, kind: FollowType) -> AsyncIterator[FollowEntry]:
        cursor = ""
        while True:
            page = await self._follow_page(kind, cursor)
            for entry in page.entries:
                yield entry
            if not page.next_cursor:
                return
            cursor = page.next_cursor

    def iter_my_followers(self) -> AsyncIterator[FollowEntry]:
        """Every follower, page after page."""
        return self._iter_follows(FollowType.FOLLOWER)

    def iter_my_following(self) -> AsyncIterator[FollowEntry]:
        return self._iter_follows(FollowType.FOLLOWING)

    def iter_mutual_followers(self) -> AsyncIterator[FollowEntry]:
        return self._iter_follows(FollowType.MUTUAL)

    async def get_user_follow_info(
        self, user_ids: Sequence[str] | None = None
    ) -> Batch[FollowCounts]:
        """Follower, following and mutual counts of up to 20 users (default: the user)."""
        ids = [self.user_id] if user_ids is None else list(user_ids)
        return await self._send(_follows.follow_get_info.request(self.user_id, ids))

    async def check_follow_type(self, user_ids: Sequence[str]) -> Batch[FollowCheck]:
        """How each of up to 100 users relates to the user (``FollowType``)."""
        return await self._send(_follows.follow_check.request(self.user_id, user_ids))

    # ------------------------------------------------------------------ friends

    async def get_friend_list(self) -> list[Friend]:
        """Every friend with its friend data (from the server, page after page)."""
        friends: list[Friend] = []
        async for page in self._walk(_friends.iter_friends.walk(self.user_id)):
            friends += page.friends
        return friends

    async def add_friend(
        self,
        to: str,
        source: str,
        *,
        wording: str = "",
        remark: str = "",
        group_name: str = "",
        type: AddType = AddType.BOTH,
    ) -> ItemResult:
        """Add a friend: code 0 added, 30539 a request is waiting for ``to`` to accept, else
        refused (30516 ``to`` accepts nobody, 30515/30525 blocklists, ...)."""
        item = AddFriend(to, source, remark, group_name, wording)
        (result,) = await self._send(
            _friends.friend_add.request(self.user_id, [item], add_type=type)
        )
        return result

    async def delete_friend(
        self,
        user_ids: Sequence[str],
        type: DeleteType = DeleteType.BOTH,
    ) -> Batch[ItemResult]:
        return await self._send(
            _friends.friend_delete.request(self.user_id, user_ids, delete_type=type)
        )

    async def check_friend(
        self,
        user_ids: Sequence[str],
        type: CheckType = CheckType.BOTH,
    ) -> Batch[FriendCheck]:
        return await self._send(
            _friends.friend_check.request(self.user_id, user_ids, check_type=type)
        )

    async def get_friend_profile(self, user_ids: Sequence[str]) -> Batch[FriendInfo]:
        """The friend data and profile of friends (every tag; not a friend: code 31211)."""
        request = _friends.friend_get_list.request(self.user_id, user_ids, [])
        body = {"To_Account": string_list("user_ids", user_ids)}
        return await self._send(Request("sns/friend_get_specified", body, request.parse, True))

    async def update_friend(
        self, user_id: str, *, remark: str | None = None, custom: Mapping[str, Any] | None = None
    ) -> ItemResult:
        item = UpdateFriend(user_id, remark=remark, custom=dict(custom or {}))
        (result,) = await self._send(_friends.friend_update.request(self.user_id, [item]))
        return result

    # ------------------------------------------------------------------ friend requests

    async def get_friend_application_list(self) -> FriendApplications:
        body = {"PendencyType": "Pendency_Type_Both", "StartTime": 0, "MaxLimited": 100}
        return await self._send(Request("sns/pendency_get", body, _applications, True))

    async def _respond(self, user_id: str, action: str, remark: str, tag: str) -> ItemResult:
        item = {"To_Account": user_id, "ResponseAction": action, "Remark": remark, "TagName": tag}
        body = {"ResponseFriendItem": [item]}
        (result,) = await self._send(Request("sns/friend_response", body, items_result, False))
        return result

    async def accept_friend_application(
        self,
        user_id: str,
        type: str = "Response_Action_AgreeAndAdd",
        *,
        remark: str = "",
        tag: str = "",
    ) -> ItemResult:
        """Accept ``user_id``'s request: ``Response_Action_Agree`` (they get the user as a
        friend) or ``Response_Action_AgreeAndAdd`` (both ways)."""
        return await self._respond(user_id, type, remark, tag)

    async def refuse_friend_application(self, user_id: str) -> ItemResult:
        return await self._respond(user_id, "Response_Action_Reject", "", "")

    async def set_friend_application_read(self) -> None:
        """Mark every incoming request read (``unread_count`` 0 until the next one)."""
        body = {"LatestPendencyTimeStamp": 0}
        await self._send(Request("sns/pendency_report", body, lambda answer: None, False))

    async def delete_friend_application(
        self,
        user_id: str,
        type: str = "Pendency_Type_ComeIn",
    ) -> ItemResult:
        """Drop ``user_id``'s request to the user (``Pendency_Type_ComeIn``) or withdraw the
        user's own to them (``Pendency_Type_SendOut``)."""
        body = {"PendencyType": type, "To_Account": [user_id]}
        (result,) = await self._send(Request("sns/pendency_delete", body, items_result, False))
        return result

    # ------------------------------------------------------------------ blocklist

    async def get_blacklist(self) -> list[str]:
        blocked: list[str] = []
        async for page in self._walk(_blocklist.iter_blocklist.walk(self.user_id)):
            blocked += [entry.account for entry in page.entries]
        return blocked

    async def add_to_blacklist(self, user_ids: Sequence[str]) -> Batch[ItemResult]:
        return await self._send(_blocklist.black_list_add.request(self.user_id, user_ids))

    async def remove_from_blacklist(self, user_ids: Sequence[str]) -> Batch[ItemResult]:
        return await self._send(_blocklist.black_list_delete.request(self.user_id, user_ids))

    # ------------------------------------------------------------------ friend lists

    async def get_friend_group_list(self) -> FriendLists:
        return await self._send(_friend_lists.group_get.request(self.user_id, need_friend=True))

    async def create_friend_group(self, name: str, user_ids: Sequence[str] = ()) -> ListChange:
        return await self._send(_friend_lists.group_add.request(self.user_id, [name], user_ids))

    async def delete_friend_group(self, name: str) -> int:
        return await self._send(_friend_lists.group_delete.request(self.user_id, [name]))

    async def rename_friend_group(self, old_name: str, new_name: str) -> None:
        """30001 when there is no list ``old_name`` or a list ``new_name`` exists."""
        body = {"GroupOldName": old_name, "GroupNewName": new_name}
        await self._send(Request("sns/group_update", body, lambda answer: None, False))

    async def _move(self, name: str, user_ids: Sequence[str], kind: str) -> Batch[ItemResult]:
        items = [{"To_Account": u, "UpdateType": kind} for u in string_list("user_ids", user_ids)]
        body = {"GroupOldName": name, "UpdateGroupItem": items}
        return await self._send(Request("sns/group_update", body, items_result, False))

    async def add_to_friend_group(self, name: str, user_ids: Sequence[str]) -> Batch[ItemResult]:
        """Put friends in list ``name`` (a non-friend: item 32216)."""
        return await self._move(name, user_ids, "Update_Type_Add")

    async def remove_from_friend_group(
        self, name: str, user_ids: Sequence[str]
    ) -> Batch[ItemResult]:
        return await self._move(name, user_ids, "Update_Type_Delete")

    # ------------------------------------------------------------------ profiles

    async def get_user_profile(self, user_ids: Sequence[str]) -> Batch[UserProfile]:
        """Every profile tag of up to 100 users."""
        parse = _profiles.portrait_get.request(user_ids, ["Tag_Profile_IM_Nick"]).parse
        body = {
            "UserItem": [
                {"To_Account": u, "StandardSequence": 0, "CustomSequence": 0}
                for u in string_list("user_ids", user_ids)
            ]
        }
        return await self._send(Request("profile/portrait_get_all", body, parse, True))

    async def get_my_profile(self) -> UserProfile:
        (profile,) = await self.get_user_profile([self.user_id])
        return profile

    async def update_my_profile(self, tags: Mapping[str, Any]) -> None:
        """Set profile tags of the user (``{ProfileTag.NICK: "Al"}``)."""
        await self._send(_profiles.portrait_set.request(self.user_id, tags))
