"""Console session tokens: signed with the app's key, bound to app and admin, expiring."""

from __future__ import annotations

import base64
from dataclasses import replace

import orjson
import pytest

from relchain.domain.apps import App
from relchain.http.console._sessions import (
    SignedOut,
    csrf_matches,
    issue,
    peek_sdkappid,
    verify,
)

APP = App(sdkappid=1400000001, key="k" * 64, admins=("admin", "ops"))
NOW = 1_700_000_000


def test_a_token_verifies_until_it_expires() -> None:
    token, session = issue(APP, "admin", NOW, NOW + 60)
    assert peek_sdkappid(token) == APP.sdkappid
    assert verify(token, APP, NOW) == session
    assert verify(token, APP, NOW + 59) == session
    assert verify(token, APP, NOW + 60) is None


def test_each_session_has_its_own_id_and_csrf_token() -> None:
    _, one = issue(APP, "admin", NOW, NOW + 60)
    _, two = issue(APP, "admin", NOW, NOW + 60)
    assert one.id != two.id and one.csrf != two.csrf
    assert csrf_matches(one, one.csrf)
    assert not csrf_matches(one, two.csrf)
    assert not csrf_matches(one, "")


def test_a_token_is_refused_with_another_key_app_or_admin() -> None:
    token, _ = issue(APP, "ops", NOW, NOW + 60)
    assert verify(token, replace(APP, key="another key"), NOW) is None
    assert verify(token, replace(APP, sdkappid=1400000002), NOW) is None
    assert verify(token, replace(APP, admins=("admin",)), NOW) is None


def resign_payload(token: str, **changes: object) -> str:
    version, payload, sig = token.split(".")
    data = orjson.loads(base64.urlsafe_b64decode(payload + "=" * (-len(payload) % 4)))
    data.update(changes)
    forged = base64.urlsafe_b64encode(orjson.dumps(data)).rstrip(b"=").decode()
    return f"{version}.{forged}.{sig}"


@pytest.mark.parametrize(
    "forge",
    [
        lambda t: resign_payload(t, e=NOW + 10**9),  # a longer life
        lambda t: resign_payload(t, u="ops"),  # another admin
        lambda t: t[:-2] + ("AA" if not t.endswith("AA") else "BB"),  # another signature
        lambda t: "v2" + t[2:],
        lambda t: t.split(".")[0],
        lambda t: "",
        lambda t: "v1.%%%.x",
        lambda t: "v1." + base64.urlsafe_b64encode(b"[1]").decode() + ".x",
        lambda t: t + "x" * 2000,
    ],
)
def test_a_forged_or_malformed_token_is_refused(forge: object) -> None:
    token, _ = issue(APP, "admin", NOW, NOW + 60)
    forged = forge(token)  # type: ignore[operator]
    assert verify(forged, APP, NOW) is None


def test_signed_out_sessions_are_remembered_until_they_expire() -> None:
    signed_out = SignedOut(max_size=2)
    _, old = issue(APP, "admin", NOW, NOW + 10)
    _, new = issue(APP, "admin", NOW, NOW + 100)
    _, newest = issue(APP, "admin", NOW, NOW + 100)
    signed_out.add(old, NOW)
    signed_out.add(new, NOW)
    assert old in signed_out and new in signed_out
    signed_out.add(newest, NOW + 50)  # full: the expired one is forgotten
    assert old not in signed_out
    assert new in signed_out and newest in signed_out
