"""Every failure of the URL, UserSig, admin and rate-limit checks, over HTTP, with exact codes."""

from __future__ import annotations

from typing import Any

import pytest

from relchain.auth.usersig import generate_usersig
from relchain.domain.errors import Code
from relchain.http.routes import APIS
from tests.support import KEY, SDKAPPID, RestClient

ENVELOPE_KEYS = {"ActionStatus", "ErrorCode", "ErrorInfo", "ErrorDisplay"}
IMPORT = "/v4/im_open_login_svc/account_import"


async def post(
    rest: RestClient, params: dict[str, Any], path: str = IMPORT, body: bytes = b'{"UserID":"u1"}'
) -> dict[str, Any]:
    response = await rest.http.post(path, params=params, content=body)
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    data: dict[str, Any] = response.json()
    assert data.keys() >= ENVELOPE_KEYS
    assert data["ActionStatus"] == ("OK" if data["ErrorCode"] == 0 else "FAIL")
    return data


def failure(data: dict[str, Any], code: int, field: str) -> None:
    assert data == {
        "ActionStatus": "FAIL",
        "ErrorCode": code,
        "ErrorInfo": data["ErrorInfo"],
        "ErrorDisplay": "",
    }
    assert data["ErrorInfo"].startswith(f"{field}:"), data["ErrorInfo"]
    assert KEY not in data["ErrorInfo"]


async def test_unknown_path_is_60009(rest: RestClient) -> None:
    failure(await post(rest, rest.query(), "/v4/sns/no_such_api"), Code.BAD_RESOURCE, "path")
    failure(await post(rest, rest.query(), "/elsewhere"), Code.BAD_RESOURCE, "path")


async def test_get_is_60002(rest: RestClient) -> None:
    response = await rest.http.get(IMPORT, params=rest.query())
    failure(response.json(), Code.HTTP_PARSE, "method")


async def test_missing_sdkappid_is_60012(rest: RestClient) -> None:
    failure(await post(rest, rest.query(sdkappid=None)), Code.SDKAPPID_MISSING, "sdkappid")


@pytest.mark.parametrize("value", ["abc", "1400000002", "-5"])
async def test_unknown_or_malformed_sdkappid_is_60006(rest: RestClient, value: str) -> None:
    failure(await post(rest, rest.query(sdkappid=value)), Code.SDKAPPID_INVALID, "sdkappid")


async def test_missing_identifier_is_60002(rest: RestClient) -> None:
    params = rest.query()
    del params["identifier"]
    failure(await post(rest, params), Code.HTTP_PARSE, "identifier")


@pytest.mark.parametrize("value", ["abc", "-1", "4294967296", ""])
async def test_malformed_random_is_60002(rest: RestClient, value: str) -> None:
    failure(await post(rest, rest.query(random=value)), Code.HTTP_PARSE, "random")


async def test_repeated_random_and_absent_random_are_accepted(rest: RestClient) -> None:
    params = [*rest.query().items(), ("random", "4294967295")]
    assert (await post(rest, params))["ErrorCode"] == 0  # type: ignore[arg-type]
    assert (await post(rest, rest.query(random=None)))["ErrorCode"] == 0


async def test_contenttype_other_than_json_is_60002(rest: RestClient) -> None:
    failure(await post(rest, rest.query(contenttype="xml")), Code.HTTP_PARSE, "contenttype")


async def test_missing_usersig_is_70002(rest: RestClient) -> None:
    failure(await post(rest, rest.query(usersig=None)), Code.SIG_EMPTY, "usersig")


async def test_garbage_usersig_is_70003(rest: RestClient) -> None:
    failure(await post(rest, rest.query(usersig="garbage")), Code.SIG_INVALID, "usersig")


async def test_usersig_of_another_app_is_70014(rest: RestClient) -> None:
    sig = generate_usersig(KEY, SDKAPPID + 1, "admin", 3600, int(rest.clock.now()))
    failure(await post(rest, rest.query(usersig=sig)), Code.SIG_SDKAPPID_MISMATCH, "usersig")


async def test_usersig_of_another_identifier_is_70013(rest: RestClient) -> None:
    sig = generate_usersig(KEY, SDKAPPID, "other", 3600, int(rest.clock.now()))
    failure(await post(rest, rest.query(usersig=sig)), Code.SIG_IDENTIFIER_MISMATCH, "usersig")


async def test_expired_usersig_is_70001_even_when_it_was_accepted_before(rest: RestClient) -> None:
    sig = generate_usersig(KEY, SDKAPPID, "admin", 60, int(rest.clock.now()))
    assert (await post(rest, rest.query(usersig=sig)))["ErrorCode"] == 0
    rest.clock.advance(61)
    failure(await post(rest, rest.query(usersig=sig)), Code.SIG_EXPIRED, "usersig")


async def test_usersig_signed_with_another_key_is_70009(rest: RestClient) -> None:
    sig = generate_usersig("not-the-key", SDKAPPID, "admin", 3600, int(rest.clock.now()))
    failure(await post(rest, rest.query(usersig=sig)), Code.SIG_MISMATCH, "usersig")


@pytest.mark.parametrize("api", APIS, ids=lambda api: api.path)
async def test_valid_usersig_of_a_non_admin_gets_the_services_code(
    rest: RestClient, api: Any
) -> None:
    data = await post(rest, rest.query("alice"), f"/v4/{api.path}", api.sample.encode())
    failure(data, api.group.not_admin, "identifier")


def test_non_admin_codes_are_the_decided_ones() -> None:
    codes = {api.path.split("/")[0]: int(api.group.not_admin) for api in APIS}
    assert codes["im_open_login_svc"] == 70403
    assert codes["profile"] == 40004
    for service in ("sns", "follow"):
        if service in codes:
            assert codes[service] == 30004


async def test_rate_limit_is_60007_and_does_no_work(rest: RestClient) -> None:
    await rest.ok("im_open_login_svc/account_import", {"UserID": "u0"})
    await rest.set_setting("rate_limit", "2")
    await rest.set_setting("rate_burst_percent", "100")  # both calls may come at once
    rest.clock.advance(1)
    for user in ("u1", "u2"):
        await rest.ok("im_open_login_svc/account_import", {"UserID": user})
    data = await rest.call("im_open_login_svc/account_import", {"UserID": "u3"})
    failure(data, Code.RATE_LIMITED, "im_open_login_svc/account_import")
    # other commands have their own budget; u3 was not created
    check = await rest.ok("im_open_login_svc/account_check", {"CheckItem": [{"UserID": "u3"}]})
    assert check["ResultItem"][0]["AccountStatus"] == "NotImported"
    rest.clock.advance(1)
    await rest.ok("im_open_login_svc/account_import", {"UserID": "u3"})


@pytest.mark.parametrize(
    "content_type", [None, "text/plain", "application/json", "application/x-www-form-urlencoded"]
)
async def test_body_is_json_whatever_the_content_type(
    rest: RestClient, content_type: str | None
) -> None:
    headers = {"content-type": content_type} if content_type else {}
    response = await rest.http.post(
        IMPORT, params=rest.query(), content=b'{"UserID":"ct"}', headers=headers
    )
    assert response.json()["ErrorCode"] == 0


async def test_trailing_commas_and_unknown_fields_are_accepted(rest: RestClient) -> None:
    body = b'{"UserID":"tc","Nick":"n","Unknown":{"x":[1,2,],},}'
    assert (await post(rest, rest.query(), body=body))["ErrorCode"] == 0


@pytest.mark.parametrize("body", [b"", b"{", b"not json", b"\xff\xfe", b"[1,2]", b'"text"', b"42"])
async def test_body_that_is_not_a_json_object_is_60003(rest: RestClient, body: bytes) -> None:
    failure(await post(rest, rest.query(), body=body), Code.JSON_PARSE, "body")


async def test_body_over_one_mebibyte_is_refused_cleanly(rest: RestClient) -> None:
    big = b'{"UserID":"big","Nick":"' + b"x" * (1024 * 1024) + b'"}'
    failure(await post(rest, rest.query(), body=big), Code.JSON_PARSE, "body")

    async def chunks() -> Any:
        for _ in range(20):
            yield b" " * 65536

    response = await rest.http.post(IMPORT, params=rest.query(), content=chunks())
    failure(response.json(), Code.JSON_PARSE, "body")


async def test_wrong_field_type_gets_the_services_bad_parameter_code(rest: RestClient) -> None:
    failure(
        await rest.call("im_open_login_svc/account_import", {"UserID": 5}),
        Code.ACCOUNT_BAD_PARAM,
        "UserID",
    )
    failure(
        await rest.call("profile/portrait_set", {"From_Account": ["x"], "ProfileItem": []}),
        Code.PROFILE_BAD_PARAM,
        "From_Account",
    )


async def test_healthz_answers_the_empty_envelope(rest: RestClient) -> None:
    response = await rest.http.get("/healthz")
    assert response.json() == {
        "ActionStatus": "OK",
        "ErrorCode": 0,
        "ErrorInfo": "",
        "ErrorDisplay": "",
    }


def test_split_query_decodes_only_what_is_encoded() -> None:
    from relchain.http.gate import split_query

    assert split_query(b"") == {}
    assert split_query(b"a=1&&b=x%2Ay&a=2&c&d=1+2&e%5F=%") == {
        "a": ["1", "2"],
        "b": ["x*y"],
        "c": [""],
        "d": ["1 2"],
        "e_": ["%"],
    }


async def test_percent_encoded_usersig_is_decoded(rest: RestClient) -> None:
    params = rest.query()
    sig = params.pop("usersig")
    encoded = "".join(f"%{ord(ch):02X}" for ch in sig)
    raw = "&".join(f"{k}={v}" for k, v in params.items()) + f"&usersig={encoded}"
    response = await rest.http.post(f"{IMPORT}?{raw}", content=b'{"UserID":"enc"}')
    assert response.json()["ErrorCode"] == 0


@pytest.mark.parametrize(
    ("path", "body", "code", "field"),
    [
        ("im_open_login_svc/account_import", b'{"UserID":"u","Nick":"a\\u0000b"}', 70402, "Nick"),
        (
            "profile/portrait_set",
            b'{"From_Account":"u","ProfileItem":[{"Tag":"x","Value":"\\u0000"}]}',
            40001,
            "ProfileItem[0].Value",
        ),
        (
            "follow/follow_check",
            b'{"From_Account":"u","To_Account":["a\\u0000"],}',
            30001,
            "To_Account[0]",
        ),
        ("sns/friend_check", b"{'From_Account':'u','To_Account':['\\0']}", 30001, "To_Account[0]"),
    ],
)
async def test_nul_characters_in_strings_are_refused_naming_the_field(
    rest: RestClient, path: str, body: bytes, code: int, field: str
) -> None:
    failure(await post(rest, rest.query(), f"/v4/{path}", body), code, field)


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        (
            "sns/friend_get",
            b'{"From_Account":"u","StartIndex":992568280405451526415}',
            "StartIndex",
        ),
        (
            "sns/black_list_get",
            b'{"From_Account":"u","StartIndex":0,"MaxLimited":10,"LastSequence":-99999999999999999999}',
            "LastSequence",
        ),
    ],
)
async def test_integers_beyond_64_bits_are_refused_naming_the_field(
    rest: RestClient, path: str, body: bytes, field: str
) -> None:
    await rest.import_accounts("u")
    failure(await post(rest, rest.query(), f"/v4/{path}", body), 30001, field)


@pytest.mark.parametrize(
    ("override", "code", "field"),
    [
        ({"sdkappid": "²"}, 60006, "sdkappid"),
        ({"sdkappid": "9999999999999999999"}, 60006, "sdkappid"),
        ({"random": "¹"}, 60002, "random"),
        ({"random": "１"}, 60002, "random"),
    ],
)
async def test_non_ascii_digits_and_out_of_range_numbers_in_the_query(
    rest: RestClient, override: dict[str, str], code: int, field: str
) -> None:
    failure(await post(rest, rest.query(**override)), code, field)


async def test_a_1000_item_friend_import_with_trailing_commas(rest: RestClient) -> None:
    ids = ["me", *[f"f{i}" for i in range(1000)]]
    for start in range(0, len(ids), 100):
        await rest.import_accounts(*ids[start : start + 100])
    items = b",".join(
        b'{"To_Account":"f%d","AddSource":"AddSource_Type_Bulk",}' % i for i in range(1000)
    )
    body = b'{"From_Account":"me","AddFriendItem":[' + items + b",],}"
    data = await post(rest, rest.query(), "/v4/sns/friend_import", body)
    assert data["ErrorCode"] == 0
    assert all(item["ResultCode"] == 0 for item in data["ResultItem"])
