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


def test_app_set_tag_admin_and_show(db: str) -> None:
    run("app", "create", "--sdkappid", "5", "--database", db)
    assert json.loads(run("app", "set", "5", "rate_limit", "50", "--database", db)) == {
        "rate_limit": 50
    }
    assert json.loads(run("app", "set", "5", "follow_enabled", "off", "--database", db)) == {
        "follow_enabled": False
    }
    assert json.loads(run("app", "tag", "5", "Test", "--database", db)) == [
        "Tag_Profile_Custom_Test"
    ]
    assert json.loads(run("app", "tag", "5", "Tag_SNS_Custom_Mood", "--sns", "--database", db)) == [
        "Tag_SNS_Custom_Mood"
    ]
    assert json.loads(run("app", "admin", "5", "ops", "--database", db)) == ["administrator", "ops"]
    shown = json.loads(run("app", "show", "5", "--database", db))
    assert shown["settings"]["rate_limit"] == 50
    assert shown["settings"]["follow_enabled"] is False
    assert shown["admins"] == ["administrator", "ops"]
    assert "key" not in shown
    assert json.loads(run("app", "list", "--database", db)) == {
        "sdkappid": 5,
        "admin": "administrator",
    }


@pytest.mark.parametrize(
    ("name", "value"), [("rate_limit", "fast"), ("max_friends", "-1"), ("follow_enabled", "maybe")]
)
def test_app_set_refuses_bad_values(db: str, name: str, value: str) -> None:
    run("app", "create", "--sdkappid", "5", "--database", db)
    result = CliRunner().invoke(main, ["app", "set", "5", name, value, "--database", db])
    assert result.exit_code != 0 and name in result.output


def test_app_tag_refuses_a_bad_keyword(db: str) -> None:
    run("app", "create", "--sdkappid", "5", "--database", db)
    result = CliRunner().invoke(main, ["app", "tag", "5", "Too_Long_Name1", "--database", db])
    assert result.exit_code != 0 and "1..8 letters" in result.output


def test_database_url_from_the_environment(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'env.db'}"
    result = CliRunner().invoke(
        main, ["app", "create", "--sdkappid", "3"], env={"RELCHAIN_DATABASE_URL": url}
    )
    assert result.exit_code == 0, result.output
    assert (tmp_path / "env.db").exists()


def test_unsupported_database_url_is_a_clear_error() -> None:
    result = CliRunner().invoke(main, ["app", "list", "--database", "mysql://x"])
    assert result.exit_code != 0 and "unsupported database URL" in result.output


def test_python_dash_m_runs_the_cli() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "relchain", "--version"],
        check=True,
        capture_output=True,
        text=True,
        timeout=60,
    ).stdout
    assert out.startswith("relchain, version")
