"""PostgreSQL's statements of the event log.

An event's id is ``(xid << 16) + n``: the writing transaction's id (``pg_current_xact_id()``)
and the event's order in it (see the migration ``0005_events.sql``). Readers hand out only ids
below ``HORIZON``: the oldest transaction of this database that their snapshot sees running
(or, none running, the snapshot's xmax), shifted alike. Every transaction below it has ended,
every other one (running or to come) has an xid at or above it, so nothing can still commit
below it and a reader paging by ``id > last`` never skips an event that commits late.

The running transactions of *other* databases on the server cannot write this table, so they
are left out: a long ``CREATE DATABASE`` or bulk load elsewhere does not hold the log back. A
running transaction counts as another database's only when ``pg_stat_get_activity`` says so
(a role that may not see other sessions sees nothing there, and then every running
transaction counts: later, never wrong).
"""

from __future__ import annotations

from relchain.storage.statements import event_pages

__all__ = ["HORIZON", "ID_SHIFT", "EventStatements"]

ID_SHIFT = 16  # up to 65536 events per transaction
HORIZON = (
    "(SELECT COALESCE(min(r.xid), pg_snapshot_xmax(pg_current_snapshot())::text::bigint)"
    f" << {ID_SHIFT}"
    " FROM (SELECT x::text::bigint AS xid FROM pg_snapshot_xip(pg_current_snapshot()) AS x) r"
    " WHERE r.xid % 4294967296 NOT IN (SELECT a.backend_xid::text::bigint"
    " FROM pg_stat_get_activity(NULL) a WHERE a.backend_xid IS NOT NULL"
    " AND a.datid <> (SELECT oid FROM pg_database WHERE datname = current_database())))"
)
COLUMNS = (
    "id, time_ms, kind, account, peers::text, data::text, platform, client_ip, operator,"
    " user_initiated"
)


class EventStatements:
    append_event = (
        "INSERT INTO events (sdkappid, id, time_ms, kind, account, peers, data, platform,"
        " client_ip, operator, user_initiated)"
        f" VALUES ($1, (pg_current_xact_id()::text::bigint << {ID_SHIFT}) + $3, $2, $4, $5,"
        " $6::jsonb, $7::jsonb, $8, $9, $10, $11)"
    )
    append_events = (
        "INSERT INTO events (sdkappid, id, time_ms, kind, account, peers, data, platform,"
        " client_ip, operator, user_initiated)"
        f" SELECT $1, (pg_current_xact_id()::text::bigint << {ID_SHIFT}) + e.n, $2, e.kind,"
        " e.account, e.peers::jsonb, e.data::jsonb, e.platform, e.client_ip, e.operator, e.ui"
        " FROM unnest($3::int[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],"
        " $9::text[], $10::text[], $11::bool[])"
        " AS e(n, kind, account, peers, data, platform, client_ip, operator, ui)"
    )
    events_after = event_pages(
        lambda n: f"${n}",
        COLUMNS,
        HORIZON,
        "account = $4::text OR peers @> jsonb_build_array($4::text)",
        lambda n: f"kind = ANY(${n}::text[])",
    )
    last_event_id = (
        f"SELECT id FROM events WHERE sdkappid = $1 AND id < {HORIZON}"
        " ORDER BY id DESC LIMIT 1 OFFSET $2"
    )
    prune_events = (
        "DELETE FROM events WHERE sdkappid = $1 AND id IN"
        " (SELECT id FROM events WHERE sdkappid = $1 ORDER BY id LIMIT $3)"
        " AND time_ms < $2 RETURNING id"
    )
