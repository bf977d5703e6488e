-- Friends, blocklists, friend lists and pending friend requests.

-- One row per user with relationship data: counters (no COUNT(*) on hot paths), the sequences
-- friend_get / black_list_get / group_get report, and the next keyset positions.
CREATE TABLE sns_users (
    sdkappid        INTEGER NOT NULL,
    user_id         TEXT    NOT NULL,
    friend_count    INTEGER NOT NULL DEFAULT 0,  -- edges user -> friend
    block_count     INTEGER NOT NULL DEFAULT 0,
    pending_count   INTEGER NOT NULL DEFAULT 0,  -- pending requests this user sent
    standard_seq    INTEGER NOT NULL DEFAULT 0,
    custom_seq      INTEGER NOT NULL DEFAULT 0,
    block_seq       INTEGER NOT NULL DEFAULT 0,
    list_seq        INTEGER NOT NULL DEFAULT 0,
    next_friend_pos INTEGER NOT NULL DEFAULT 1,
    next_block_pos  INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (sdkappid, user_id)
) WITHOUT ROWID;

-- Keyset positions, assigned once per (owner, kind, other) and kept across delete and re-add,
-- so a page scan by position never returns anyone twice. kind: 'f' friend, 'b' blocklist.
CREATE TABLE sns_positions (
    sdkappid INTEGER NOT NULL,
    owner    TEXT    NOT NULL,
    kind     TEXT    NOT NULL,
    other    TEXT    NOT NULL,
    pos      INTEGER NOT NULL,
    PRIMARY KEY (sdkappid, owner, kind, other)
) WITHOUT ROWID;
CREATE INDEX sns_positions_by_other ON sns_positions (sdkappid, other);

-- One-way friend edges owner -> friend with the owner's data about the friend.
CREATE TABLE friends (
    sdkappid    INTEGER NOT NULL,
    owner       TEXT    NOT NULL,
    friend      TEXT    NOT NULL,
    pos         INTEGER NOT NULL,
    add_source  TEXT    NOT NULL,
    add_time    INTEGER NOT NULL,
    add_wording TEXT    NOT NULL DEFAULT '',
    remark      TEXT    NOT NULL DEFAULT '',
    remark_time INTEGER NOT NULL DEFAULT 0,
    custom      TEXT    NOT NULL DEFAULT '{}',  -- JSON object Tag_SNS_Custom_* -> value
    PRIMARY KEY (sdkappid, owner, friend)
) WITHOUT ROWID;
CREATE UNIQUE INDEX friends_by_pos ON friends (sdkappid, owner, pos);
CREATE INDEX friends_by_friend ON friends (sdkappid, friend);

CREATE TABLE blocklist (
    sdkappid INTEGER NOT NULL,
    owner    TEXT    NOT NULL,
    blocked  TEXT    NOT NULL,
    pos      INTEGER NOT NULL,
    added_at INTEGER NOT NULL,
    PRIMARY KEY (sdkappid, owner, blocked)
) WITHOUT ROWID;
CREATE UNIQUE INDEX blocklist_by_pos ON blocklist (sdkappid, owner, pos);
CREATE INDEX blocklist_by_blocked ON blocklist (sdkappid, blocked);

-- Friend lists ("groups") and who is in them (Tag_SNS_IM_Group of each friend).
CREATE TABLE friend_lists (
    sdkappid INTEGER NOT NULL,
    owner    TEXT    NOT NULL,
    name     TEXT    NOT NULL,
    pos      INTEGER NOT NULL,  -- creation order
    PRIMARY KEY (sdkappid, owner, name)
) WITHOUT ROWID;

CREATE TABLE friend_list_members (
    sdkappid INTEGER NOT NULL,
    owner    TEXT    NOT NULL,
    friend   TEXT    NOT NULL,
    name     TEXT    NOT NULL,
    PRIMARY KEY (sdkappid, owner, friend, name)
) WITHOUT ROWID;
CREATE INDEX friend_list_members_by_list ON friend_list_members (sdkappid, owner, name);
CREATE INDEX friend_list_members_by_friend ON friend_list_members (sdkappid, friend);

-- Pending friend requests requester -> target (target uses AllowType_Type_NeedConfirm).
CREATE TABLE friend_requests (
    sdkappid    INTEGER NOT NULL,
    requester   TEXT    NOT NULL,
    target      TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    add_source  TEXT    NOT NULL,
    add_wording TEXT    NOT NULL DEFAULT '',
    remark      TEXT    NOT NULL DEFAULT '',  -- requester's remark for the target
    group_name  TEXT    NOT NULL DEFAULT '',  -- requester's list for the target
    both_ways   INTEGER NOT NULL DEFAULT 1,
    PRIMARY KEY (sdkappid, requester, target)
) WITHOUT ROWID;
CREATE INDEX friend_requests_incoming ON friend_requests (sdkappid, target, created_at, requester);
CREATE INDEX friend_requests_outgoing ON friend_requests (sdkappid, requester, created_at, target);
