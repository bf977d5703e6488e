"""``Admin`` and ``AsyncAdmin``: every REST API of relchain as a method, signed as the app's
admin, with retries (see ``Retry``), timeouts and a ``transport=`` like httpx's clients."""

from __future__ import annotations

import asyncio
import time
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from types import TracebackType
from typing import Any, ParamSpec, Self, TypeVar

import httpx

from relchain.client import _accounts, _blocklist, _follows, _friend_lists, _friends, _profiles
from relchain.client._endpoint import Endpoint, Pages, Request
from relchain.client._errors import RelchainError
from relchain.client._retry import Retry
from relchain.client._session import DEFAULT_TIMEOUT, DEFAULT_USERSIG_EXPIRE, Session
from relchain.client._wire import Reader

__all__ = ["Admin", "AsyncAdmin"]

P = ParamSpec("P")
T = TypeVar("T")
I = TypeVar("I")  # noqa: E741 - the item type of a page walk


class _Apis:
    """The REST APIs, each written once in its area module (``_follows`` ...); an ``Admin``
    binds them as methods, an ``AsyncAdmin`` as coroutine methods."""

    # accounts (v4/im_open_login_svc)
    account_import = _accounts.account_import
    multiaccount_import = _accounts.multiaccount_import
    account_check = _accounts.account_check
    account_delete = _accounts.account_delete
    # profiles (v4/profile)
    portrait_set = _profiles.portrait_set
    portrait_get = _profiles.portrait_get
    # follows (v4/follow)
    follow_add = _follows.follow_add
    follow_delete = _follows.follow_delete
    follow_check = _follows.follow_check
    follow_get = _follows.follow_get
    follow_get_info = _follows.follow_get_info
    iter_followers = _follows.iter_followers
    iter_following = _follows.iter_following
    iter_mutual_followers = _follows.iter_mutual_followers
    # friends (v4/sns/friend_*)
    friend_add = _friends.friend_add
    friend_import = _friends.friend_import
    friend_update = _friends.friend_update
    friend_delete = _friends.friend_delete
    friend_delete_all = _friends.friend_delete_all
    friend_check = _friends.friend_check
    friend_get = _friends.friend_get
    friend_get_list = _friends.friend_get_list
    iter_friends = _friends.iter_friends
    # blocklist (v4/sns/black_list_*)
    black_list_add = _blocklist.black_list_add
    black_list_delete = _blocklist.black_list_delete
    black_list_get = _blocklist.black_list_get
    black_list_check = _blocklist.black_list_check
    iter_blocklist = _blocklist.iter_blocklist
    # friend lists (v4/sns/group_*)
    group_add = _friend_lists.group_add
    group_delete = _friend_lists.group_delete
    group_get = _friend_lists.group_get

    _session: Session

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self._session!r})"


def _raw_request(path: str, body: dict[str, Any] | None, read: bool) -> Request[dict[str, Any]]:
    return Request(path.strip("/").removeprefix("v4/"), body or {}, _whole_answer, read)


def _whole_answer(answer: Reader) -> dict[str, Any]:
    return answer.data


class Admin(_Apis):
    """A blocking client of relchain's REST API (or Tencent's: same wire), acting as the app's
    admin ``admin`` with UserSigs made from ``key``.

    ``base_url`` is the server's root (``http://127.0.0.1:8080``; a trailing ``/v4`` is
    accepted). ``timeout`` (seconds or an ``httpx.Timeout``) applies to each try; ``retry``
    says what is tried again (see :class:`Retry`); ``transport`` is any
    ``httpx.BaseTransport`` (e.g. ``httpx.MockTransport`` in tests). The admin's UserSig is
    valid ``usersig_expire`` seconds and made again before it runs out.
    Use it as a context manager, or call :meth:`close`.
    """

    def __init__(
        self,
        base_url: str,
        sdkappid: int,
        key: str,
        admin: str = "administrator",
        *,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        retry: Retry | None = None,
        transport: httpx.BaseTransport | None = None,
        usersig_expire: int = DEFAULT_USERSIG_EXPIRE,
    ) -> None:
        self._session = Session(base_url, sdkappid, key, admin, retry=retry, expire=usersig_expire)
        self._http = httpx.Client(transport=transport, **self._session.http_options(timeout))

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def close(self) -> None:
        self._http.close()

    def call(
        self, path: str, body: dict[str, Any] | None = None, *, read: bool = False
    ) -> dict[str, Any]:
        """Call any API (``"sns/friend_get"``) with a wire body; returns the whole answer.
        Failures raise as for every method; ``read=True`` allows retries after a failure
        mid-way (only for calls that change nothing)."""
        return self._send(_raw_request(path, body, read))

    def _send(self, request: Request[T]) -> T:
        attempts = self._session.attempts(request)
        while True:
            try:
                return self._session.read(request, self._post(request))
            except RelchainError as error:
                delay = attempts.after(error)
                if delay is None:
                    raise
            time.sleep(delay)

    def _post(self, request: Request[Any]) -> httpx.Response:
        try:
            return self._http.post(
                self._session.url(request), params=self._session.params(), json=request.body
            )
        except httpx.TransportError as exc:
            raise self._session.transport_error(request, exc) from exc

    def _bind_endpoint(self, endpoint: Endpoint[P, T]) -> Callable[P, T]:
        def method(*args: P.args, **kwargs: P.kwargs) -> T:
            return self._send(endpoint.request(*args, **kwargs))

        return method

    def _bind_pages(self, pages: Pages[P, Any, I]) -> Callable[P, Iterator[I]]:
        def method(*args: P.args, **kwargs: P.kwargs) -> Iterator[I]:
            walk = pages.walk(*args, **kwargs)
            request = next(walk, None)
            while request is not None:
                page = self._send(request)
                yield from pages.items(page)
                try:
                    request = walk.send(page)
                except StopIteration:
                    request = None

        return method


class AsyncAdmin(_Apis):
    """The asyncio twin of :class:`Admin`: the same methods as coroutines (``await``), the page
    walks as async iterators (``async for``), ``transport`` an ``httpx.AsyncBaseTransport``
    (e.g. ``httpx.ASGITransport``). Use it with ``async with``, or call :meth:`aclose`."""

    def __init__(
        self,
        base_url: str,
        sdkappid: int,
        key: str,
        admin: str = "administrator",
        *,
        timeout: float | httpx.Timeout = DEFAULT_TIMEOUT,
        retry: Retry | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        usersig_expire: int = DEFAULT_USERSIG_EXPIRE,
    ) -> None:
        self._session = Session(base_url, sdkappid, key, admin, retry=retry, expire=usersig_expire)
        self._http = httpx.AsyncClient(transport=transport, **self._session.http_options(timeout))

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._http.aclose()

    async def call(
        self, path: str, body: dict[str, Any] | None = None, *, read: bool = False
    ) -> dict[str, Any]:
        """Call any API (``"sns/friend_get"``) with a wire body; returns the whole answer.
        Failures raise as for every method; ``read=True`` allows retries after a failure
        mid-way (only for calls that change nothing)."""
        return await self._send(_raw_request(path, body, read))

    async def _send(self, request: Request[T]) -> T:
        attempts = self._session.attempts(request)
        while True:
            try:
                return self._session.read(request, await self._post(request))
            except RelchainError as error:
                delay = attempts.after(error)
                if delay is None:
                    raise
            await asyncio.sleep(delay)

    async def _post(self, request: Request[Any]) -> httpx.Response:
        try:
            return await self._http.post(
                self._session.url(request), params=self._session.params(), json=request.body
            )
        except httpx.TransportError as exc:
            raise self._session.transport_error(request, exc) from exc

    def _bind_endpoint(self, endpoint: Endpoint[P, T]) -> Callable[P, Coroutine[Any, Any, T]]:
        async def method(*args: P.args, **kwargs: P.kwargs) -> T:
            return await self._send(endpoint.request(*args, **kwargs))

        return method

    def _bind_pages(self, pages: Pages[P, Any, I]) -> Callable[P, AsyncIterator[I]]:
        async def method(*args: P.args, **kwargs: P.kwargs) -> AsyncIterator[I]:
            walk = pages.walk(*args, **kwargs)
            request = next(walk, None)
            while request is not None:
                page = await self._send(request)
                for item in pages.items(page):
                    yield item
                try:
                    request = walk.send(page)
                except StopIteration:
                    request = None

        return method
