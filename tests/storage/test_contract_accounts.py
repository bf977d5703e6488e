"""Storage contract for apps, accounts and profiles: every backend must pass it (``store``)."""

from __future__ import annotations

import asyncio
from dataclasses import replace

import pytest

from relchain.domain.apps import App, AppSettings
from relchain.ports import Profile, Store

T = 1_700_000_000


def an_app(sdkappid: int = 1400000001, **settings: object) -> App:
    return App(
        sdkappid=sdkappid,
        key="k" * 64,
        admins=("admin", "ops"),
        settings=replace(AppSettings(), **settings),  # type: ignore[arg-type]
    )


async def test_app_round_trips_with_admins_and_settings(store: Store) -> None:
    app = an_app(rate_limit=7, custom_profile_tags=("Tag_Profile_Custom_Hobby",))
    async with store.write() as tx:
        await tx.create_app(app, T)
    async with store.read() as tx:
        assert await tx.get_app(app.sdkappid) == app
        assert await tx.get_app(999) is None


async def test_list_apps_is_ordered_by_sdkappid(store: Store) -> None:
    async with store.write() as tx:
        for sdkappid in (1400000003, 1400000001, 1400000002):
            await tx.create_app(an_app(sdkappid), T)
    async with store.read() as tx:
        assert [a.sdkappid for a in await tx.list_apps()] == [1400000001, 1400000002, 1400000003]


async def test_save_app_replaces_key_admins_and_settings(store: Store) -> None:
    app = an_app()
    async with store.write() as tx:
        await tx.create_app(app, T)
    changed = replace(app, key="n" * 64, admins=("root",), settings=AppSettings(max_friends=9))
    async with store.write() as tx:
        await tx.save_app(changed)
    async with store.read() as tx:
        assert await tx.get_app(app.sdkappid) == changed


async def test_creating_an_app_twice_fails_and_keeps_the_first(store: Store) -> None:
    app = an_app()
    async with store.write() as tx:
        await tx.create_app(app, T)
    with pytest.raises(Exception):  # noqa: B017, PT011 - each driver has its own integrity error
        async with store.write() as tx:
            await tx.create_app(replace(app, key="x" * 64), T)
    async with store.read() as tx:
        assert await tx.get_app(app.sdkappid) == app


async def test_import_is_idempotent_and_existing_accounts_answers_the_subset(store: Store) -> None:
    async with store.write() as tx:
        await tx.import_accounts(1, [("a", {}), ("b", {}), ("a", {})], T)
        await tx.import_accounts(1, [("b", {}), ("c", {})], T)
    async with store.read() as tx:
        assert await tx.existing_accounts(1, ["a", "b", "c", "d"]) == {"a", "b", "c"}
        assert await tx.existing_accounts(1, []) == set()
        assert await tx.existing_accounts(2, ["a"]) == set()  # accounts belong to one app


async def test_import_with_values_sets_the_profile_and_bumps_the_sequence(store: Store) -> None:
    async with store.write() as tx:
        await tx.import_accounts(1, [("a", {"Tag_Profile_IM_Nick": "A"}), ("b", {})], T)
    async with store.read() as tx:
        profiles = await tx.get_profiles(1, ["a", "b", "nobody"])
    assert profiles == {
        "a": Profile({"Tag_Profile_IM_Nick": "A"}, 1),
        "b": Profile({}, 0),
    }


async def test_reimport_merges_values_and_bumps_once_per_change(store: Store) -> None:
    async with store.write() as tx:
        await tx.import_accounts(1, [("a", {"Tag_Profile_IM_Nick": "A"})], T)
        await tx.import_accounts(
            1,
            [("a", {"Tag_Profile_IM_Image": "i"}), ("a", {"Tag_Profile_IM_Nick": "B"})],
            T,
        )
    async with store.read() as tx:
        profile = (await tx.get_profiles(1, ["a"]))["a"]
    assert profile == Profile({"Tag_Profile_IM_Nick": "B", "Tag_Profile_IM_Image": "i"}, 3)


async def test_update_profile_merges_and_returns_the_new_sequence(store: Store) -> None:
    async with store.write() as tx:
        await tx.import_accounts(1, [("a", {})], T)
        first = await tx.update_profile(
            1, "a", {"Tag_Profile_IM_Nick": "x", "Tag_Profile_IM_Level": 3}
        )
        second = await tx.update_profile(1, "a", {"Tag_Profile_IM_Nick": "y"})
    assert (first, second) == (1, 2)
    async with store.read() as tx:
        profile = (await tx.get_profiles(1, ["a"]))["a"]
    assert profile == Profile({"Tag_Profile_IM_Nick": "y", "Tag_Profile_IM_Level": 3}, 2)


async def test_profile_values_keep_unicode_and_large_integers(store: Store) -> None:
    values = {"Tag_Profile_IM_Nick": '名字 ✓ "q"', "Tag_Profile_Custom_Big": 4294967295}
    async with store.write() as tx:
        await tx.import_accounts(1, [("a", {})], T)
        await tx.update_profile(1, "a", values)
    async with store.read() as tx:
        assert (await tx.get_profiles(1, ["a"]))["a"].values == values


async def test_update_profile_of_a_missing_account_is_none_and_creates_nothing(
    store: Store,
) -> None:
    async with store.write() as tx:
        assert await tx.update_profile(1, "ghost", {"Tag_Profile_IM_Nick": "x"}) is None
    async with store.read() as tx:
        assert await tx.existing_accounts(1, ["ghost"]) == set()


async def test_delete_returns_the_ids_that_existed_and_removes_the_profile(store: Store) -> None:
    async with store.write() as tx:
        await tx.import_accounts(1, [("a", {"Tag_Profile_IM_Nick": "A"}), ("b", {})], T)
        await tx.import_accounts(2, [("a", {})], T)
    async with store.write() as tx:
        assert await tx.delete_accounts(1, ["a", "zz", "a"]) == {"a"}
        assert await tx.delete_accounts(1, []) == set()
    async with store.read() as tx:
        assert await tx.existing_accounts(1, ["a", "b"]) == {"b"}
        assert await tx.get_profiles(1, ["a"]) == {}
        assert await tx.existing_accounts(2, ["a"]) == {"a"}
    async with store.write() as tx:  # a re-imported account starts over
        await tx.import_accounts(1, [("a", {})], T)
    async with store.read() as tx:
        assert await tx.get_profiles(1, ["a"]) == {"a": Profile({}, 0)}


async def test_purges_of_accounts_without_relations_are_harmless(store: Store) -> None:
    async with store.write() as tx:
        await tx.import_accounts(1, [("a", {})], T)
        await tx.purge_follows(1, ["a", "nobody"])
        await tx.purge_sns(1, ["a", "nobody"])
    async with store.read() as tx:
        assert await tx.existing_accounts(1, ["a"]) == {"a"}


async def test_a_failed_write_transaction_leaves_nothing(store: Store) -> None:
    class Boom(Exception):
        pass

    async def fail_after_writing() -> None:
        async with store.write() as tx:
            await tx.import_accounts(1, [("a", {"Tag_Profile_IM_Nick": "A"})], T)
            await tx.create_app(an_app(), T)
            raise Boom

    with pytest.raises(Boom):
        await fail_after_writing()
    async with store.read() as tx:
        assert await tx.existing_accounts(1, ["a"]) == set()
        assert await tx.list_apps() == []


async def test_a_read_transaction_does_not_see_uncommitted_writes(store: Store) -> None:
    entered, release = asyncio.Event(), asyncio.Event()

    async def writer() -> None:
        async with store.write() as tx:
            await tx.import_accounts(1, [("a", {})], T)
            entered.set()
            await release.wait()

    task = asyncio.create_task(writer())
    await entered.wait()
    try:
        reader = asyncio.create_task(_existing(store, ["a"]))
        done, _ = await asyncio.wait({reader}, timeout=0.5)
        if store.url_scheme == "postgresql":  # readers never wait for writers there
            assert done
        if done:  # the backend reads concurrently (PostgreSQL): it must not see the write
            assert reader.result() == set()
    finally:
        release.set()
        await task
    if not done:  # the backend serialises transactions (SQLite): the read runs after commit
        assert await reader == {"a"}
    assert await _existing(store, ["a"]) == {"a"}


async def _existing(store: Store, user_ids: list[str]) -> set[str]:
    async with store.read() as tx:
        return await tx.existing_accounts(1, user_ids)


async def test_batches_of_a_thousand_accounts_work_in_one_call(store: Store) -> None:
    ids = [f"user{i:04d}" for i in range(1000)]
    async with store.write() as tx:
        await tx.import_accounts(1, [(uid, {"Tag_Profile_IM_Nick": uid}) for uid in ids], T)
    async with store.read() as tx:
        assert await tx.existing_accounts(1, ids) == set(ids)
        profiles = await tx.get_profiles(1, ids)
    assert len(profiles) == 1000 and profiles["user0999"] == Profile(
        {"Tag_Profile_IM_Nick": "user0999"}, 1
    )
    async with store.write() as tx:
        assert await tx.delete_accounts(1, ids) == set(ids)
