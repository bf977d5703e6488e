"""An invalid line of any kind is reported with its number and reason, and nothing changes."""

from __future__ import annotations

import orjson
import pytest

from relchain.domain.apps import App
from relchain.ports import Store
from relchain.services.data_import import ImportFailed
from tests.data.graph import build_graph
from tests.data.support import body, exported, get_app, run_import
from tests.support import RestClient

HEADER = b'{"format":"relchain","version":1,"sdkappid":1,"exported_at":0}'


def line(**record: object) -> bytes:
    return orjson.dumps(record)


SRC = "AddSource_Type_Web"
# each invalid record, and the start of the reason it must get
INVALID: list[tuple[bytes, str]] = [
    (b"{not json", "not JSON"),
    (b"[1, 2]", "a record must be a JSON object, got array"),
    (line(kind="friendship"), "kind: must be one of app, account"),
    (line(kind="app", admins="root"), "admins: must be an array"),
    (line(kind="app", settings={}), "kind: the app record must come before every account"),
    (line(kind="account"), "id: missing"),
    (line(kind="account", id="x" * 33), "id: at most 32 bytes"),
    (line(kind="account", id="alice"), "id: account 'alice' is on line 2 already"),
    (
        line(kind="account", id="zed", profile={"Tag_Profile_IM_Nik": "x"}),
        "profile.Tag_Profile_IM_Nik.Tag: unknown profile tag",
    ),
    (
        line(kind="account", id="zed2", profile={"Tag_Profile_Custom_Nope": 1}),
        "profile.Tag_Profile_Custom_Nope.Tag: custom tag",
    ),
    (
        line(kind="account", id="zed3", profile={"Tag_Profile_IM_Gender": "x"}),
        "profile.Tag_Profile_IM_Gender.Value",
    ),
    (line(kind="account", id="zed4", created=-1), "created: must be a Unix time"),
    (line(kind="follow", **{"from": "alice", "to": "alice"}), "to: cannot follow oneself"),
    (line(kind="follow", **{"from": "alice", "to": "ghost"}), "to: account 'ghost' does not exist"),
    (
        line(kind="follow", **{"from": "alice", "to": "bob", "time": "now"}),
        "time: must be a Unix time",
    ),
    (line(kind="list", owner="alice", name=""), "name: must not be empty"),
    (line(kind="list", owner="alice", name="n" * 31), "name: at most 30 bytes"),
    (line(kind="list", owner="ghost", name="x"), "owner: account 'ghost' does not exist"),
    (
        line(kind="friend", owner="alice", friend="bob", add_source="Web"),
        "add_source: must be AddSource_Type_",
    ),
    (line(kind="friend", owner="alice", friend="bob"), "add_source: missing"),
    (
        line(kind="friend", owner="alice", friend="bob", add_source=SRC, remark="r" * 97),
        "remark: at most 96 bytes",
    ),
    (
        line(kind="friend", owner="alice", friend="bob", add_source=SRC, groups=[""]),
        "groups[0]: must not be empty",
    ),
    (
        line(
            kind="friend",
            owner="alice",
            friend="bob",
            add_source=SRC,
            custom={"Tag_SNS_Custom_X": 1},
        ),
        "custom.Tag_SNS_Custom_X: is not registered",
    ),
    (
        line(
            kind="friend",
            owner="alice",
            friend="bob",
            add_source=SRC,
            custom={"Tag_SNS_Custom_Level": -1},
        ),
        "custom.Tag_SNS_Custom_Level: must be 0..",
    ),
    (
        line(kind="friend", owner="alice", friend="alice", add_source=SRC),
        "friend: cannot befriend oneself",
    ),
    (line(kind="block", owner="alice", blocked="alice"), "blocked: cannot block oneself"),
    (line(kind="block", owner="alice", blocked="ghost"), "blocked: account 'ghost' does not exist"),
    (
        line(kind="request", **{"from": "alice", "to": "bob", "add_source": SRC, "both": 1}),
        "both: must be true or false",
    ),
    (
        line(kind="request", **{"from": "ghost", "to": "bob", "add_source": SRC}),
        "from: account 'ghost' does not exist",
    ),
]


async def test_every_invalid_line_is_reported_and_nothing_changes(
    store: Store, app: App, rest: RestClient
) -> None:
    await build_graph(rest)
    before = await exported(store, await get_app(store, app.sdkappid))
    good = [
        line(kind="account", id="alice"),  # line 2 (exists: merged)
        line(kind="account", id="newbie", profile={"Tag_Profile_IM_Nick": "N"}),
        line(kind="follow", **{"from": "newbie", "to": "bob"}),
    ]
    lines = [HEADER, *good, *(bad for bad, _ in INVALID)]
    with pytest.raises(ImportFailed) as failed:
        await run_import(store, await get_app(store, app.sdkappid), lines)
    got = [(p.line, p.reason) for p in failed.value.problems]
    assert [n for n, _ in got] == list(range(5, 5 + len(INVALID)))
    for (_, reason), (_, expected) in zip(got, INVALID, strict=True):
        assert reason.startswith(expected), (reason, expected)
    after = await exported(store, await get_app(store, app.sdkappid))
    assert body(after) == body(before)


async def test_a_bad_app_setting_is_refused(store: Store, app: App) -> None:
    with pytest.raises(ImportFailed) as failed:
        await run_import(store, app, [HEADER, line(kind="app", settings={"max_friends": -1})])
    assert [(p.line, p.reason) for p in failed.value.problems] == [
        (2, "settings.max_friends: must be 0 or more, got -1")
    ]


@pytest.mark.parametrize(
    ("first", "reason"),
    [
        (
            b'{"kind":"account","id":"a"}',
            'not a relchain data file: line 1 must be {"format": "relchain", ...}',
        ),
        (b'{"format":"relchain","version":2}', "version: this relchain reads version 1, got 2"),
        (b"id,name", "not a relchain data file: line 1 must be its header"),
    ],
)
async def test_a_file_without_the_header_is_refused(
    store: Store, app: App, first: bytes, reason: str
) -> None:
    with pytest.raises(ImportFailed) as failed:
        await run_import(store, app, [first, line(kind="account", id="a")])
    assert [(p.line, p.reason) for p in failed.value.problems] == [(1, reason)]


async def test_data_breaking_an_invariant_is_refused(store: Store, app: App) -> None:
    """A friendship where one blocks the other, and a cap exceeded: nothing is written."""
    lines = [
        HEADER,
        line(kind="app", settings={"max_following": 1}),
        line(kind="account", id="a"),
        line(kind="account", id="b"),
        line(kind="account", id="c"),
        line(kind="follow", **{"from": "a", "to": "b"}),
        line(kind="follow", **{"from": "a", "to": "c"}),
        line(kind="friend", owner="a", friend="b", add_source=SRC),
        line(kind="block", owner="b", blocked="a"),
    ]
    with pytest.raises(ImportFailed) as failed:
        await run_import(store, app, lines)
    assert failed.value.invalid == 0
    assert [f.name for f in failed.value.broken] == ["friend_blocked", "cap_following"]
    assert failed.value.broken[0].examples == [("a", "b")]
    assert [r["kind"] for r in body(await exported(store, await get_app(store, app.sdkappid)))] == [
        "app"
    ]


async def test_csv_creates_the_accounts_it_names(store: Store, app: App) -> None:
    """CSV follow edges (from,to[,time]) create missing accounts; mutual rows and counters
    come out right."""
    lines = [b"a,b,1700000000", b"b,a,1700000050", b"c,a", b"", b"a,b,1"]
    report = await run_import(store, app, lines, csv=True)
    assert report.created_accounts == 3 and report.records == {"follow": 4}
    async with store.read() as tx:
        counts = await tx.follow_counts(app.sdkappid, ["a", "b", "c"])
        page = await tx.list_follows(app.sdkappid, "a", 3, None, 10)
    assert (counts["a"].followers, counts["a"].following, counts["a"].mutual) == (2, 1, 1)
    assert page is not None and [(e.account, e.time) for e in page] == [("b", 1700000050)]
    with pytest.raises(ImportFailed) as failed:
        await run_import(store, app, [b"a,a", b"a,b,c,d", b"a,b,soon"], csv=True)
    assert [(p.line, p.reason) for p in failed.value.problems] == [
        (1, "to: cannot follow oneself ('a')"),
        (2, "expected from,to[,time]: 4 fields"),
        (3, "time: must be a Unix time in seconds, got 'soon'"),
    ]
