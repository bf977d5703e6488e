"""Server settings: one table gives Config, the serve flags, the variables and the docs; a bad
value is a one-line error naming the flag or variable, never a traceback."""

from __future__ import annotations

import subprocess
import sys

import click
import pytest
from click.testing import CliRunner

from relchain.cli import main
from relchain.config import SETTINGS, Config, ConfigError, load_config


def test_every_setting_has_its_serve_flag_and_nothing_else_is_a_flag() -> None:
    serve = main.commands["serve"]
    options = {p.name: p for p in serve.params if isinstance(p, click.Option)}
    assert set(options) - {"help"} == {s.name for s in SETTINGS}
    for setting in SETTINGS:
        assert setting.flag in options[setting.name].opts, setting.name
        assert setting.env in (options[setting.name].help or ""), setting.name


def test_defaults_come_from_the_table() -> None:
    config = load_config(environ={})
    assert config == Config()
    for setting in SETTINGS:
        assert getattr(config, setting.name) == setting.default


def test_flag_wins_over_variable_and_variable_over_default() -> None:
    environ = {"RELCHAIN_PORT": "9000", "RELCHAIN_WORKERS": "3", "RELCHAIN_METRICS": "off"}
    config = load_config({"port": "9100", "workers": None}, environ=environ)
    assert (config.port, config.workers, config.metrics) == (9100, 3, False)
    assert load_config({"metrics": True}, environ=environ).metrics is True


def test_to_env_round_trips() -> None:
    config = load_config(
        {"port": "1234", "metrics": False, "header_timeout": "2.5", "log_format": "json"},
        environ={},
    )
    assert load_config(environ=config.to_env()) == config


def test_repr_hides_passwords() -> None:
    config = Config(database="postgresql://u:secret@h/db", redis="redis://:pw@r:6379/0")
    assert "secret" not in repr(config) and "pw@" not in repr(config)


BAD = [
    ("RELCHAIN_PORT", "abc", "RELCHAIN_PORT: expected a whole number, got 'abc'"),
    ("RELCHAIN_PORT", "0", "RELCHAIN_PORT: must be at least 1, got 0"),
    ("RELCHAIN_PORT", "70000", "RELCHAIN_PORT: must be at most 65535, got 70000"),
    ("RELCHAIN_PORT", "9" * 5000, "RELCHAIN_PORT: expected a whole number"),
    ("RELCHAIN_HEADER_TIMEOUT", "soon", "RELCHAIN_HEADER_TIMEOUT: expected a number of seconds"),
    ("RELCHAIN_HEADER_TIMEOUT", "nan", "RELCHAIN_HEADER_TIMEOUT: expected a number of seconds"),
    ("RELCHAIN_HEADER_TIMEOUT", "0", "RELCHAIN_HEADER_TIMEOUT: must be at least 0.1, got 0"),
    ("RELCHAIN_METRICS", "maybe", "RELCHAIN_METRICS: expected true or false, got 'maybe'"),
    ("RELCHAIN_LOG_LEVEL", "loud", "RELCHAIN_LOG_LEVEL: must be one of debug, info, warning"),
    ("RELCHAIN_LOG_FORMAT", "xml", "RELCHAIN_LOG_FORMAT: must be one of text, json, got 'xml'"),
    ("RELCHAIN_REDIS_URL", "http://x", "RELCHAIN_REDIS_URL: must be a URL starting with redis://"),
    (
        "RELCHAIN_DATABASE_URL",
        "mysql://u:pw@h/db",
        "RELCHAIN_DATABASE_URL: must be a URL starting with sqlite:// or postgresql:// or "
        "postgres://, got 'mysql://u:***@h/db'",
    ),
]


@pytest.mark.parametrize(("env", "value", "message"), BAD)
def test_bad_variable_is_a_config_error_naming_it(env: str, value: str, message: str) -> None:
    with pytest.raises(ConfigError) as caught:
        load_config(environ={env: value})
    assert str(caught.value).startswith(message)


@pytest.mark.parametrize(
    ("flags", "message"),
    [
        (["--port", "x"], "Error: --port: expected a whole number, got 'x'"),
        (["--workers", "0"], "Error: --workers: must be at least 1, got 0"),
        (["--max-body-bytes", "10"], "Error: --max-body-bytes: must be at least 1024, got 10"),
        (["--shutdown-timeout", "-1"], "Error: --shutdown-timeout: must be at least 0, got -1"),
        (["--log-format", "yaml"], "Error: --log-format: must be one of text, json, got 'yaml'"),
    ],
)
def test_bad_flag_is_a_one_line_error(flags: list[str], message: str) -> None:
    result = CliRunner().invoke(
        main, ["serve", *flags], env={"RELCHAIN_DATABASE_URL": "sqlite:///never-opened.db"}
    )
    assert result.exit_code == 1
    assert result.output == message + "\n"


def test_a_bad_variable_stops_serve_without_a_traceback() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "relchain", "serve"],
        env={"RELCHAIN_PORT": "eighty", "PATH": "/usr/bin:/bin"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert done.returncode == 1
    assert done.stderr == "Error: RELCHAIN_PORT: expected a whole number, got 'eighty'\n"
    assert done.stdout == ""


def test_commands_that_need_only_the_database_ignore_other_variables(tmp_path: object) -> None:
    result = CliRunner().invoke(
        main,
        ["app", "list", "--database", f"sqlite:///{tmp_path}/x.db"],
        env={"RELCHAIN_PORT": "eighty"},
    )
    assert result.exit_code == 0, result.output
