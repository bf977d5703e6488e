"""``relchain check`` and ``relchain repair``: the invariants of an app's data, verified (and
the derived data recomputed) in one transaction while the servers keep running."""

from __future__ import annotations

from dataclasses import dataclass

from relchain.domain.apps import App
from relchain.domain.integrity import Finding, caps_of, findings
from relchain.ports import DataStore

__all__ = ["CheckReport", "check_app", "repair_app"]


@dataclass(frozen=True, slots=True)
class CheckReport:
    """What is wrong (``broken``) and, after a repair, what still is (``left``); one-way
    friendships are counted but are not a problem (Add_Type_Single and friend_import make them)."""

    broken: list[Finding]
    left: list[Finding]
    one_way_friends: int

    @property
    def ok(self) -> bool:
        return not self.left


class _DryRun(Exception):
    def __init__(self, report: CheckReport) -> None:
        super().__init__("dry run")
        self.report = report


async def check_app(store: DataStore, app: App) -> CheckReport:
    """Every invariant, read from one snapshot."""
    async with store.data(write=False) as tx:
        broken = findings(await tx.problems(app.sdkappid, caps_of(app.settings)))
        one_way = await tx.one_way_friends(app.sdkappid)
    return CheckReport(broken, broken, one_way)


async def repair_app(store: DataStore, app: App, *, dry_run: bool) -> CheckReport:
    """Check, recompute what is derived, check again; committed unless ``dry_run`` (then
    ``left`` says what a repair would leave)."""
    try:
        async with store.data(write=True) as tx:
            caps = caps_of(app.settings)
            broken = findings(await tx.problems(app.sdkappid, caps))
            if broken:
                await tx.repair(app.sdkappid)
                left = findings(await tx.problems(app.sdkappid, caps))
            else:
                left = []
            report = CheckReport(broken, left, await tx.one_way_friends(app.sdkappid))
            if dry_run:
                raise _DryRun(report)
    except _DryRun as stop:
        return stop.report
    return report
