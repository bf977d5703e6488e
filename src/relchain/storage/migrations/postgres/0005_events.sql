-- The event log (transactional outbox): every write use case appends what it changed in the
-- transaction of the change.
--
-- Ids and commit order: with a sequence, transactions may commit out of id order, and a reader
-- paging by "id > last" would skip an event that commits later with a smaller id. So the id is
-- made of the writing transaction's id: (pg_current_xact_id() << 16) + n, n counting the events
-- of that transaction. A reader only hands out ids below (xmin of its snapshot) << 16: every
-- transaction with an xid below xmin has ended, and every transaction still running or yet to
-- come has an xid >= xmin, so no event can ever commit below that horizon. No counter row, no
-- lock: writers never wait for each other here.
CREATE TABLE events (
    sdkappid       BIGINT  NOT NULL,
    id             BIGINT  NOT NULL,
    time_ms        BIGINT  NOT NULL,
    kind           TEXT    NOT NULL,
    account        TEXT    NOT NULL,
    peers          JSONB   NOT NULL DEFAULT '[]',
    data           JSONB   NOT NULL DEFAULT '{}',
    platform       TEXT    NOT NULL DEFAULT 'RESTAPI',
    client_ip      TEXT    NOT NULL DEFAULT '',
    operator       TEXT    NOT NULL DEFAULT '',
    user_initiated BOOLEAN NOT NULL DEFAULT false,
    PRIMARY KEY (sdkappid, id)
);
