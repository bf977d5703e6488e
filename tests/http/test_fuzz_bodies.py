"""Bad input never breaks the server: mutated versions of every API's documented sample body
always get the Tencent envelope with a non-internal code (no 500, no traceback, no 30006/40006/
70500), whatever the types, sizes and shapes: lone surrogates, NUL, numbers beyond 64 bits,
deep nesting, and the lenient forms (trailing commas, comments)."""

from __future__ import annotations

import json
import random
from typing import Any

import pyjson5
import pytest

from relchain.http.routes import APIS
from tests.support import RestClient

INTERNAL = {30006, 40006, 70500}
USERS = ["u1", "u2", "u3", "id", "id1", "id2", "UserID_001", "UserID_002"]


def nested(depth: int) -> list[Any]:
    value: list[Any] = []
    for _ in range(depth):
        value = [value]
    return value


def junk(rng: random.Random, depth: int = 0) -> Any:
    """A random JSON value of any type and size."""
    kind = rng.randrange(17 if depth < 2 else 8)
    return [
        lambda: None,
        lambda: rng.choice([True, False]),
        lambda: rng.randint(-(2**70), 2**70),
        lambda: rng.choice([0, 1, -1, 2, 3, 20, 21, 100, 101, 1000, 1001, 2**32, 2**63]),
        lambda: rng.uniform(-1e9, 1e9),
        lambda: rng.choice(USERS),
        lambda: "".join(rng.choice('aZ_9 é中\x00\n"\\') for _ in range(rng.randrange(40))),
        lambda: "x" * rng.choice([0, 31, 32, 33, 97, 257, 501, 5000]),
        lambda: [junk(rng, depth + 1) for _ in range(rng.randrange(4))],
        lambda: [rng.choice(USERS) for _ in range(rng.choice([0, 1, 2, 21, 101]))],
        lambda: {rng.choice(["Tag", "Value", "To_Account", "UserID", "x"]): junk(rng, depth + 1)},
        lambda: [{"Tag": junk(rng, depth + 1), "Value": junk(rng, depth + 1)}],
        lambda: rng.choice(["\udc00", "a\ud800", "\ud83d\ude00", "\udfff\ud800"]),
        lambda: rng.choice([1e30, -1e300, -(2**63) - 1, 2**64, 1.5]),
        lambda: nested(rng.choice([50, 300, 600])),
        lambda: rng.choice(USERS) + rng.choice(["\x00", "\udc00"]),
        lambda: {"\udc00" if rng.random() < 0.5 else "k\x00": 1},
    ][kind]()


def mutate(rng: random.Random, value: Any) -> Any:
    """The documented sample with one to three random changes, anywhere in the tree."""
    if isinstance(value, dict) and value:
        out = dict(value)
        key = rng.choice(list(out))
        action = rng.randrange(4)
        if action == 0:
            del out[key]
        elif action == 1:
            out[key] = junk(rng)
        else:
            out[key] = mutate(rng, out[key])
        return out
    if isinstance(value, list) and value:
        out_list = list(value)
        index = rng.randrange(len(out_list))
        if rng.random() < 0.5:
            out_list[index] = mutate(rng, out_list[index])
        else:
            out_list.insert(index, junk(rng))
        return out_list
    return junk(rng)


@pytest.mark.parametrize("api", APIS, ids=lambda api: api.path)
async def test_mutated_samples_get_the_envelope_and_never_an_internal_error(
    rest: RestClient, api: Any
) -> None:
    await rest.import_accounts(*USERS)
    sample = pyjson5.decode(api.sample)
    rng = random.Random(api.path)
    for _ in range(60):
        body = sample
        for _ in range(rng.randint(1, 3)):
            body = mutate(rng, body)
        wire = json.dumps(body if isinstance(body, dict) else {"x": body}).encode()
        if rng.random() < 0.3:  # the lenient forms: a trailing comma, a comment
            wire = wire[:-1] + rng.choice([b",}", b"/* c */}", b"\n// c\n}"])
        data = await rest.call(api.path, raw=wire)  # stdlib json: integers beyond 64 bits too
        assert {"ActionStatus", "ErrorCode", "ErrorInfo", "ErrorDisplay"} <= data.keys()
        assert data["ErrorCode"] not in INTERNAL, (body, data)
        assert "Traceback" not in data["ErrorInfo"]
        if data["ErrorCode"] != 0:
            assert data["ActionStatus"] == "FAIL"
            assert ":" in data["ErrorInfo"], data  # names the field
