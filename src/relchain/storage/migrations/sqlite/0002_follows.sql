-- Follows: edges, materialised mutual edges, per-user counters.

-- One row per "follower follows followee", at created_at (FollowTime, Unix seconds).
-- The primary key answers "does A follow B" and A's following list in key order; the two
-- indexes serve the follow_get lists in their order (newest first, ties by account) from
-- either end of the edge, as covering indexes (WITHOUT ROWID: the key columns are in them).
CREATE TABLE follows (
    sdkappid   INTEGER NOT NULL,
    follower   TEXT    NOT NULL,
    followee   TEXT    NOT NULL,
    created_at INTEGER NOT NULL,
    PRIMARY KEY (sdkappid, follower, followee)
) WITHOUT ROWID;

CREATE INDEX follows_following_by_time ON follows (sdkappid, follower, created_at, followee);
CREATE INDEX follows_fans_by_time ON follows (sdkappid, followee, created_at, follower);

-- Mutual follows, stored once per side: (A, B) and (B, A) exist exactly when A follows B and B
-- follows A. since = the later of the two follow times (when the pair became mutual).
CREATE TABLE follow_mutuals (
    sdkappid INTEGER NOT NULL,
    user_id  TEXT    NOT NULL,
    peer_id  TEXT    NOT NULL,
    since    INTEGER NOT NULL,
    PRIMARY KEY (sdkappid, user_id, peer_id)
) WITHOUT ROWID;

CREATE INDEX follow_mutuals_by_time ON follow_mutuals (sdkappid, user_id, since, peer_id);

-- Counters, changed in the same transaction as the edges (no COUNT(*) on the request path).
-- A missing row means all zero.
CREATE TABLE follow_counts (
    sdkappid  INTEGER NOT NULL,
    user_id   TEXT    NOT NULL,
    followers INTEGER NOT NULL DEFAULT 0,
    following INTEGER NOT NULL DEFAULT 0,
    mutual    INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (sdkappid, user_id)
) WITHOUT ROWID;
