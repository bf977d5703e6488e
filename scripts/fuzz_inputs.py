"""The inputs of scripts/fuzz.py: query strings and bodies, good and bad, from a seeded random.

Each maker returns raw bytes, so anything can be sent: lone surrogates as JSON escapes and as
raw (invalid UTF-8) bytes, integers of thousands of digits, nesting far past any parser's limit.
"""

from __future__ import annotations

import json
import random
import zlib
from base64 import b64encode
from typing import Any
from urllib.parse import quote

import pyjson5

from relchain.auth.usersig import generate_usersig
from relchain.http.api import Api

__all__ = ["BodyMaker", "QueryMaker"]

_URLSAFE = bytes.maketrans(b"+/=", b"*-_")


def tls_blob(payload: bytes) -> str:
    """``payload`` encoded as a UserSig is (zlib, then base64 with Tencent's alphabet)."""
    return b64encode(zlib.compress(payload)).translate(_URLSAFE).decode()


class QueryMaker:
    """The URL query: mostly the valid admin query, sometimes one broken part."""

    def __init__(self, rng: random.Random, sdkappid: int, admin: str, sig: str, key: str) -> None:
        self.rng = rng
        self.parts = {
            "sdkappid": str(sdkappid),
            "identifier": admin,
            "usersig": sig,
            "random": "1234",
            "contenttype": "json",
        }
        self.valid = self.encode(self.parts)
        expired = generate_usersig(key, sdkappid, admin, 10, 1_600_000_000)
        other_app = generate_usersig(key, sdkappid + 1, admin, 86400, 1_700_000_000)
        other_user = generate_usersig(key, sdkappid, "id", 86400 * 3650, 1_700_000_000)
        wrong_key = generate_usersig("0" * 64, sdkappid, admin, 86400 * 3650, 1_700_000_000)
        nested = tls_blob(b"[" * 120_000)
        huge_number = tls_blob(b'{"TLS.ver":"2.0","TLS.time":' + b"9" * 5000 + b"}")
        self.bad: dict[str, list[str]] = {
            "sdkappid": [
                "",
                "0",
                "-1",
                "1e3",
                "abc",
                "9" * 5000,
                "9" * 19,
                "18446744073709551616",
                " 1",
                "１４",
                str(sdkappid) + "\x00",
                str(sdkappid + 1),
            ],
            "identifier": ["", "x" * 5000, "\x00", "\udc00", "id", "admin istrator", "é"],
            "usersig": [
                "",
                "garbage",
                "x" * 10_000,
                nested,
                huge_number,
                expired,
                other_app,
                other_user,
                wrong_key,
                sig[:-5],
                sig + "AAAA",
                tls_blob(b"{}"),
                tls_blob(b"\xff\xfe"),
                tls_blob(b'{"TLS.ver":"2.0","TLS.identifier":["x"]}'),
            ],
            "random": ["-1", "4294967296", "1" * 5000, "abc", "", "1.5", "0x10"],
            "contenttype": ["xml", "", "JSON", "json\x00"],
        }

    @staticmethod
    def encode(parts: dict[str, str]) -> bytes:
        return "&".join(
            f"{name}={quote(value, safe='*-_', errors='surrogatepass')}"
            for name, value in parts.items()
        ).encode()

    def make(self) -> bytes:
        rng = self.rng
        roll = rng.random()
        if roll < 0.85:
            if roll < 0.2:
                return self.valid.replace(
                    b"random=1234", f"random={rng.randrange(1 << 32)}".encode()
                )
            return self.valid
        parts = dict(self.parts)
        choice = rng.randrange(6)
        if choice == 0:
            del parts[rng.choice(list(parts))]
            return self.encode(parts)
        if choice == 1:  # two values of one parameter, or junk pairs
            name = rng.choice(list(parts))
            return self.valid + b"&" + self.encode({name: rng.choice(self.bad[name]) or "x"})
        if choice == 2:
            return rng.choice([b"&&&", b"=x&" + self.valid, b"%zz=1&" + self.valid, b"", b"?"])
        if choice == 3:  # raw bytes a browser would have escaped
            return self.valid + rng.choice([b"&x=\xff\xfe", b"&x=%ff%fe", b"&x=%", b"&x=%E9"])
        name = rng.choice(list(self.bad))
        parts[name] = rng.choice(self.bad[name])
        return self.encode(parts)


def nested_text(depth: int, kind: str = "[") -> str:
    if kind == "[":
        return "[" * depth + "]" * depth
    return '{"a":' * depth + "1" + "}" * depth


NUMBERS = [
    "1e400",
    "-1e400",
    "1e-400",
    "9" * 5000,
    "-" + "9" * 5000,
    "-9223372036854775809",
    "9223372036854775808",
    "18446744073709551616",
    "1.0",
    "-0",
    "1e30",
    "0.5",
    "4294967296",
    "-1",
]
LENIENT_NUMBERS = ["0x10", "NaN", "Infinity", "-Infinity", "+1", ".5", "5."]


class BodyMaker:
    """Request bodies: the API's documented sample, changed in one of many ways."""

    def __init__(self, rng: random.Random, users: list[str]) -> None:
        self.rng = rng
        self.users = users
        self.big_comment = (
            b'{"X":[' + b",".join([b"1"] * 32_000) + b"]/*c*/}"
        )  # 64 KiB of lenient JSON
        self.over_limit = b'{"Accounts":["' + b"x" * (3 << 20) + b'"]}'  # 3 MiB
        self.near_limit = json.dumps({"Accounts": [f"u{i:06d}" for i in range(80_000)]}).encode()
        self.kinds = [
            (self.sample, 4),
            (self.mutated, 30),
            (self.types, 10),
            (self.surrogates, 8),
            (self.numbers, 8),
            (self.nesting, 6),
            (self.lenient, 12),
            (self.garbage, 6),
            (self.nul, 3),
            (self.huge, 1),
        ]
        self.weights = [weight for _, weight in self.kinds]

    def make(self, api: Api) -> tuple[str, bytes]:
        ((maker, _),) = self.rng.choices(self.kinds, self.weights)
        return maker.__name__, maker(api)

    # -- values

    def junk(self, depth: int = 0) -> Any:
        rng = self.rng
        kind = rng.randrange(16 if depth < 2 else 8)
        return [
            lambda: None,
            lambda: rng.choice([True, False]),
            lambda: rng.randint(-(2**70), 2**70),
            lambda: rng.choice([0, 1, -1, 2, 3, 20, 21, 100, 101, 1000, 1001, 2**32, 2**63]),
            lambda: rng.uniform(-1e9, 1e9),
            lambda: rng.choice(self.users),
            lambda: "".join(
                rng.choice('aZ_9 é中\x00\n"\\\u2028') for _ in range(rng.randrange(40))
            ),
            lambda: "x" * rng.choice([0, 31, 32, 33, 97, 257, 501, 5000]),
            lambda: [self.junk(depth + 1) for _ in range(rng.randrange(4))],
            lambda: [rng.choice(self.users) for _ in range(rng.choice([0, 1, 2, 21, 101, 1001]))],
            lambda: {
                rng.choice(["Tag", "Value", "To_Account", "UserID", "x"]): self.junk(depth + 1)
            },
            lambda: [{"Tag": self.junk(depth + 1), "Value": self.junk(depth + 1)}],
            lambda: rng.choice(["\udc00", "a\ud800", "\ud83d\ude00", "\udfff\ud800"]),
            lambda: rng.choice([1e30, -1e300, -(2**63) - 1, 2**64, 1.5, float(2**63)]),
            lambda: rng.choice(self.users) + rng.choice(["\x00", "\udc00", " ", "\x7f"]),
            lambda: {"\udc00" if rng.random() < 0.5 else "k\x00": 1},
        ][kind]()

    def mutate(self, value: Any) -> Any:
        rng = self.rng
        if isinstance(value, dict) and value:
            out = dict(value)
            key = rng.choice(list(out))
            action = rng.randrange(5)
            if action == 0:
                del out[key]
            elif action == 1:
                out[key] = self.junk()
            elif action == 2:
                out[self.rng.choice(["x", key + "_", key.lower()])] = self.junk()
            else:
                out[key] = self.mutate(out[key])
            return out
        if isinstance(value, list) and value:
            items = list(value)
            index = rng.randrange(len(items))
            if rng.random() < 0.5:
                items[index] = self.mutate(items[index])
            elif rng.random() < 0.5:
                items.insert(index, self.junk())
            else:  # longer: past a limit, yet bounded (a few mutations must not multiply it)
                items = (items * rng.choice([2, 50, 1001]))[:1001]
            return items
        return self.junk()

    def encode(self, value: Any) -> bytes:
        """JSON text: escapes (``\\udc00``) or raw bytes (a lone surrogate as invalid UTF-8)."""
        if self.rng.random() < 0.7:
            return json.dumps(value).encode()
        return json.dumps(value, ensure_ascii=False).encode("utf-8", "surrogatepass")

    def parsed(self, api: Api) -> dict[str, Any]:
        value: dict[str, Any] = pyjson5.decode(api.sample)
        return value

    # -- kinds of body

    def sample(self, api: Api) -> bytes:
        return api.sample.encode()

    def mutated(self, api: Api) -> bytes:
        value: Any = self.parsed(api)
        for _ in range(self.rng.randint(1, 3)):
            value = self.mutate(value)
        return self.encode(value)

    def types(self, api: Api) -> bytes:
        value = self.parsed(api)
        for key in value:
            if self.rng.random() < 0.6:
                value[key] = self.rng.choice(
                    [None, True, 0, -1, 1.5, "", "x", [], {}, [None], [1], {"a": 1}, [[]]]
                )
        return self.encode(value)

    def surrogates(self, api: Api) -> bytes:
        text = self.sample(api)
        bad = self.rng.choice(
            [rb"\udc00", rb"\ud800", rb"a\udfff", rb"\ud83d", rb"\ude00x", rb"\ud83d\u0041"]
        )
        raw = self.rng.choice([b"\xed\xb0\x80", b"\xed\xa0\xbd", b"\xff", b"\xc0\x80"])
        form = self.rng.randrange(5)
        if form == 0:  # inside the first string value
            return text.replace(b'":"', b'":"' + bad, 1)
        if form == 1:  # in a key
            return text.replace(b'{"', b'{"' + bad, 1)
        if form == 2:  # raw bytes of a surrogate (invalid UTF-8)
            return text.replace(b'":"', b'":"' + raw, 1)
        if form == 3:  # a pair split by a comment (lenient body)
            return text.replace(b'":"', b'":"\\ud83d"/*c*/+"\\ude00', 1)
        return text.replace(b'":"', b'":"\\ud83d', 1).rstrip(b"}") + b"/*c*/}"

    def numbers(self, api: Api) -> bytes:
        value = self.parsed(api)
        key = self.rng.choice(list(value))
        pool = NUMBERS + (LENIENT_NUMBERS if self.rng.random() < 0.3 else [])
        number = self.rng.choice(pool)
        marker = "__NUMBER__"
        if isinstance(value[key], list) and value[key] and self.rng.random() < 0.5:
            value[key][0] = marker
        else:
            value[key] = marker
        return json.dumps(value).replace(f'"{marker}"', number).encode()

    def nesting(self, api: Api) -> bytes:
        value = self.parsed(api)
        key = self.rng.choice(list(value))
        depth = self.rng.choice([100, 255, 256, 257, 1000, 1023, 1024, 1025, 5000, 100_000])
        nested = nested_text(depth, self.rng.choice("[{"))
        value[key] = "__NESTED__"
        text = json.dumps(value).replace('"__NESTED__"', nested)
        if self.rng.random() < 0.3:
            text = text[:-1] + "/*lenient*/}"
        if self.rng.random() < 0.2:
            text = nested_text(depth)  # the whole body
        return text.encode()

    def lenient(self, api: Api) -> bytes:
        if self.rng.random() < 0.03:
            return self.big_comment
        text = json.dumps(self.parsed(api))
        for _ in range(self.rng.randint(1, 3)):
            form = self.rng.randrange(6)
            if form == 0:
                text = text[:-1] + ",}"
            elif form == 1:
                text = "// a comment\n" + text
            elif form == 2:
                text = text.replace(",", ",/* c */", 1)
            elif form == 3:
                text = text.replace('"', "'")
            elif form == 4:
                text = text.replace('{"', "{", 1).replace('":', ":", 1)
            else:
                text = text.replace("]", ",]", 1)
        return text.encode()

    def garbage(self, api: Api) -> bytes:
        rng = self.rng
        return rng.choice(
            [
                b"",
                b"null",
                b"[]",
                b'"x"',
                b"1",
                b"{",
                b"}",
                b"\xff\xfe\xfd",
                b"\xef\xbb\xbf" + api.sample.encode(),
                api.sample.encode() + b" trailing",
                api.sample.encode() + b"\x00",
                bytes(rng.randrange(256) for _ in range(rng.randrange(200))),
                b"{" * 10 + b"}" * 9,
                b'{"a":1,"a":2}',
                b"{'a'}",
                b"/*",
                b"//",
            ]
        )

    def nul(self, api: Api) -> bytes:
        text = self.sample(api)
        return (
            text.replace(b'":"', b'":"\\u0000', 1)
            if self.rng.random() < 0.7
            else (text.replace(b'{"', b'{"\\u0000', 1))
        )

    def huge(self, api: Api) -> bytes:
        if self.rng.random() < 0.5:
            return self.over_limit
        return self.near_limit
