-- Sessions, people and their aliases, statements with a full-text index, and an audit log.
-- Applied in one transaction; the version lands in PRAGMA user_version.

CREATE TABLE sessions (
    id           INTEGER PRIMARY KEY AUTOINCREMENT,  -- never reused: a cited "session 3" stays that session
    title        TEXT NOT NULL,
    date         TEXT,
    source_name  TEXT NOT NULL,
    format       TEXT NOT NULL,
    encoding     TEXT NOT NULL,
    content_hash TEXT NOT NULL UNIQUE,
    added_by     TEXT,
    added_at     TEXT NOT NULL,
    text         TEXT NOT NULL
);
CREATE INDEX sessions_date ON sessions(date);

CREATE TABLE people (
    id          INTEGER PRIMARY KEY,
    name        TEXT NOT NULL,
    name_key    TEXT NOT NULL UNIQUE,
    role        TEXT,
    party       TEXT,
    external_id TEXT UNIQUE
);

CREATE TABLE aliases (
    person_id INTEGER NOT NULL REFERENCES people(id) ON DELETE CASCADE,
    alias     TEXT NOT NULL,
    alias_key TEXT NOT NULL,
    origin    TEXT NOT NULL DEFAULT 'record' CHECK (origin IN ('record', 'manual')),
    PRIMARY KEY (person_id, alias_key)
);
CREATE INDEX aliases_key ON aliases(alias_key);

CREATE TABLE statements (
    id          INTEGER PRIMARY KEY,
    session_id  INTEGER NOT NULL REFERENCES sessions(id) ON DELETE CASCADE,
    person_id   INTEGER REFERENCES people(id) ON DELETE SET NULL,
    speaker     TEXT,
    kind        TEXT NOT NULL CHECK (kind IN ('direct', 'indirect', 'turn')),
    text        TEXT NOT NULL,
    lemmas      TEXT NOT NULL,
    tokens      INTEGER NOT NULL,
    start       INTEGER NOT NULL,
    "end"       INTEGER NOT NULL,
    position    INTEGER NOT NULL,
    is_question INTEGER NOT NULL DEFAULT 0,
    page        INTEGER,
    seconds     REAL
);
CREATE INDEX statements_session ON statements(session_id, position);
CREATE INDEX statements_person ON statements(person_id, session_id);

-- The index holds lemmatised text (knives -> knife), so stems match the way people ask.
CREATE VIRTUAL TABLE statements_fts USING fts5(
    lemmas, content='statements', content_rowid='id', tokenize='unicode61 remove_diacritics 2'
);
CREATE VIRTUAL TABLE statements_vocab USING fts5vocab(statements_fts, 'row');

CREATE TRIGGER statements_ai AFTER INSERT ON statements BEGIN
    INSERT INTO statements_fts(rowid, lemmas) VALUES (new.id, new.lemmas);
END;
CREATE TRIGGER statements_ad AFTER DELETE ON statements BEGIN
    INSERT INTO statements_fts(statements_fts, rowid, lemmas) VALUES ('delete', old.id, old.lemmas);
END;
CREATE TRIGGER statements_au AFTER UPDATE OF lemmas ON statements BEGIN
    INSERT INTO statements_fts(statements_fts, rowid, lemmas) VALUES ('delete', old.id, old.lemmas);
    INSERT INTO statements_fts(rowid, lemmas) VALUES (new.id, new.lemmas);
END;

CREATE TABLE audit_log (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL CHECK (action IN ('add', 'replace', 'remove', 'alias')),
    session_id INTEGER,
    detail     TEXT NOT NULL
);
