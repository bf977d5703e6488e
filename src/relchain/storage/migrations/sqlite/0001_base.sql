-- Apps and accounts with their profiles.
CREATE TABLE apps (
    sdkappid   INTEGER PRIMARY KEY,
    secret_key TEXT    NOT NULL,
    admins     TEXT    NOT NULL,           -- JSON array of admin identifiers
    settings   TEXT    NOT NULL,           -- JSON object, see domain/apps.py
    created_at INTEGER NOT NULL
);

CREATE TABLE accounts (
    sdkappid    INTEGER NOT NULL,
    user_id     TEXT    NOT NULL,
    created_at  INTEGER NOT NULL,
    profile     TEXT    NOT NULL DEFAULT '{}',  -- JSON object tag -> value
    profile_seq INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (sdkappid, user_id)
) WITHOUT ROWID;
