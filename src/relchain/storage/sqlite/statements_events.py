"""SQLite's statements of the event log (one writer: id order is commit order, no horizon)."""

from __future__ import annotations

from relchain.storage.statements import EVENT_COLUMNS, event_pages

__all__ = ["EventStatements"]


class EventStatements:
    append_event = (
        "INSERT INTO events (sdkappid, time_ms, kind, account, peers, data, platform, client_ip,"
        " operator, user_initiated) VALUES (?1, ?2, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)"
    )
    append_events = (
        "INSERT INTO events (sdkappid, time_ms, kind, account, peers, data, platform, client_ip,"
        " operator, user_initiated)"
        " SELECT ?1, ?2, p.b, p.c, p.d, p.e, p.f, p.g, p.h, p.i FROM"
        " (WITH p(a, b, c, d, e, f, g, h, i) AS"
        " (VALUES ROWS(?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)) SELECT * FROM p) AS p ORDER BY p.a"
    )
    events_after = event_pages(
        lambda n: f"?{n}",
        EVENT_COLUMNS,
        "",
        "account = ?4 OR EXISTS (SELECT 1 FROM json_each(events.peers) WHERE value = ?4)",
        lambda n: f"kind IN (?{n})",
    )
    last_event_id = "SELECT id FROM events WHERE sdkappid = ?1 ORDER BY id DESC LIMIT 1 OFFSET ?2"
    prune_events = (
        "DELETE FROM events WHERE id IN"
        " (SELECT id FROM events WHERE sdkappid = ?1 ORDER BY id LIMIT ?3)"
        " AND time_ms < ?2 RETURNING id"
    )
