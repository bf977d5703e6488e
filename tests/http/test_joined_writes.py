"""The server writes an answer's head and body in one send (:class:`JoinedWrites`)."""

from __future__ import annotations

import asyncio
from typing import Any

from relchain.http.server import JoinedWrites


class Recorder:
    """A transport that records its writes."""

    def __init__(self) -> None:
        self.writes: list[bytes] = []
        self.closed = False

    def write(self, data: bytes) -> None:
        assert not self.closed
        self.writes.append(data)

    def close(self) -> None:
        self.closed = True

    def is_closing(self) -> bool:
        return self.closed


def joined() -> tuple[JoinedWrites, Recorder]:
    recorder = Recorder()
    transport: Any = recorder
    return JoinedWrites(transport, asyncio.get_running_loop()), recorder


async def test_head_and_body_go_out_in_one_write() -> None:
    writes, recorder = joined()
    writes.write(b"HTTP/1.1 200 OK\r\n\r\n")
    assert recorder.writes == []
    writes.write(b"{}")
    assert recorder.writes == [b"HTTP/1.1 200 OK\r\n\r\n{}"]
    await asyncio.sleep(0)  # the end-of-turn flush finds nothing held
    assert recorder.writes == [b"HTTP/1.1 200 OK\r\n\r\n{}"]


async def test_a_head_without_a_body_goes_out_at_the_end_of_the_loop_turn() -> None:
    """A HEAD answer (or a body sent in a later turn): the head is not held longer."""
    writes, recorder = joined()
    writes.write(b"head")
    await asyncio.sleep(0)
    assert recorder.writes == [b"head"]
    writes.write(b"chunk 1")
    writes.write(b"chunk 2")
    assert recorder.writes == [b"head", b"chunk 1chunk 2"]


async def test_close_writes_what_is_held_first() -> None:
    writes, recorder = joined()
    writes.write(b"head")
    writes.close()
    assert recorder.writes == [b"head"] and recorder.closed and writes.is_closing()
    await asyncio.sleep(0)
    assert recorder.writes == [b"head"]
