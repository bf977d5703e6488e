-- Friends, blocklists, friend lists and pending friend requests (same version as
-- sqlite/0003_sns.sql). Independent of 0002 (follows).

-- One row per user with relationship data: counters (no COUNT(*) on hot paths), the sequences
-- friend_get / black_list_get / group_get report, and the next keyset positions. Writers lock
-- the rows of every user involved (ORDER BY user_id FOR NO KEY UPDATE) before deciding.
CREATE TABLE sns_users (
    sdkappid        BIGINT  NOT NULL,
    user_id         TEXT    NOT NULL,
    friend_count    INTEGER NOT NULL DEFAULT 0 CHECK (friend_count >= 0),  -- edges user -> friend
    block_count     INTEGER NOT NULL DEFAULT 0 CHECK (block_count >= 0),
    pending_count   INTEGER NOT NULL DEFAULT 0 CHECK (pending_count >= 0), -- requests user sent
    standard_seq    BIGINT  NOT NULL DEFAULT 0,
    custom_seq      BIGINT  NOT NULL DEFAULT 0,
    block_seq       BIGINT  NOT NULL DEFAULT 0,
    list_seq        BIGINT  NOT NULL DEFAULT 0,
    next_friend_pos BIGINT  NOT NULL DEFAULT 1,
    next_block_pos  BIGINT  NOT NULL DEFAULT 1,
    PRIMARY KEY (sdkappid, user_id)
);

-- Keyset positions, assigned once per (owner, kind, other) and kept across delete and re-add,
-- so a page scan by position never returns anyone twice. kind: 'f' friend, 'b' blocklist.
CREATE TABLE sns_positions (
    sdkappid BIGINT NOT NULL,
    owner    TEXT   NOT NULL,
    kind     TEXT   NOT NULL CHECK (kind IN ('f', 'b')),
    other    TEXT   NOT NULL,
    pos      BIGINT NOT NULL,
    PRIMARY KEY (sdkappid, owner, kind, other)
);
CREATE INDEX sns_positions_by_other ON sns_positions (sdkappid, other);

-- One-way friend edges owner -> friend with the owner's data about the friend.
CREATE TABLE friends (
    sdkappid    BIGINT NOT NULL,
    owner       TEXT   NOT NULL,
    friend      TEXT   NOT NULL,
    pos         BIGINT NOT NULL,
    add_source  TEXT   NOT NULL,
    add_time    BIGINT NOT NULL,
    add_wording TEXT   NOT NULL DEFAULT '',
    remark      TEXT   NOT NULL DEFAULT '',
    remark_time BIGINT NOT NULL DEFAULT 0,
    custom      JSONB  NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(custom) = 'object'),
    PRIMARY KEY (sdkappid, owner, friend)
);
CREATE UNIQUE INDEX friends_by_pos ON friends (sdkappid, owner, pos);
CREATE INDEX friends_by_friend ON friends (sdkappid, friend);

CREATE TABLE blocklist (
    sdkappid BIGINT NOT NULL,
    owner    TEXT   NOT NULL,
    blocked  TEXT   NOT NULL,
    pos      BIGINT NOT NULL,
    added_at BIGINT NOT NULL,
    PRIMARY KEY (sdkappid, owner, blocked)
);
CREATE UNIQUE INDEX blocklist_by_pos ON blocklist (sdkappid, owner, pos);
CREATE INDEX blocklist_by_blocked ON blocklist (sdkappid, blocked);

-- Friend lists ("groups") and who is in them (Tag_SNS_IM_Group of each friend).
CREATE TABLE friend_lists (
    sdkappid BIGINT NOT NULL,
    owner    TEXT   NOT NULL,
    name     TEXT   NOT NULL,
    pos      BIGINT NOT NULL,  -- creation order
    PRIMARY KEY (sdkappid, owner, name)
);

CREATE TABLE friend_list_members (
    sdkappid BIGINT NOT NULL,
    owner    TEXT   NOT NULL,
    friend   TEXT   NOT NULL,
    name     TEXT   NOT NULL,
    PRIMARY KEY (sdkappid, owner, friend, name)
);
CREATE INDEX friend_list_members_by_list ON friend_list_members (sdkappid, owner, name);
CREATE INDEX friend_list_members_by_friend ON friend_list_members (sdkappid, friend);

-- Pending friend requests requester -> target (target uses AllowType_Type_NeedConfirm).
-- Listed newest first, ties by the other account descending, keyset-paged by
-- (created_at, account) < (time, account); the account column of each list index compares
-- bytewise (COLLATE "C") whatever the database's collation, so the order is SQLite's, and the
-- queries name the same collation in ORDER BY and in the keyset comparison.
CREATE TABLE friend_requests (
    sdkappid    BIGINT  NOT NULL,
    requester   TEXT    NOT NULL,
    target      TEXT    NOT NULL,
    created_at  BIGINT  NOT NULL,
    add_source  TEXT    NOT NULL,
    add_wording TEXT    NOT NULL DEFAULT '',
    remark      TEXT    NOT NULL DEFAULT '',  -- requester's remark for the target
    group_name  TEXT    NOT NULL DEFAULT '',  -- requester's list for the target
    both_ways   BOOLEAN NOT NULL DEFAULT TRUE,
    PRIMARY KEY (sdkappid, requester, target)
);
CREATE INDEX friend_requests_incoming
    ON friend_requests (sdkappid, target, created_at, requester COLLATE "C");
CREATE INDEX friend_requests_outgoing
    ON friend_requests (sdkappid, requester, created_at, target COLLATE "C");
