"""Each REST API is written once, as an :class:`Endpoint` (its path, whether it only reads, how
its body is built and how its answer is read), and each page walk once, as :class:`Pages`.

Both are descriptors: on an ``Admin`` they are plain methods, on an ``AsyncAdmin`` coroutine
methods (``async for`` for the page walks), with the same parameters and the same docstring, so
the two clients cannot drift apart and the type checker sees every signature.

The Web SDK's WebSocket carries the same bodies (``servcmd`` ``follow.follow_add`` for the path
``follow/follow_add``), so a user-side client can send ``endpoint.request(...).body`` and read
the answer with its ``parse``.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Awaitable, Callable, Generator, Iterable, Iterator
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Generic, ParamSpec, TypeVar, overload

from relchain.client._wire import Reader

if TYPE_CHECKING:
    from relchain.client._admin import Admin, AsyncAdmin

__all__ = ["Endpoint", "Pages", "Parser", "Request", "Walk", "Wire", "endpoint", "pages"]

P = ParamSpec("P")
T = TypeVar("T")
I = TypeVar("I")  # noqa: E741 - the item type of a page walk

Parser = Callable[[Reader], T]
"""Reads a successful answer (the whole body) into a result."""

Wire = tuple[dict[str, Any], Parser[T]]
"""What an endpoint's builder returns: the request body and the parser of the answer."""


@dataclass(frozen=True, slots=True)
class Request(Generic[T]):
    """One call, ready to send: ``POST /v4/{path}`` with ``body``; ``parse`` reads the answer.
    ``read`` marks calls that change nothing (retried also after a failure mid-way)."""

    path: str
    body: dict[str, Any]
    parse: Callable[[Reader], T]
    read: bool


Walk = Generator[Request[T], T, None]
"""A page walk: yields the request of each page and is sent that page's result."""


class _Method:
    """What the bound methods of a descriptor get from the function it was made from: name,
    docstring and parameters (for ``help()`` and editors)."""

    def __init__(self, source: Callable[..., Any]) -> None:
        self.name = self.__name__ = source.__name__
        self.__doc__ = source.__doc__
        self.signature = inspect.signature(source).replace(
            return_annotation=inspect.Signature.empty
        )

    def __set_name__(self, owner: type[Any], name: str) -> None:
        self.name = name

    def bound(self, obj: Any, method: Callable[..., Any]) -> Any:
        """``method`` dressed as this API and kept on ``obj`` (bound once per client)."""
        method.__name__ = self.name
        method.__qualname__ = f"{type(obj).__name__}.{self.name}"
        method.__doc__ = self.__doc__
        method.__signature__ = self.signature  # type: ignore[attr-defined]
        obj.__dict__[self.name] = method
        return method


class Endpoint(_Method, Generic[P, T]):
    """One REST API: ``build`` takes the method's parameters and returns the wire body and the
    parser of the answer."""

    def __init__(self, path: str, build: Callable[P, Wire[T]], *, read: bool) -> None:
        super().__init__(build)
        self.path = path
        self.read = read
        self.build = build

    def __repr__(self) -> str:
        return f"<endpoint {self.path}>"

    def request(self, *args: P.args, **kwargs: P.kwargs) -> Request[T]:
        body, parse = self.build(*args, **kwargs)
        return Request(self.path, body, parse, self.read)

    @overload
    def __get__(self, obj: None, owner: type[Any]) -> Endpoint[P, T]: ...
    @overload
    def __get__(self, obj: Admin, owner: type[Any]) -> Callable[P, T]: ...
    @overload
    def __get__(self, obj: AsyncAdmin, owner: type[Any]) -> Callable[P, Awaitable[T]]: ...
    def __get__(self, obj: Admin | AsyncAdmin | None, owner: type[Any]) -> Any:
        return self if obj is None else self.bound(obj, obj._bind_endpoint(self))


def endpoint(path: str, *, read: bool = False) -> Callable[[Callable[P, Wire[T]]], Endpoint[P, T]]:
    """Make the decorated body builder the REST API ``path`` (``"follow/follow_add"``)."""

    def wrap(build: Callable[P, Wire[T]]) -> Endpoint[P, T]:
        return Endpoint(path, build, read=read)

    return wrap


class Pages(_Method, Generic[P, T, I]):
    """A walk over every page of a paged read: ``walk`` yields each page's request (and is sent
    its result), ``items`` gives a page's items; the bound method yields every item."""

    def __init__(self, walk: Callable[P, Walk[T]], items: Callable[[T], Iterable[I]]) -> None:
        super().__init__(walk)
        self.walk = walk
        self.items = items

    @overload
    def __get__(self, obj: None, owner: type[Any]) -> Pages[P, T, I]: ...
    @overload
    def __get__(self, obj: Admin, owner: type[Any]) -> Callable[P, Iterator[I]]: ...
    @overload
    def __get__(self, obj: AsyncAdmin, owner: type[Any]) -> Callable[P, AsyncIterator[I]]: ...
    def __get__(self, obj: Admin | AsyncAdmin | None, owner: type[Any]) -> Any:
        return self if obj is None else self.bound(obj, obj._bind_pages(self))


def pages(
    items: Callable[[T], Iterable[I]],
) -> Callable[[Callable[P, Walk[T]]], Pages[P, T, I]]:
    """Make the decorated walk a page iterator whose pages hold ``items(page)``."""

    def wrap(walk: Callable[P, Walk[T]]) -> Pages[P, T, I]:
        return Pages(walk, items)

    return wrap
