-- Daily summaries: per-channel schedules, follows, and the post ledger that makes each
-- (channel, local day) post happen at most once across restarts and processes.

CREATE TABLE summary_schedules (
    platform    TEXT NOT NULL,
    channel_id  TEXT NOT NULL,
    time_of_day TEXT NOT NULL,           -- HH:MM, local to timezone
    timezone    TEXT NOT NULL,           -- IANA name, e.g. Europe/London
    when_empty  TEXT NOT NULL DEFAULT 'skip' CHECK (when_empty IN ('skip', 'note')),
    set_by      TEXT NOT NULL,
    set_at      TEXT NOT NULL,           -- UTC ISO 8601
    PRIMARY KEY (platform, channel_id)
);

CREATE TABLE summary_follows (
    id         INTEGER PRIMARY KEY,
    platform   TEXT NOT NULL,
    channel_id TEXT NOT NULL,
    speaker    TEXT,
    topic      TEXT,
    set_by     TEXT NOT NULL,
    set_at     TEXT NOT NULL,
    CHECK (speaker IS NOT NULL OR topic IS NOT NULL),
    FOREIGN KEY (platform, channel_id) REFERENCES summary_schedules(platform, channel_id) ON DELETE CASCADE
);
CREATE UNIQUE INDEX summary_follows_once
    ON summary_follows(platform, channel_id, coalesce(speaker, ''), coalesce(topic, ''));

-- One row per channel per local day. A row is written (state 'claimed') BEFORE the post is
-- sent, in one atomic statement, so only one process can own a day; it then becomes 'sent'
-- or 'failed'. Only 'failed' rows whose retry_at has come are claimed again.
CREATE TABLE summary_posts (
    platform    TEXT NOT NULL,
    channel_id  TEXT NOT NULL,
    local_day   TEXT NOT NULL,           -- YYYY-MM-DD in the channel's time zone
    state       TEXT NOT NULL CHECK (state IN ('claimed', 'sent', 'failed')),
    claimed_by  TEXT NOT NULL,
    claimed_at  TEXT NOT NULL,
    attempts    INTEGER NOT NULL DEFAULT 1,
    covers_from TEXT,                    -- sessions added after this (UTC ISO) ...
    covers_to   TEXT NOT NULL,           -- ... up to this are in the post
    sent_at     TEXT,
    message_ref TEXT,                    -- the platform's id of the post, when one was made
    retry_at    TEXT,
    error       TEXT,
    PRIMARY KEY (platform, channel_id, local_day)
);
CREATE INDEX summary_posts_retry ON summary_posts(state, retry_at);
