-- The event log (transactional outbox): every write use case appends what it changed in the
-- transaction of the change. SQLite has one writer, so id order is commit order; AUTOINCREMENT
-- never hands out an id again, even once pruning has emptied the table. Ids are global (so
-- strictly increasing per app, with gaps).
CREATE TABLE events (
    id             INTEGER PRIMARY KEY AUTOINCREMENT,
    sdkappid       INTEGER NOT NULL,
    time_ms        INTEGER NOT NULL,
    kind           TEXT    NOT NULL,
    account        TEXT    NOT NULL,
    peers          TEXT    NOT NULL DEFAULT '[]',
    data           TEXT    NOT NULL DEFAULT '{}',
    platform       TEXT    NOT NULL DEFAULT 'RESTAPI',
    client_ip      TEXT    NOT NULL DEFAULT '',
    operator       TEXT    NOT NULL DEFAULT '',
    user_initiated INTEGER NOT NULL DEFAULT 0
);
CREATE INDEX events_app ON events (sdkappid, id);
