"""The command line: app create/list/show/set/tag/admin, usersig, db upgrade (docs/cli.md)."""

from __future__ import annotations

import json
import subprocess
import sys
import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from relchain.auth.usersig import verify_usersig
from relchain.cli import main


@pytest.fixture
def db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.db'}"


def run(*args: str) -> str:
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return result.output


def test_app_create_prints_the_app_as_json(db: str) -> None:
    out = json.loads(
        run(
            "app",
            "create",
            "--sdkappid",
            "1400000123",
            "--key",
            "k1",
            "--admin",
            "boss",
            "--database",
            db,
        )
    )
    assert out == {"sdkappid": 1400000123, "key": "k1", "admin": "boss"}


def test_app_create_defaults_random_key_and_administrator(db: str) -> None:
    out = json.loads(run("app", "create", "--database", db))
    assert out["admin"] == "administrator"
    assert len(out["key"]) == 64 and int(out["key"], 16) >= 0
    assert 1400000000 <= out["sdkappid"] < 1500000000


def test_app_create_refuses_an_existing_sdkappid(db: str) -> None:
    run("app", "create", "--sdkappid", "7", "--database", db)
    result = CliRunner().invoke(main, ["app", "create", "--sdkappid", "7", "--database", db])
    assert result.exit_code != 0
    assert "exists already" in result.output


def test_usersig_is_signed_with_the_apps_key(db: str) -> None:
    run("app", "create", "--sdkappid", "9", "--key", "secret", "--database", db)
    sig = run("usersig", "alice", "--expire", "60", "--database", db).strip()
    verified = verify_usersig(sig, "secret", 9, "alice", int(time.time()))
    assert verified.expires_at <= int(time.time()) + 60


def test_usersig_needs_sdkappid_when_there_are_several_apps(db: str) -> None:
    run("app", "create", "--sdkappid", "1", "--database", db)
    run("app", "create", "--sdkappid", "2", "--database", db)
    result = CliRunner().invoke(main, ["usersig", "u", "--database", db])
    assert result.exit_code != 0 and "--sdkappid" in result.output
    assert run("usersig", "u", "--sdkappid", "2", "--database", db).strip()


def fails(*args: str) -> str:
    """Run a command that must fail; its one-line error (click prints ``Error: ...``)."""
    result = CliRunner().invoke(main, list(args))
    assert result.exit_code != 0, result.output
    assert "Traceback" not in result.output
    return result.output


def test_app_set_show_and_list(db: str) -> None:
    run("app", "create", "--sdkappid", "5", "--database", db)
    assert json.loads(run("app", "set", "5", "rate_limit", "50", "--database", db)) == {
        "rate_limit": 50
    }
    assert json.loads(run("app", "set", "5", "follow_enabled", "off", "--database", db)) == {
        "follow_enabled": False
    }
    assert json.loads(
        run(
            "app",
            "set",
            "5",
            "rate_limits",
            "sns/friend_add=5, follow/follow_add=0",
            "--database",
            db,
        )
    ) == {"rate_limits": {"sns/friend_add": 5, "follow/follow_add": 0}}
    shown = json.loads(run("app", "show", "5", "--database", db))
    assert shown["settings"]["rate_limit"] == 50
    assert shown["settings"]["follow_enabled"] is False
    assert shown["admins"] == ["administrator"]
    assert "key" not in shown
    assert "key" in json.loads(run("app", "show", "5", "--show-key", "--database", db))
    assert json.loads(run("app", "list", "--database", db)) == {
        "sdkappid": 5,
        "admin": "administrator",
    }


def test_custom_tags_set_by_keyword_are_stored_by_their_full_name(db: str) -> None:
    run("app", "create", "--sdkappid", "5", "--database", db)
    out = run(
        "app", "set", "5", "custom_profile_tags", "Level,Tag_Profile_Custom_Hobby", "--database", db
    )
    assert json.loads(out) == {
        "custom_profile_tags": ["Tag_Profile_Custom_Level", "Tag_Profile_Custom_Hobby"]
    }
    out = run("app", "set", "5", "custom_sns_tags", "Mood", "--database", db)
    assert json.loads(out) == {"custom_sns_tags": ["Tag_SNS_Custom_Mood"]}
    out = run(
        "app",
        "set",
        "5",
        "follow_profile_tags",
        "Tag_Profile_IM_Nick,Tag_Profile_Custom_Level",
        "--database",
        db,
    )
    assert json.loads(out) == {
        "follow_profile_tags": ["Tag_Profile_IM_Nick", "Tag_Profile_Custom_Level"]
    }


BAD_SETTINGS = [
    ("rate_limit", "fast", "rate_limit: expected a whole number, got 'fast'"),
    ("rate_limit", "2000000", "rate_limit: at most 1000000 calls/s, got 2000000"),
    ("max_friends", "-5", "max_friends: must be 0 or more, got -5"),
    ("max_friends", "1.5", "max_friends: expected a whole number, got '1.5'"),
    ("max_friends", "99999999999", "max_friends: must be at most 1000000000, got 99999999999"),
    ("follow_enabled", "maybe", "follow_enabled: expected on or off"),
    ("rate_burst_percent", "0", "rate_burst_percent: must be a percentage 1..100, got 0"),
    (
        "rate_limits",
        "sns/frend_add=5",
        "rate_limits: no API 'sns/frend_add'; did you mean 'sns/friend_add'?",
    ),
    (
        "rate_limits",
        "sns/friend_add",
        "rate_limits: expected service/command=N, got 'sns/friend_add'",
    ),
    ("rate_limits", "sns/friend_add=x", "rate_limits: sns/friend_add: expected a whole number"),
    ("rate_limits", "sns/friend_add=-1", "rate_limits: sns/friend_add: must be 0 or more, got -1"),
    (
        "follow_profile_tags",
        "Tag_Profile_IM_Nik",
        "follow_profile_tags: 'Tag_Profile_IM_Nik' is not a profile tag; "
        "did you mean 'Tag_Profile_IM_Nick'?",
    ),
    (
        "follow_profile_tags",
        "Tag_Profile_Custom_Lvl",
        "follow_profile_tags: 'Tag_Profile_Custom_Lvl' is not registered: "
        "relchain app tag add SDKAPPID Tag_Profile_Custom_Lvl",
    ),
    (
        "custom_profile_tags",
        "Level2",
        "custom_profile_tags: keyword of 'Level2' must be 1..8 ASCII letters",
    ),
    (
        "custom_profile_tags",
        "Tag_SNS_Custom_Mood",
        "custom_profile_tags: 'Tag_SNS_Custom_Mood' is not a Tag_Profile_Custom_* tag",
    ),
    ("custom_sns_tags", "Ninechars", "custom_sns_tags: keyword of 'Ninechars' must be 1..8"),
]


@pytest.mark.parametrize(("name", "value", "message"), BAD_SETTINGS)
def test_app_set_refuses_every_kind_of_bad_value_with_its_message(
    db: str, name: str, value: str, message: str
) -> None:
    run("app", "create", "--sdkappid", "5", "--database", db)
    before = run("app", "show", "5", "--database", db)
    output = fails("app", "set", "5", name, value, "--database", db)
    assert f"Error: {message}" in output
    assert output.count("\n") == 1  # one line
    assert run("app", "show", "5", "--database", db) == before  # nothing stored


def test_app_set_names_the_settings_it_knows(db: str) -> None:
    run("app", "create", "--sdkappid", "5", "--database", db)
    output = fails("app", "set", "5", "max_frends", "3", "--database", db)
    assert "'max_frends' is not one of" in output and "'max_friends'" in output


def test_app_tag_add_and_remove(db: str) -> None:
    run("app", "create", "--sdkappid", "5", "--database", db)
    assert json.loads(run("app", "tag", "add", "5", "Test", "--database", db)) == [
        "Tag_Profile_Custom_Test"
    ]
    assert json.loads(
        run("app", "tag", "add", "5", "Tag_SNS_Custom_Mood", "--sns", "--database", db)
    ) == ["Tag_SNS_Custom_Mood"]
    run("app", "set", "5", "follow_profile_tags", "Tag_Profile_Custom_Test", "--database", db)
    assert json.loads(run("app", "tag", "remove", "5", "Test", "--database", db)) == []
    settings = json.loads(run("app", "show", "5", "--database", db))["settings"]
    assert settings["follow_profile_tags"] == []  # an unregistered tag is listed nowhere
    assert settings["custom_sns_tags"] == ["Tag_SNS_Custom_Mood"]
    output = fails("app", "tag", "remove", "5", "Test", "--database", db)
    assert "Error: tag: Tag_Profile_Custom_Test is not registered for this app" in output


def test_app_tag_refuses_bad_keywords_and_the_old_argument_order(db: str) -> None:
    run("app", "create", "--sdkappid", "5", "--database", db)
    output = fails("app", "tag", "add", "5", "Too_Long_Name1", "--database", db)
    assert "1..8 ASCII letters" in output
    output = fails("app", "tag", "add", "5", "Tag_Profile_Custom_X", "--sns", "--database", db)
    assert "is not a Tag_SNS_Custom_* tag" in output
    assert "No such command '5'" in fails("app", "tag", "5", "add", "--database", db)


def test_app_admin_add_and_remove(db: str) -> None:
    run("app", "create", "--sdkappid", "5", "--database", db)
    assert json.loads(run("app", "admin", "add", "5", "ops", "--database", db)) == [
        "administrator",
        "ops",
    ]
    assert json.loads(run("app", "admin", "remove", "5", "administrator", "--database", db)) == [
        "ops"
    ]
    assert "'ops' is the app's only admin" in fails(
        "app", "admin", "remove", "5", "ops", "--database", db
    )
    assert "'nobody' is not an admin" in fails(
        "app", "admin", "remove", "5", "nobody", "--database", db
    )
    assert "admin: not a valid UserID: at most 32 bytes" in fails(
        "app", "admin", "add", "5", "x" * 33, "--database", db
    )


def test_app_key_rotates_the_secret_key(db: str) -> None:
    run("app", "create", "--sdkappid", "9", "--key", "old", "--database", db)
    rotated = json.loads(run("app", "key", "9", "--database", db))
    assert rotated["sdkappid"] == 9 and len(rotated["key"]) == 64 and rotated["key"] != "old"
    sig = run("usersig", "alice", "--database", db).strip()
    verify_usersig(sig, rotated["key"], 9, "alice", int(time.time()))
    chosen = json.loads(run("app", "key", "9", "--key", "n3w-k3y", "--database", db))
    assert chosen == {"sdkappid": 9, "key": "n3w-k3y"}
    assert "key: must be printable ASCII without spaces" in fails(
        "app", "key", "9", "--key", "a b", "--database", db
    )
    assert "no app with sdkappid 10" in fails("app", "key", "10", "--database", db)


def test_app_delete_needs_yes_without_a_terminal(db: str) -> None:
    run("app", "create", "--sdkappid", "9", "--database", db)
    assert "add --yes" in fails("app", "delete", "9", "--database", db)
    deleted = json.loads(run("app", "delete", "9", "--yes", "--database", db))
    assert deleted["apps"] == 1
    assert run("app", "list", "--database", db) == ""
    assert "no app with sdkappid 9" in fails("app", "delete", "9", "--yes", "--database", db)


def test_database_url_from_the_environment(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'env.db'}"
    result = CliRunner().invoke(
        main, ["app", "create", "--sdkappid", "3"], env={"RELCHAIN_DATABASE_URL": url}
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "env.db").exists()


def test_unsupported_database_url_is_a_clear_error() -> None:
    result = CliRunner().invoke(main, ["app", "list", "--database", "mysql://x"])
    assert result.exit_code != 0
    assert "Error: --database: must be a URL starting with sqlite://" in result.output


def test_python_dash_m_runs_the_cli() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "relchain", "--version"],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    assert out.startswith("relchain, version")
