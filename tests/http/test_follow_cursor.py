"""The follow_get cursor: round trip, URL safety, and refusal of damaged or foreign cursors."""

from __future__ import annotations

import base64
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from relchain.domain.errors import ApiError, Code
from relchain.domain.follows import ListKind, Position
from relchain.http.cursor import decode_cursor, encode_cursor

APP = 1400000001
userids = st.text(st.characters(min_codepoint=0x20, max_codepoint=0x7E), min_size=1, max_size=32)


@given(
    sdkappid=st.integers(1, 2**40),
    from_id=userids,
    kind=st.sampled_from(list(ListKind)),
    time=st.integers(0, 2**40),
    account=userids,
)
def test_cursor_round_trips_and_is_url_safe(
    sdkappid: int, from_id: str, kind: ListKind, time: int, account: str
) -> None:
    token = encode_cursor(sdkappid, from_id, kind, Position(time, account))
    assert re.fullmatch(r"[A-Za-z0-9_-]+", token)
    assert decode_cursor(sdkappid, from_id, kind, token) == Position(time, account)


def test_empty_cursor_is_the_first_page() -> None:
    assert decode_cursor(APP, "me", ListKind.FANS, "") is None


def refused(
    token: str, sdkappid: int = APP, from_id: str = "me", kind: ListKind = ListKind.FANS
) -> str:
    with pytest.raises(ApiError) as caught:
        decode_cursor(sdkappid, from_id, kind, token)
    assert caught.value.code == Code.SNS_BAD_PARAM
    assert caught.value.info.startswith("StartCursor:")
    return caught.value.info


def test_foreign_cursors_are_refused() -> None:
    token = encode_cursor(APP, "me", ListKind.FANS, Position(5, "x"))
    refused(token, sdkappid=APP + 1)
    refused(token, from_id="you")
    assert "FollowType" in refused(token, kind=ListKind.MUTUAL)


@given(data=st.data())
def test_any_single_character_change_is_refused(data: st.DataObject) -> None:
    token = encode_cursor(APP, "me", ListKind.FANS, Position(1_700_000_000, "someone"))
    index = data.draw(st.integers(0, len(token) - 1))
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
    char = data.draw(st.sampled_from([c for c in alphabet if c != token[index]]))
    changed = token[:index] + char + token[index + 1 :]
    # the last character carries spare bits; a change only there may decode to the same bytes
    if base64.urlsafe_b64decode(changed + "==") == base64.urlsafe_b64decode(token + "=="):
        return
    refused(changed)


@given(st.text(max_size=80))
def test_arbitrary_text_is_refused_with_30001_never_crashes(token: str) -> None:
    if token:
        refused(token)


@pytest.mark.parametrize(
    "token",
    [
        "abc",
        "====",
        "a b",
        base64.urlsafe_b64encode(b"\x01\x01" + b"\x00" * 20).decode(),
        base64.urlsafe_b64encode(b"\x02" * 40).decode().rstrip("="),
        "é" * 4,
        "A" * 500,
    ],
)
def test_malformed_cursors_are_refused(token: str) -> None:
    refused(token)
