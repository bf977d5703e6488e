-- Follows: edges, materialised mutual edges, per-user counters
-- (same version, tables and meaning as sqlite/0002_follows.sql).

-- One row per "follower follows followee", at created_at (FollowTime, Unix seconds).
-- The primary key answers "does A follow B"; the two indexes serve the follow_get lists in their
-- order (newest first, ties by account descending) from either end of the edge, keyset-paged by
-- (created_at, account) < (time, account). The account column of each list index compares
-- bytewise (COLLATE "C"), whatever the database's collation, so the tie-break is SQLite's;
-- queries name the same collation in ORDER BY and in the keyset comparison.
CREATE TABLE follows (
    sdkappid   BIGINT NOT NULL,
    follower   TEXT   NOT NULL,
    followee   TEXT   NOT NULL,
    created_at BIGINT NOT NULL,
    PRIMARY KEY (sdkappid, follower, followee)
);

CREATE INDEX follows_following_by_time
    ON follows (sdkappid, follower, created_at, followee COLLATE "C");
CREATE INDEX follows_fans_by_time
    ON follows (sdkappid, followee, created_at, follower COLLATE "C");

-- Mutual follows, stored once per side: (A, B) and (B, A) exist exactly when A follows B and B
-- follows A. since = the later of the two follow times (when the pair became mutual).
CREATE TABLE follow_mutuals (
    sdkappid BIGINT NOT NULL,
    user_id  TEXT   NOT NULL,
    peer_id  TEXT   NOT NULL,
    since    BIGINT NOT NULL,
    PRIMARY KEY (sdkappid, user_id, peer_id)
);

CREATE INDEX follow_mutuals_by_time
    ON follow_mutuals (sdkappid, user_id, since, peer_id COLLATE "C");

-- Counters, changed in the same transaction as the edges (no COUNT(*) on the request path).
-- A missing row means all zero. A write first creates the rows of the users it touches
-- (INSERT ... ON CONFLICT DO NOTHING) and then locks them in user_id order: the row of a user is
-- the lock that serialises every change of that user's edges, caps and counters.
-- Counters are updated in place many times: leave room on each page for HOT updates.
CREATE TABLE follow_counts (
    sdkappid  BIGINT  NOT NULL,
    user_id   TEXT    NOT NULL,
    followers INTEGER NOT NULL DEFAULT 0 CHECK (followers >= 0),
    following INTEGER NOT NULL DEFAULT 0 CHECK (following >= 0),
    mutual    INTEGER NOT NULL DEFAULT 0 CHECK (mutual >= 0),
    PRIMARY KEY (sdkappid, user_id)
) WITH (fillfactor = 70);
