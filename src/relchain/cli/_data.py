"""``relchain export``, ``import``, ``check`` and ``repair`` (docs/data-format.md)."""

from __future__ import annotations

import gzip
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import click

from relchain.cli._common import apps_of, database_option, main, with_store
from relchain.domain.apps import App
from relchain.domain.integrity import Finding
from relchain.ports import DataStore, Store
from relchain.services.data_export import export_app
from relchain.services.data_import import ImportFailed, ImportReport, import_lines
from relchain.services.integrity import CheckReport, check_app, repair_app

__all__ = ["choose_app", "data_store", "progress_reporter"]

SDKAPPID_OPTION = click.option(
    "--sdkappid", type=int, default=None, help="The app (may be left out when there is one)."
)
SHOWN_PROBLEMS = 50  # invalid lines printed (all are counted)


def data_store(store: Store) -> DataStore:
    if not isinstance(store, DataStore):  # pragma: no cover - every backend is one
        raise click.ClickException("this database cannot run bulk commands")
    return store


async def choose_app(store: Store, sdkappid: int | None) -> App:
    """The app ``--sdkappid`` names, or the only one."""
    apps = await apps_of(store).list()
    chosen = [a for a in apps if sdkappid is None or a.sdkappid == sdkappid]
    if sdkappid is None and len(chosen) > 1:
        raise click.ClickException("several apps exist: say which with --sdkappid")
    if not chosen:
        raise click.ClickException(
            f"no app with sdkappid {sdkappid}" if sdkappid else "no app yet: relchain app create"
        )
    return chosen[0]


@contextmanager
def progress_reporter(title: str, total: int | None) -> Iterator[Callable[[int, str], None]]:
    """``update(done, text)``: a rich progress bar on a terminal, else a plain line on stderr
    every few seconds."""
    if sys.stderr.isatty():
        from rich.progress import BarColumn, Progress, TextColumn, TimeElapsedColumn

        columns = [TextColumn("{task.description}"), BarColumn(), TextColumn("{task.fields[text]}")]
        with Progress(*columns, TimeElapsedColumn(), transient=True) as bar:
            task = bar.add_task(title, total=total, text="")
            yield lambda done, text: bar.update(task, completed=done, text=text)
        return
    last = [time.monotonic()]

    def plain(done: int, text: str) -> None:
        if time.monotonic() - last[0] >= 2:
            last[0] = time.monotonic()
            click.echo(f"{title}: {text}", err=True)

    yield plain


# -- export ----------------------------------------------------------------------------------


@main.command("export")
@SDKAPPID_OPTION
@click.option("-o", "output", default=None, metavar="FILE", help="Write to FILE (gzip if *.gz).")
@database_option
def export_command(sdkappid: int | None, output: str | None, database: str | None) -> None:
    """Write an app's data as JSON Lines (docs/data-format.md) to stdout or FILE."""

    async def work(store: Store) -> dict[str, int]:
        app = await choose_app(store, sdkappid)
        with _open_out(output) as out, progress_reporter("export", None) as update:
            return await export_app(
                data_store(store),
                app,
                out.write,
                int(time.time()),
                lambda kind, n: update(n, f"{n:,} {kind} records"),
            )

    counts = with_store(database, work)
    summary = ", ".join(f"{n} {kind}" for kind, n in counts.items())
    click.echo(f"exported {summary or 'nothing'}", err=True)


@contextmanager
def _open_out(output: str | None) -> Iterator[IO[bytes]]:
    if output is None or output == "-":
        yield sys.stdout.buffer
        sys.stdout.buffer.flush()
        return
    path = Path(output)
    part = path.with_name(path.name + ".part")  # a complete file or none
    try:
        if path.suffix == ".gz":
            with gzip.open(part, "wb", compresslevel=3) as zipped:
                yield zipped  # type: ignore[misc]
        else:
            with part.open("wb") as plain:
                yield plain
    except BaseException:
        part.unlink(missing_ok=True)
        raise
    part.replace(path)


# -- import ----------------------------------------------------------------------------------


@main.command("import")
@click.argument("file", metavar="FILE")
@SDKAPPID_OPTION
@click.option("--dry-run", is_flag=True, help="Validate and check everything, write nothing.")
@click.option(
    "--format",
    "kind",
    type=click.Choice(["auto", "jsonl", "csv"]),
    default="auto",
    show_default=True,
    help="auto: CSV follow edges (from,to[,time]) when FILE ends in .csv or .csv.gz.",
)
@database_option
def import_command(
    file: str, sdkappid: int | None, dry_run: bool, kind: str, database: str | None
) -> None:
    """Import FILE (- = stdin; gzip if *.gz) into an app, all or nothing."""
    csv = kind == "csv" or (kind == "auto" and file.removesuffix(".gz").endswith(".csv"))
    from relchain.cli._apps import api_commands

    async def work(store: Store) -> ImportReport:
        app = await choose_app(store, sdkappid)
        with _open_in(file) as (lines, size), progress_reporter("import", size) as update:
            return await import_lines(
                data_store(store),
                app,
                _counting(lines, update),
                now=int(time.time()),
                commands=api_commands(),
                csv=csv,
                dry_run=dry_run,
            )

    try:
        report = with_store(database, work)
    except ImportFailed as failed:
        for problem in failed.problems[:SHOWN_PROBLEMS]:
            click.echo(f"line {problem.line}: {problem.reason}", err=True)
        if failed.invalid > SHOWN_PROBLEMS:
            click.echo(f"... {failed.invalid - SHOWN_PROBLEMS} more invalid lines", err=True)
        _print_findings(failed.broken, err=True)
        what = f"{failed.invalid} invalid lines" if failed.invalid else "the data breaks invariants"
        raise click.ClickException(f"nothing imported: {what}") from None
    summary = ", ".join(f"{n} {k}" for k, n in report.records.items()) or "no records"
    verb = "dry run: would import" if dry_run else "imported"
    click.echo(f"{verb} {summary} ({report.lines} lines)", err=True)


@contextmanager
def _open_in(file: str) -> Iterator[tuple[IO[bytes], int | None]]:
    if file == "-":
        yield sys.stdin.buffer, None
        return
    path = Path(file)
    if not path.is_file():
        raise click.ClickException(f"no such file: {file}")
    size = path.stat().st_size
    raw = path.open("rb")
    with raw:
        if path.suffix == ".gz":
            with gzip.open(raw, "rb") as unzipped:
                yield _Tell(unzipped, raw), size  # type: ignore[misc]
        else:
            yield raw, size


class _Tell:
    """A gzip stream whose progress is the compressed bytes read."""

    def __init__(self, lines: Any, raw: IO[bytes]) -> None:
        self.lines, self.raw = lines, raw

    def __iter__(self) -> Iterator[bytes]:
        return iter(self.lines)


def _counting(lines: Any, update: Callable[[int, str], None]) -> Iterator[bytes]:
    """The lines, reporting progress (bytes of the file) every 20,000 lines."""
    raw = getattr(lines, "raw", None)
    done = 0
    for number, line in enumerate(lines, start=1):
        done += len(line)
        if number % 20_000 == 0:
            position = done
            if raw is not None:
                try:
                    position = raw.tell()
                except OSError:  # a pipe
                    raw = None
            update(position, f"{number:,} lines")
        yield line


# -- check and repair ------------------------------------------------------------------------


def _print_findings(found: list[Finding], *, err: bool = False) -> None:
    for finding in found:
        for line in finding.lines():
            click.echo(line, err=err)


@main.command("check")
@SDKAPPID_OPTION
@database_option
def check_command(sdkappid: int | None, database: str | None) -> None:
    """Verify every invariant of an app's data (exit 1 listing what is wrong)."""

    async def work(store: Store) -> CheckReport:
        return await check_app(data_store(store), await choose_app(store, sdkappid))

    report = with_store(database, work)
    _print_findings(report.broken)
    click.echo(f"one-way friendships (allowed): {report.one_way_friends}")
    if report.broken:
        click.echo(f"{len(report.broken)} kinds of problems found", err=True)
        sys.exit(1)
    click.echo("every invariant holds")


@main.command("repair")
@SDKAPPID_OPTION
@click.option("--dry-run", is_flag=True, help="Say what would be repaired; change nothing.")
@database_option
def repair_command(sdkappid: int | None, dry_run: bool, database: str | None) -> None:
    """Recompute the derived data (counters, mutual rows, positions, list members) of an app."""

    async def work(store: Store) -> CheckReport:
        app = await choose_app(store, sdkappid)
        return await repair_app(data_store(store), app, dry_run=dry_run)

    report = with_store(database, work)
    if not report.broken:
        click.echo("every invariant holds: nothing to repair")
        return
    _print_findings(report.broken)
    fixed = {f.name for f in report.broken} - {f.name for f in report.left}
    verb = "would repair" if dry_run else "repaired"
    click.echo(f"{verb}: {', '.join(sorted(fixed)) or 'nothing'}")
    if report.left:
        click.echo("left (fix by hand): " + ", ".join(f.name for f in report.left))
    if dry_run or report.left:
        sys.exit(1)


# -- migrate ---------------------------------------------------------------------------------


@main.command("migrate")
@click.option("--from", "base_url", required=True, metavar="URL", help="Base URL before /v4.")
@click.option("--from-sdkappid", required=True, type=int, help="SDKAppID of the source app.")
@click.option("--from-admin", required=True, help="An admin identifier of the source app.")
@click.option("--from-key", required=True, help="The source app's secret key.")
@click.option(
    "--accounts",
    "accounts_file",
    required=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="File with the UserIDs to pull, one a line.",
)
@SDKAPPID_OPTION
@click.option(
    "--rate",
    type=click.IntRange(1, 100_000),
    default=200,
    show_default=True,
    help="Calls per second per API to the source.",
)
@database_option
def migrate_command(  # noqa: PLR0917 - click passes every option by name
    base_url: str,
    from_sdkappid: int,
    from_admin: str,
    from_key: str,
    accounts_file: Path,
    sdkappid: int | None,
    rate: int,
    database: str | None,
) -> None:
    """Pull an app from a Tencent-compatible REST API and import it (resumable)."""
    from relchain.cli._apps import api_commands
    from relchain.client import RelchainError
    from relchain.services.migration import Source, migrate

    text = accounts_file.read_text("utf-8")
    accounts = list(dict.fromkeys(line.strip() for line in text.splitlines() if line.strip()))
    source = Source(base_url.rstrip("/"), from_sdkappid, from_admin, from_key)

    async def work(store: Store) -> ImportReport:
        app = await choose_app(store, sdkappid)
        with progress_reporter("migrate", 2 * len(accounts)) as update:
            return await migrate(
                data_store(store),
                app,
                source,
                accounts,
                accounts_file,
                rate=rate,
                now=int(time.time()),
                commands=api_commands(),
                progress=update,
            )

    try:
        report = with_store(database, work)
    except RelchainError as exc:
        raise click.ClickException(f"pulling stopped (run again to go on): {exc}") from None
    except ImportFailed as failed:
        for problem in failed.problems[:SHOWN_PROBLEMS]:
            click.echo(f"line {problem.line}: {problem.reason}", err=True)
        _print_findings(failed.broken, err=True)
        raise click.ClickException("pulled, but nothing imported (see above)") from None
    summary = ", ".join(f"{n} {k}" for k, n in report.records.items()) or "no records"
    click.echo(f"migrated {summary}", err=True)
