"""``BlockingChat``: :class:`Chat` for code without an event loop. The socket lives on a private
event loop in a background thread; every method blocks until its answer, page iterators and
``events()`` are plain iterators, ``on`` handlers run in that thread."""

from __future__ import annotations

import asyncio
import inspect
import queue
import threading
from collections.abc import AsyncIterator, Callable, Coroutine, Iterator
from types import TracebackType
from typing import Any, Self, TypeVar

from relchain.client._chat import Chat
from relchain.client._chat_events import ChatEvent
from relchain.client._events import Event

__all__ = ["BlockingChat"]

T = TypeVar("T")
_DONE = object()


class BlockingChat:
    """The same calls as :class:`Chat`, blocking: ``chat = BlockingChat(base_url, sdkappid)``,
    ``chat.login(user_id, user_sig)``, ``chat.follow_user(["bob"])``, ``for entry in
    chat.iter_my_followers(): ...``, ``for event in chat.events(): ...``. Close it (or use it
    as a context manager) to stop its thread."""

    def __init__(self, base_url: str, sdkappid: int, **options: Any) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="relchain-chat", daemon=True
        )
        self._thread.start()
        self._chat: Chat = self._run(self._make(base_url, sdkappid, options))

    @staticmethod
    async def _make(base_url: str, sdkappid: int, options: dict[str, Any]) -> Chat:
        return Chat(base_url, sdkappid, **options)  # made on its loop (its events, its queues)

    def _run(self, work: Coroutine[Any, Any, T]) -> T:
        return asyncio.run_coroutine_threadsafe(work, self._loop).result()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    @property
    def user_id(self) -> str:
        return self._chat.user_id

    def close(self) -> None:
        if self._loop.is_closed():
            return
        self._run(self._chat.close())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join()
        self._loop.close()

    def on(self, event: Event, handler: Callable[[ChatEvent], None]) -> None:
        """``handler(event)`` runs in the client's thread for each ``event``."""
        self._chat.on(event, handler)

    def off(self, event: Event, handler: Callable[[ChatEvent], None]) -> None:
        self._chat.off(event, handler)

    def events(self) -> Iterator[ChatEvent]:
        """Every event from now on, until :meth:`close`."""
        return self._iterate(self._chat.events())

    def _iterate(self, source: AsyncIterator[T]) -> Iterator[T]:
        items: queue.Queue[Any] = queue.Queue()

        async def pump() -> None:
            try:
                async for item in source:
                    items.put(item)
            except Exception as exc:  # handed over to the iterating thread
                items.put(exc)
            finally:
                items.put(_DONE)

        asyncio.run_coroutine_threadsafe(pump(), self._loop)
        while (item := items.get()) is not _DONE:
            if isinstance(item, Exception):
                raise item
            yield item

    def __getattr__(self, name: str) -> Any:
        if name.startswith("_"):
            raise AttributeError(name)
        method = getattr(self._chat, name)
        if inspect.iscoroutinefunction(method):

            def blocking(*args: Any, **kwargs: Any) -> Any:
                return self._run(method(*args, **kwargs))

            blocking.__name__ = name
            blocking.__doc__ = method.__doc__
            return blocking
        if name.startswith("iter_"):

            def walk(*args: Any, **kwargs: Any) -> Iterator[Any]:
                return self._iterate(method(*args, **kwargs))

            walk.__name__ = name
            walk.__doc__ = method.__doc__
            return walk
        return method
