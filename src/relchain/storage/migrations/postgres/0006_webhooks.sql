-- Webhooks: the log is the queue. A cursor per app says up to which event the after-callbacks
-- have been made into deliveries; a delivery is one callback of one event, kept until it is
-- delivered or dead (with the last answer of a failed try), so it survives a restart.
CREATE TABLE webhook_cursors (
    sdkappid      BIGINT NOT NULL PRIMARY KEY,
    last_event_id BIGINT NOT NULL
);
CREATE TABLE webhook_deliveries (
    sdkappid    BIGINT NOT NULL,
    event_id    BIGINT NOT NULL,
    command     TEXT    NOT NULL,
    account     TEXT    NOT NULL,                  -- deliveries of one account go in event order
    body        TEXT    NOT NULL,                  -- the JSON body, made once
    platform    TEXT    NOT NULL,
    client_ip   TEXT    NOT NULL,
    event_ms    BIGINT NOT NULL,                  -- the event's commit time (lag)
    state       TEXT    NOT NULL DEFAULT 'pending', -- pending, failed (to retry), delivered, dead
    attempts    INTEGER NOT NULL DEFAULT 0,
    created_ms  BIGINT NOT NULL,                  -- start of the retry window
    next_ms     BIGINT NOT NULL,                  -- not tried before
    lease_ms    BIGINT NOT NULL DEFAULT 0,        -- claimed by a dispatcher until
    done_ms     BIGINT NOT NULL DEFAULT 0,
    last_answer TEXT    NOT NULL DEFAULT '',
    PRIMARY KEY (sdkappid, event_id, command)
);
CREATE INDEX webhook_deliveries_due ON webhook_deliveries (next_ms)
    WHERE state IN ('pending', 'failed');
CREATE INDEX webhook_deliveries_order ON webhook_deliveries (sdkappid, account, event_id)
    WHERE state IN ('pending', 'failed');
CREATE INDEX webhook_deliveries_done ON webhook_deliveries (done_ms)
    WHERE state = 'delivered';
