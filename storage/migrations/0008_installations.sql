-- Chat app installations (a Slack workspace installing the app through OAuth), kept in the
-- store rather than in files next to it, and the one-time states of OAuth flows in progress.
-- An installation's data holds its bot token: the store file is as secret as a token.

CREATE TABLE installations (
    platform     TEXT NOT NULL,
    key          TEXT NOT NULL,          -- e.g. '<enterprise id>:<team id>' for Slack
    data         TEXT NOT NULL,          -- the platform library's installation, as JSON
    installed_at TEXT NOT NULL,          -- UTC ISO 8601
    PRIMARY KEY (platform, key)
);

CREATE TABLE oauth_states (
    state      TEXT PRIMARY KEY,
    expires_at TEXT NOT NULL             -- UTC ISO 8601
);
