-- Apps and accounts with their profiles (same version as sqlite/0001_base.sql).
CREATE TABLE apps (
    sdkappid   BIGINT PRIMARY KEY,
    secret_key TEXT   NOT NULL,
    admins     JSONB  NOT NULL CHECK (jsonb_typeof(admins) = 'array'),     -- admin identifiers
    settings   JSONB  NOT NULL CHECK (jsonb_typeof(settings) = 'object'),  -- see domain/apps.py
    created_at BIGINT NOT NULL
);

CREATE TABLE accounts (
    sdkappid    BIGINT NOT NULL,
    user_id     TEXT   NOT NULL,
    created_at  BIGINT NOT NULL,
    profile     JSONB  NOT NULL DEFAULT '{}' CHECK (jsonb_typeof(profile) = 'object'),  -- tag -> value
    profile_seq BIGINT NOT NULL DEFAULT 0,
    PRIMARY KEY (sdkappid, user_id)
);
