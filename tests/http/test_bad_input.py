"""Input that once reached an internal code, a 500 or a stall (issue 13, defects 2-5): each gets
the documented code naming the field, before anything is written, and nothing is logged as an
internal error."""

from __future__ import annotations

import base64
import logging
import zlib
from typing import Any

import pytest

from relchain.domain.errors import Code
from tests.http.test_gate import failure, post
from tests.support import RestClient

IMPORT = "/v4/im_open_login_svc/account_import"
MULTI = "/v4/im_open_login_svc/multiaccount_import"


@pytest.fixture(autouse=True)
def no_internal_errors(caplog: pytest.LogCaptureFixture) -> Any:
    """None of these inputs may log an error (a traceback means an unexpected path)."""
    caplog.set_level(logging.WARNING)
    yield
    errors = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert not errors, [r.getMessage() for r in errors]


async def imported(rest: RestClient, *user_ids: str) -> list[str]:
    data = await rest.ok(
        "im_open_login_svc/account_check", {"CheckItem": [{"UserID": u} for u in user_ids]}
    )
    return [i["UserID"] for i in data["ResultItem"] if i["AccountStatus"] == "Imported"]


# ---------------------------------------------------------------- lone surrogates (defect 2)


async def test_a_lone_surrogate_refuses_the_whole_import_before_any_write(
    rest: RestClient,
) -> None:
    data = await post(rest, rest.query(), MULTI, b'{"Accounts":["carol","\\udc00"]}')
    failure(data, Code.ACCOUNT_BAD_PARAM, "Accounts[1]")
    assert "lone surrogate \\udc00" in data["ErrorInfo"]
    assert await imported(rest, "carol") == []


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        (
            "im_open_login_svc/account_check",
            b'{"CheckItem":[{"UserID":"\\ud800"}]}',
            "CheckItem[0].UserID",
        ),
        (
            "im_open_login_svc/account_delete",
            b'{"DeleteItem":[{"UserID":"a\\uDFFF"}]}',
            "DeleteItem[0].UserID",
        ),
        ("im_open_login_svc/account_import", b'{"UserID":"x","Nick":"\\udc00"}', "Nick"),
        ("im_open_login_svc/account_import", b'{"UserID":"x","\\ud800":1}', "'\\ud800'"),
    ],
)
async def test_lone_surrogates_in_account_apis_are_70402_naming_the_field(
    rest: RestClient, path: str, body: bytes, field: str
) -> None:
    failure(await post(rest, rest.query(), f"/v4/{path}", body), Code.ACCOUNT_BAD_PARAM, field)
    assert await imported(rest, "x") == []


async def test_lone_surrogates_in_profile_and_sns_text_are_their_bad_param_codes(
    rest: RestClient,
) -> None:
    await rest.import_accounts("u1", "u2")
    body = b'{"From_Account":"u1","ProfileItem":[{"Tag":"Tag_Profile_IM_Nick","Value":"\\ud83d"}]}'
    failure(
        await post(rest, rest.query(), "/v4/profile/portrait_set", body),
        Code.PROFILE_BAD_PARAM,
        "ProfileItem[0].Value",
    )
    body = (
        b'{"From_Account":"u1","AddFriendItem":[{"To_Account":"u2",'
        b'"AddSource":"AddSource_Type_A","Remark":"\\udead"}],"ForceAddFlags":1}'
    )
    failure(
        await post(rest, rest.query(), "/v4/sns/friend_add", body),
        Code.SNS_BAD_PARAM,
        "AddFriendItem[0].Remark",
    )
    friends = await rest.ok("sns/friend_get", {"From_Account": "u1", "StartIndex": 0})
    assert friends.get("FriendNum", 0) == 0


async def test_a_surrogate_pair_is_text_but_one_split_by_a_comment_is_not(
    rest: RestClient,
) -> None:
    await rest.ok("im_open_login_svc/account_import", {"UserID": "x", "Nick": "\U0001f600"})
    await post(rest, rest.query(), IMPORT, b'{"UserID":"y","Nick":"\\ud83d\\ude00",}')
    data = await rest.ok(
        "profile/portrait_get", {"To_Account": ["x", "y"], "TagList": ["Tag_Profile_IM_Nick"]}
    )
    assert [u["ProfileItem"][0]["Value"] for u in data["UserProfileItem"]] == ["\U0001f600"] * 2
    # in strict JSON the "comment" is text: two lone surrogates, the field is named
    data = await post(rest, rest.query(), IMPORT, b'{"UserID":"z","Nick":"\\ud83d/*c*/\\ude00"}')
    failure(data, Code.ACCOUNT_BAD_PARAM, "Nick")
    # a JSON5 body with a lone surrogate cannot be read at all
    data = await post(rest, rest.query(), IMPORT, b"{'UserID':'z','Nick':'\\ud83d/*c*/\\ude00',}")
    failure(data, Code.JSON_PARSE, "body")
    assert "surrogate" in data["ErrorInfo"]
    assert await imported(rest, "z") == []


# ---------------------------------------------------------------- lenient JSON (defect 3)


async def test_large_lenient_bodies_are_parsed_in_c(rest: RestClient) -> None:
    """A 1 MiB body with a comment, single quotes and trailing commas is JSON5, parsed by pyjson5
    (json5, pure Python, once took 2.5 s for 64 KiB and refused anything larger)."""
    ones = b"1," * 500_000
    body = b"{'UserID': 'big', /* a comment */ 'X': [" + ones + b"],}"
    assert len(body) > 1_000_000
    assert (await post(rest, rest.query(), IMPORT, body))["ErrorCode"] == 0
    assert await imported(rest, "big") == ["big"]


@pytest.mark.parametrize(
    "body",
    [b"{'UserID': 'x', // line comment\n}", b"{UserID: \"x\", Nick: 'A\\'s', N: 0x10,}"],
)
async def test_json5_syntax_is_accepted(rest: RestClient, body: bytes) -> None:
    assert (await post(rest, rest.query(), IMPORT, body))["ErrorCode"] == 0


# ---------------------------------------------------------------- nesting (defect 4)


async def test_deep_nesting_is_refused_or_ignored_never_an_internal_error(
    rest: RestClient,
) -> None:
    deep = b"[" * 1000 + b"]" * 1000
    assert (await post(rest, rest.query(), IMPORT, b'{"UserID":"x","X":' + deep + b"}"))[
        "ErrorCode"
    ] == 0  # unknown fields are ignored, however deep (orjson: up to 1024 levels)
    too_deep = b"[" * 1100 + b"]" * 1100
    failure(
        await post(rest, rest.query(), IMPORT, b'{"UserID":"x","X":' + too_deep + b"}"),
        Code.JSON_PARSE,
        "body",
    )
    data = await post(rest, rest.query(), IMPORT, b'{"UserID":"x","X":' + deep + b",}")
    failure(data, Code.JSON_PARSE, "body")
    assert "nested deeper than 256 levels" in data["ErrorInfo"]
    nul = b'{"UserID":"x","X":' + b"[" * 1000 + b'"\\u0000"' + b"]" * 1000 + b"}"
    data = await post(rest, rest.query(), IMPORT, nul)
    failure(data, Code.ACCOUNT_BAD_PARAM, "X" + "[0]" * 1000)
    data = await post(
        rest, rest.query(), "/v4/im_open_login_svc/account_import", b'{"UserID":' + deep + b"}"
    )
    failure(data, Code.ACCOUNT_BAD_PARAM, "UserID")


# ---------------------------------------------------------------- before credentials (defect 4)


async def test_a_5000_digit_sdkappid_or_random_is_a_query_error(rest: RestClient) -> None:
    data = await post(rest, rest.query(sdkappid="9" * 5000))
    failure(data, Code.SDKAPPID_INVALID, "sdkappid")
    assert len(data["ErrorInfo"]) < 200
    failure(await post(rest, rest.query(random="9" * 5000)), Code.HTTP_PARSE, "random")


def sig_of(document: bytes) -> str:
    raw = base64.b64encode(zlib.compress(document, 9)).decode()
    return raw.translate(str.maketrans({"+": "*", "/": "-", "=": "_"}))


@pytest.mark.parametrize(
    "document",
    [
        b'{"TLS.ver":"2.0","x":' + b"[" * 120_000 + b"]" * 120_000 + b"}",  # inflates to 240 KB
        b'{"TLS.ver":"2.0","x":' + b"[" * 5000 + b"]" * 5000 + b"}",
        b'{"TLS.ver":"2.0","TLS.time":' + b"9" * 5000 + b"}",
        b'{"TLS.ver":"2.0","TLS.identifier":"\\udc00"}',
        b"[" * 50 + b"]" * 50,
    ],
)
async def test_malicious_usersigs_are_70003(rest: RestClient, document: bytes) -> None:
    failure(await post(rest, rest.query(usersig=sig_of(document))), Code.SIG_INVALID, "usersig")


# ---------------------------------------------------------------- 64-bit integers (defect 5)


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        (
            "sns/friend_add",
            b'{"From_Account":"u","AddFriendItem":[{"To_Account":"v","AddSource":"AddSource_Type_A"}],"ForceAddFlags":-9223372036854775809}',
            "ForceAddFlags",
        ),
        (
            "sns/friend_add",
            b'{"From_Account":"u","AddFriendItem":[{"To_Account":"v","AddSource":"AddSource_Type_A"}],"ForceAddFlags":1e30}',
            "ForceAddFlags",
        ),
        (
            "sns/friend_add",
            b'{"From_Account":"u","AddFriendItem":[{"To_Account":"v","AddSource":"AddSource_Type_A"}],"ForceAddFlags":18446744073709551616}',
            "ForceAddFlags",
        ),
        (
            "sns/friend_add",
            b'{"From_Account":"u","AddFriendItem":[{"To_Account":"v","AddSource":"AddSource_Type_A"}],"ForceAddFlags":1.5}',
            "ForceAddFlags",
        ),
        ("follow/follow_get", b'{"From_Account":"u","FollowType":1,"WantNum":1e30}', "WantNum"),
        (
            "follow/follow_get",
            b'{"From_Account":"u","FollowType":1,"WantNum":100000000000000000000000,}',
            "WantNum",
        ),
    ],
)
async def test_integers_beyond_64_bits_are_refused_in_strict_and_lenient_bodies(
    rest: RestClient, path: str, body: bytes, field: str
) -> None:
    await rest.import_accounts("u", "v")
    data = await post(rest, rest.query(), f"/v4/{path}", body)
    failure(data, Code.SNS_BAD_PARAM, field)
    friends = await rest.ok("sns/friend_get", {"From_Account": "u", "StartIndex": 0})
    assert friends.get("FriendNum", 0) == 0


async def test_a_whole_float_in_range_is_taken_as_the_integer(rest: RestClient) -> None:
    await rest.import_accounts("u")
    data = await post(
        rest,
        rest.query(),
        "/v4/follow/follow_get",
        b'{"From_Account":"u","FollowType":1,"WantNum":2.0}',
    )
    assert data["ErrorCode"] == 0
