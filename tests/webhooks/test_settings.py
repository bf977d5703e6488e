"""The webhook settings: every bad value refused with its message (nothing stored), the token
masked in `relchain app show` / `app set` unless asked for (docs/webhooks.md)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from relchain.cli import main
from relchain.domain.apps import HIDDEN, AppSettings


@pytest.fixture
def db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    run("app", "create", "--sdkappid", "5", "--database", url)
    return url


def run(*args: str, ok: bool = True) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert (result.exit_code == 0) is ok, result.output
    assert "Traceback" not in result.output
    return result.output


BAD = [
    ("callback_url", "ftp://example.com/cb", "callback_url: must be an http:// or https:// URL"),
    ("callback_url", "example.com/cb", "callback_url: must be an http:// or https:// URL"),
    ("callback_url", "javascript:alert(1)", "callback_url: must be an http:// or https:// URL"),
    ("callback_url", "http://", "callback_url: no valid host in 'http://'"),
    ("callback_url", "http://exa mple.com/", "callback_url: must be printable ASCII without"),
    ("callback_url", "http://h:70000/", "callback_url: port must be 1..65535, got 70000"),
    ("callback_url", "http://u:pw@h/", "callback_url: must not carry a user or password"),
    ("callback_url", "http://h/#x", "callback_url: must not have a #fragment"),
    ("callback_url", "http://h/" + "a" * 2048, "callback_url: at most 2048 characters"),
    ("callback_token", "two words", "callback_token: must be printable ASCII without spaces"),
    ("callback_token", "t" * 257, "callback_token: at most 256 characters"),
    ("callback_token", HIDDEN, f"callback_token: {HIDDEN} is how a token is shown"),
    (
        "callback_commands",
        "Sns.CallbackFriendAdd,Sns.CallbackFriendAd",
        "callback_commands: no callback command 'Sns.CallbackFriendAd'; did you mean "
        "'Sns.CallbackFriendAdd'?",
    ),
    ("callback_commands", "C2C.CallbackAfterSendMsg", "callback_commands: no callback command"),
    ("callback_timeout_ms", "99", "callback_timeout_ms: must be 100..30000 ms, got 99"),
    ("callback_timeout_ms", "30001", "callback_timeout_ms: must be 100..30000 ms, got 30001"),
    ("callback_timeout_ms", "2s", "callback_timeout_ms: expected a whole number of ms"),
    ("callback_retry_seconds", "-1", "callback_retry_seconds: must be 0..604800 seconds"),
    ("callback_retry_seconds", "604801", "callback_retry_seconds: must be 0..604800 seconds"),
    ("callback_prev_on_failure", "refuse", "callback_prev_on_failure: expected allow or deny"),
]


@pytest.mark.parametrize(("name", "value", "message"), BAD)
def test_a_bad_webhook_setting_is_refused_with_its_message_and_nothing_stored(
    db: str, name: str, value: str, message: str
) -> None:
    before = run("app", "show", "5", "--show-key", "--database", db)
    output = run("app", "set", "5", name, value, "--database", db, ok=False)
    assert f"Error: {message}" in output
    assert output.count("\n") == 1
    assert run("app", "show", "5", "--show-key", "--database", db) == before


def test_good_webhook_settings_are_stored_as_read(db: str) -> None:
    def set_(name: str, value: str) -> object:
        return json.loads(run("app", "set", "5", name, value, "--database", db))[name]

    assert set_("callback_url", " https://hooks.example.com:8443/im?app=1 ") == (
        "https://hooks.example.com:8443/im?app=1"
    )
    assert set_("callback_url", "http://[::1]:9/x") == "http://[::1]:9/x"
    assert set_("callback_commands", "Sns.CallbackFriendAdd, Follow.CallbackAfterFollowAdd") == [
        "Sns.CallbackFriendAdd",
        "Follow.CallbackAfterFollowAdd",
    ]
    assert set_("callback_timeout_ms", "500") == 500
    assert set_("callback_retry_seconds", "0") == 0
    assert set_("callback_prev_on_failure", "DENY") == "deny"
    assert set_("callback_url", "") == ""


def test_the_token_is_masked_unless_the_admin_asks_for_it(db: str) -> None:
    out = run("app", "set", "5", "callback_token", "s3cret-token", "--database", db)
    assert "s3cret" not in out and json.loads(out) == {"callback_token": HIDDEN}
    shown = run("app", "show", "5", "--database", db)
    assert "s3cret" not in shown
    assert json.loads(shown)["settings"]["callback_token"] == HIDDEN
    full = json.loads(run("app", "show", "5", "--show-key", "--database", db))
    assert full["settings"]["callback_token"] == "s3cret-token"
    settings = AppSettings().with_setting("callback_token", "s3cret-token", ())
    assert "s3cret" not in repr(settings)


def test_an_unset_token_shows_empty_and_commands_default_to_all() -> None:
    settings = AppSettings().with_setting("callback_url", "http://h/", ())
    assert settings.shown_json()["callback_token"] == ""
    assert settings.callback_enabled("Sns.CallbackFriendAdd")
    only = settings.with_setting("callback_commands", "Sns.CallbackFriendAdd", ())
    assert only.callback_enabled("Sns.CallbackFriendAdd")
    assert not only.callback_enabled("Follow.CallbackAfterFollowAdd")
    assert not AppSettings().callback_enabled("Sns.CallbackFriendAdd")  # no URL: off
