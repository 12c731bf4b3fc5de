-- Communities: each Discord server, Slack workspace or the command line's community has its
-- own record. Everything stored so far belongs to the community 'local'; no session or
-- person id changes, so every citation ("session 3") still points where it did.
--
-- Run with foreign keys off (storage.connection.migrate does so and checks them before
-- committing): rebuilding sessions and people must not cascade into their statements.
--
-- Statements carry a "bucket": 'c' + the hex of their session's community, or 'shared'
-- for a session the local community shares with every community. The bucket is one
-- index token, so a community reads exactly the buckets {its own, 'shared'}.

-- Sessions: content is unique per community, not across the store (two servers may add
-- the same Hansard day; neither may learn that the other has it).
CREATE TABLE _session_seq AS SELECT coalesce(max(seq), 0) AS seq FROM sqlite_sequence WHERE name = 'sessions';

CREATE TABLE sessions_new (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: a cited "session 3" stays that session
    community    TEXT NOT NULL DEFAULT 'local',
    shared       INTEGER NOT NULL DEFAULT 0 CHECK (shared IN (0, 1)),  -- readable by every community
    title        TEXT NOT NULL,
    date         TEXT,
    source_name  TEXT NOT NULL,
    format       TEXT NOT NULL,
    encoding     TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    added_by     TEXT,
    added_at     TEXT NOT NULL,
    text         TEXT NOT NULL,
    UNIQUE (community, content_hash),
    CHECK (shared = 0 OR community = 'local')
);
INSERT INTO sessions_new(id, community, shared, title, date, source_name, format, encoding, content_hash,
                         added_by, added_at, text)
    SELECT id, 'local', 0, title, date, source_name, format, encoding, content_hash, added_by, added_at, text
    FROM sessions;
DROP TABLE sessions;
ALTER TABLE sessions_new RENAME TO sessions;
-- Keep the id high-water mark: a removed last session's id is still never handed out again.
DELETE FROM sqlite_sequence WHERE name = 'sessions';
INSERT INTO sqlite_sequence(name, seq)
    SELECT 'sessions', max((SELECT seq FROM _session_seq), coalesce((SELECT max(id) FROM sessions), 0));
DROP TABLE _session_seq;
CREATE INDEX sessions_date ON sessions(date);
CREATE INDEX sessions_community ON sessions(community, date);
CREATE INDEX sessions_shared ON sessions(shared) WHERE shared = 1;
-- Dropping the old table dropped the title index's triggers (0005); the index itself
-- reads the new table by name, and every id is kept, so only the triggers come back.
CREATE TRIGGER sessions_fts_ai AFTER INSERT ON sessions BEGIN
    INSERT INTO sessions_fts(rowid, title) VALUES (new.id, new.title);
END;
CREATE TRIGGER sessions_fts_ad AFTER DELETE ON sessions BEGIN
    INSERT INTO sessions_fts(sessions_fts, rowid, title) VALUES ('delete', old.id, old.title);
END;
CREATE TRIGGER sessions_fts_au AFTER UPDATE OF title ON sessions BEGIN
    INSERT INTO sessions_fts(sessions_fts, rowid, title) VALUES ('delete', old.id, old.title);
    INSERT INTO sessions_fts(rowid, title) VALUES (new.id, new.title);
END;

-- People are merged across sessions only within one community.
CREATE TABLE people_new (
    id          INTEGER PRIMARY KEY,
    community   TEXT NOT NULL DEFAULT 'local',
    name        TEXT NOT NULL,
    name_key    TEXT NOT NULL,
    role        TEXT,
    party       TEXT,
    external_id TEXT,
    UNIQUE (community, name_key),
    UNIQUE (community, external_id)
);
INSERT INTO people_new(id, community, name, name_key, role, party, external_id)
    SELECT id, 'local', name, name_key, role, party, external_id FROM people;
DROP TABLE people;
ALTER TABLE people_new RENAME TO people;

ALTER TABLE statements ADD COLUMN bucket TEXT NOT NULL DEFAULT 'c6c6f63616c';  -- 'c' || hex('local')
CREATE INDEX statements_bucket ON statements(bucket, tokens);

-- The lemma index becomes contentless with every token prefixed by its bucket
-- ("c6c6f63616cxknife"): a community's MATCH, bm25 statistics, vocabulary counts and
-- prefix completions then see only its own and shared statements, with no join.
DROP TRIGGER statements_ai;
DROP TRIGGER statements_ad;
DROP TRIGGER statements_au;
DROP TABLE statements_vocab;
DROP TABLE statements_fts;

CREATE VIRTUAL TABLE statements_terms USING fts5(
    terms, content='', tokenize='unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE statements_terms_vocab USING fts5vocab(statements_terms, 'row');
INSERT INTO statements_terms(rowid, terms)
    SELECT id, bucket || 'x' || replace(lemmas, ' ', ' ' || bucket || 'x') FROM statements;

CREATE TRIGGER statements_ai AFTER INSERT ON statements BEGIN
    INSERT INTO statements_terms(rowid, terms)
        VALUES (new.id, new.bucket || 'x' || replace(new.lemmas, ' ', ' ' || new.bucket || 'x'));
END;
CREATE TRIGGER statements_ad AFTER DELETE ON statements BEGIN
    INSERT INTO statements_terms(statements_terms, rowid, terms)
        VALUES ('delete', old.id, old.bucket || 'x' || replace(old.lemmas, ' ', ' ' || old.bucket || 'x'));
END;
CREATE TRIGGER statements_au AFTER UPDATE OF lemmas, bucket ON statements BEGIN
    INSERT INTO statements_terms(statements_terms, rowid, terms)
        VALUES ('delete', old.id, old.bucket || 'x' || replace(old.lemmas, ' ', ' ' || old.bucket || 'x'));
    INSERT INTO statements_terms(rowid, terms)
        VALUES (new.id, new.bucket || 'x' || replace(new.lemmas, ' ', ' ' || new.bucket || 'x'));
END;

-- The stemmed index gets the bucket as a second column, searched with a column filter.
DROP TRIGGER statements_stems_ai;
DROP TRIGGER statements_stems_ad;
DROP TRIGGER statements_stems_au;
DROP TABLE statements_stems;
CREATE VIRTUAL TABLE statements_stems USING fts5(
    text, bucket, content='statements', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2'
);
INSERT INTO statements_stems(statements_stems) VALUES ('rebuild');
CREATE TRIGGER statements_stems_ai AFTER INSERT ON statements BEGIN
    INSERT INTO statements_stems(rowid, text, bucket) VALUES (new.id, new.text, new.bucket);
END;
CREATE TRIGGER statements_stems_ad AFTER DELETE ON statements BEGIN
    INSERT INTO statements_stems(statements_stems, rowid, text, bucket)
        VALUES ('delete', old.id, old.text, old.bucket);
END;
CREATE TRIGGER statements_stems_au AFTER UPDATE OF text, bucket ON statements BEGIN
    INSERT INTO statements_stems(statements_stems, rowid, text, bucket)
        VALUES ('delete', old.id, old.text, old.bucket);
    INSERT INTO statements_stems(rowid, text, bucket) VALUES (new.id, new.text, new.bucket);
END;

-- Daily summaries and the audit log belong to the community whose moderator set or made them.
ALTER TABLE summary_schedules ADD COLUMN community TEXT NOT NULL DEFAULT 'local';
CREATE INDEX summary_schedules_community ON summary_schedules(community, platform);
ALTER TABLE summary_follows ADD COLUMN community TEXT NOT NULL DEFAULT 'local';
ALTER TABLE summary_posts ADD COLUMN community TEXT NOT NULL DEFAULT 'local';
-- A kept question (a page button's number, 0006) is its community's: another's buttons cannot ask it.
ALTER TABLE kept_questions ADD COLUMN community TEXT NOT NULL DEFAULT 'local';
DROP INDEX kept_questions_once;
CREATE UNIQUE INDEX kept_questions_once
    ON kept_questions(community, coalesce(question, ''), coalesce(speaker, ''), coalesce(topic, ''));
-- The audit log also records sharing and moves, so its action check is rebuilt (ids kept).
CREATE TABLE audit_log_new (
    id         INTEGER PRIMARY KEY,
    community  TEXT NOT NULL DEFAULT 'local',
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL CHECK (action IN ('add', 'replace', 'remove', 'alias', 'share', 'unshare', 'move')),
    session_id INTEGER,
    detail     TEXT NOT NULL
);
INSERT INTO audit_log_new(id, community, at, actor, action, session_id, detail)
    SELECT id, 'local', at, actor, action, session_id, detail FROM audit_log;
DROP TABLE audit_log;
ALTER TABLE audit_log_new RENAME TO audit_log;
CREATE INDEX audit_log_community ON audit_log(community, id);
