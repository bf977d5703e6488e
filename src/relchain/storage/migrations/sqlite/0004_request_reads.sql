-- When each user last marked their incoming friend requests read (the Web SDK's
-- setFriendApplicationRead): requests created after it are unread.
CREATE TABLE friend_request_reads (
    sdkappid BIGINT NOT NULL,
    user_id  TEXT   NOT NULL,
    read_at  BIGINT NOT NULL,
    PRIMARY KEY (sdkappid, user_id)
);
