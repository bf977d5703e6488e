"""PostgreSQL's statements of the webhook queue. Several servers share it: a cursor is locked
with SKIP LOCKED (the one holding it makes the deliveries), and claiming skips the rows another
server is claiming; the lease written in the same statement keeps them from others until it
ends (no transaction stays open while the callback is sent)."""

from __future__ import annotations

__all__ = ["WebhookStatements"]

DELIVERY = (
    "d.sdkappid, d.event_id, d.command, d.account, d.body, d.platform, d.client_ip, d.event_ms,"
    " d.attempts, d.created_ms"
)
OPEN = "state IN ('pending', 'failed')"


class WebhookStatements:
    ensure_webhook_cursor = (
        "INSERT INTO webhook_cursors (sdkappid, last_event_id) VALUES ($1, $2)"
        " ON CONFLICT DO NOTHING"
    )
    lock_webhook_cursor = (
        "SELECT last_event_id FROM webhook_cursors WHERE sdkappid = $1 FOR UPDATE SKIP LOCKED"
    )
    set_webhook_cursor = "UPDATE webhook_cursors SET last_event_id = $2 WHERE sdkappid = $1"
    drop_webhook_cursor = "DELETE FROM webhook_cursors WHERE sdkappid = $1"
    webhook_start = "SELECT max(id) FROM events WHERE sdkappid = $1"
    add_deliveries = (
        "INSERT INTO webhook_deliveries (sdkappid, event_id, command, account, body, platform,"
        " client_ip, event_ms, created_ms, next_ms)"
        " SELECT $1, d.e, d.c, d.a, d.b, d.p, d.i, d.t, $2, $2"
        " FROM unnest($3::bigint[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[],"
        " $9::bigint[]) AS d(e, c, a, b, p, i, t) ON CONFLICT DO NOTHING"
    )
    deliveries_due = (
        f"SELECT EXISTS (SELECT 1 FROM webhook_deliveries WHERE {OPEN}"
        " AND next_ms <= $1 AND lease_ms <= $1)"
    )
    claim_deliveries = (
        "WITH c AS (SELECT c.sdkappid, c.event_id, c.command FROM webhook_deliveries c"
        f" WHERE c.{OPEN} AND c.sdkappid = ANY($4::bigint[])"
        " AND c.next_ms <= $1 AND c.lease_ms <= $1 AND NOT EXISTS ("
        "  SELECT 1 FROM webhook_deliveries e WHERE e.sdkappid = c.sdkappid"
        f"  AND e.account = c.account AND e.{OPEN} AND e.event_id < c.event_id)"
        " ORDER BY c.next_ms, c.event_id LIMIT $3 FOR UPDATE SKIP LOCKED)"
        " UPDATE webhook_deliveries d SET lease_ms = $2 FROM c"
        " WHERE d.sdkappid = c.sdkappid AND d.event_id = c.event_id AND d.command = c.command"
        f" RETURNING {DELIVERY}"
    )
    record_delivery = (
        "UPDATE webhook_deliveries SET state = $4, attempts = attempts + 1, next_ms = $5,"
        " done_ms = $6, last_answer = $7, lease_ms = 0"
        f" WHERE sdkappid = $1 AND event_id = $2 AND command = $3 AND {OPEN}"
    )
    delivery_counts = (
        "SELECT command, state, count(*) FROM webhook_deliveries WHERE sdkappid = $1"
        " GROUP BY command, state ORDER BY command, state"
    )
    delivery_failures = (
        "SELECT event_id, command, state, attempts, next_ms, last_answer FROM webhook_deliveries"
        " WHERE sdkappid = $1 AND state IN ('failed', 'dead') ORDER BY event_id DESC LIMIT $2"
    )
    retry_deliveries = (
        "UPDATE webhook_deliveries SET next_ms = $2, lease_ms = 0,"
        " created_ms = CASE WHEN state = 'dead' THEN $2 ELSE created_ms END, state = 'failed'"
        " WHERE sdkappid = $1 AND state = ANY($3::text[]) AND lease_ms <= $2"
        " RETURNING event_id"
    )
    webhook_queue_depth = f"SELECT count(*) FROM webhook_deliveries WHERE {OPEN}"
    prune_deliveries = (
        "DELETE FROM webhook_deliveries WHERE (sdkappid, event_id, command) IN ("
        " SELECT sdkappid, event_id, command FROM webhook_deliveries"
        " WHERE state = 'delivered' AND done_ms < $1 LIMIT $2) RETURNING event_id"
    )
