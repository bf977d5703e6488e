"""Defects found by the outside-style fuzzer (scripts/fuzz.py), each pinned by a test that
failed before its fix."""

from __future__ import annotations

from tests.support import RestClient

DEEP = "[" * 1000 + "]" * 1000  # within the parser's limit, beyond str()'s recursion limit


async def test_a_deeply_nested_item_of_multiaccount_import_is_a_failed_account(
    rest: RestClient,
) -> None:
    """``str()`` of a 1,000-deep array raised RecursionError: 70500 and a traceback."""
    body = '{"Accounts":["carol",' + DEEP + "]}"
    data = await rest.call("im_open_login_svc/multiaccount_import", raw=body.encode())
    assert data["ErrorCode"] == 0, data
    assert data["FailAccounts"] == ["(an array nested too deeply to show)"]
    body = '{"AccountList":[{"UserID":' + DEEP + '},{"UserID":12}]}'
    listed = await rest.call("im_open_login_svc/multiaccount_import", raw=body.encode())
    assert listed["FailAccounts"] == ["(an array nested too deeply to show)", "12"], listed


async def test_a_deeply_nested_userid_of_account_check_and_delete_is_a_bad_item(
    rest: RestClient,
) -> None:
    for path, key in [("account_check", "CheckItem"), ("account_delete", "DeleteItem")]:
        body = '{"' + key + '":[{"UserID":' + DEEP + '},{"UserID":[1]}]}'
        data = await rest.call(f"im_open_login_svc/{path}", raw=body.encode())
        assert data["ErrorCode"] == 0, data
        items = data["ResultItem"]
        assert [i["UserID"] for i in items] == ["(an array nested too deeply to show)", "[1]"]
        assert [i["ResultCode"] for i in items] == [70402, 70402], items
        assert items[0]["ResultInfo"] == "UserID: must be a string, got array", items
