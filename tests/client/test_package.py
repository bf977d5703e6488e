"""The package's surface: its exports, that it stands alone, that it covers every REST API of
the server, and that Admin and AsyncAdmin have the same methods."""

from __future__ import annotations

import inspect
import subprocess
import sys
from pathlib import Path

import relchain.client
from relchain.client import Admin, AsyncAdmin
from relchain.client._endpoint import Endpoint, Pages
from relchain.http.routes import BY_PATH

PUBLIC = {
    # clients and their settings
    "Admin", "AsyncAdmin", "Retry", "generate_usersig", "Event",
    # exceptions
    "RelchainError", "TransportError", "ConnectError", "ProtocolError", "ApiError",
    "RateLimited", "AuthError", "PermissionDenied", "InvalidRequest", "NotFound",
    "LimitExceeded", "FeatureDisabled", "ServerError",
    # results and requests
    "Batch", "ItemResult", "NewAccount", "ImportResult", "AccountCheck", "ProfileTag", "Gender",
    "AllowType", "AdminForbidType", "UserProfile", "FollowType", "FollowCheck", "FollowCounts",
    "FollowEntry", "FollowPage", "SnsTag", "AddType", "DeleteType", "CheckType",
    "FriendRelation", "AddFriend", "ImportFriend", "UpdateFriend", "FriendCheck", "FriendInfo",
    "Friend", "FriendPage", "BlockCheckType", "BlockRelation", "BlockedUser", "BlocklistPage",
    "BlocklistCheck", "ListChange", "FriendList", "FriendLists",
    # the user side (Chat) and its events
    "Chat", "BlockingChat", "Backoff", "ChatEvent", "FriendApplications", "FriendRequest",
    "FollowListChange", "FriendListChange", "FriendRequestChange", "BlocklistChange",
    "ProfileChange",
}  # fmt: skip


def test_the_exports_are_what_we_mean() -> None:
    assert set(relchain.client.__all__) == PUBLIC
    for name in PUBLIC:
        assert getattr(relchain.client, name) is not None


def test_importing_the_client_loads_no_server_package_and_no_server_dependency() -> None:
    """(click is left out of the list: httpx itself loads it for its command line.)"""
    code = (
        "import sys, relchain.client\n"
        "bad = sorted(m for m in sys.modules if (m.startswith('relchain.') and not "
        "m.startswith('relchain.client')) or m.split('.')[0] in "
        "{'starlette', 'uvicorn', 'orjson', 'json5', 'asyncpg', 'redis'})\n"
        "print(','.join(bad))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=60
    )
    assert done.stdout.strip() == ""


def test_the_package_is_typed() -> None:
    assert (Path(relchain.client.__file__).parent / "py.typed").is_file()


def api_methods() -> dict[str, Endpoint[..., object]]:
    return {name: value for name, value in inspect.getmembers(Admin) if isinstance(value, Endpoint)}


def test_every_rest_api_of_the_server_has_a_method_of_its_name() -> None:
    endpoints = api_methods()
    assert {e.path for e in endpoints.values()} == set(BY_PATH)
    assert {name: e.path.split("/")[1] for name, e in endpoints.items()} == {
        name: name for name in endpoints
    }


def test_reads_are_marked_so_and_writes_are_not() -> None:
    reads = {name for name, e in api_methods().items() if e.read}
    assert reads == {
        "account_check",
        "portrait_get",
        "follow_check",
        "follow_get",
        "follow_get_info",
        "friend_check",
        "friend_get",
        "friend_get_list",
        "black_list_get",
        "black_list_check",
        "group_get",
    }


def test_admin_and_async_admin_have_the_same_methods() -> None:
    def methods(cls: type) -> set[str]:
        return {n for n in dir(cls) if not n.startswith("_")} - {"close", "aclose"}

    assert methods(Admin) == methods(AsyncAdmin)
    pages = {n for n, v in inspect.getmembers(Admin) if isinstance(v, Pages)}
    assert pages == {
        "iter_followers",
        "iter_following",
        "iter_mutual_followers",
        "iter_friends",
        "iter_blocklist",
    }


def test_bound_methods_show_their_name_docstring_and_parameters() -> None:
    with Admin("http://x", 1, "k") as admin:
        method = admin.follow_get
        assert method.__name__ == "follow_get"
        assert method.__qualname__ == "Admin.follow_get"
        assert "followers" in (method.__doc__ or "")
        assert list(inspect.signature(method).parameters) == [
            "from_account",
            "follow_type",
            "start_cursor",
            "want_num",
        ]
        assert admin.follow_get is method, "bound once per client"
        assert inspect.isgeneratorfunction(admin.iter_followers)
    assert inspect.iscoroutinefunction(AsyncAdmin("http://x", 1, "k").follow_get)
    assert inspect.isasyncgenfunction(AsyncAdmin("http://x", 1, "k").iter_friends)


def test_the_repr_names_the_app_and_never_the_key() -> None:
    with Admin("http://127.0.0.1:8080/v4", 1400000001, "s3cr3t-key", "boss") as admin:
        shown = repr(admin)
    assert shown == "Admin('http://127.0.0.1:8080', sdkappid=1400000001, admin='boss')"
    assert "s3cr3t" not in shown
