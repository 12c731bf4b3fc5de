-- Sessions found by what people remember of them: words of their title. A full-text index
-- of titles, kept in sync by triggers, so a store of thousands of sessions answers
-- autocomplete without scanning them all (dates use the sessions_date index).

CREATE VIRTUAL TABLE IF NOT EXISTS sessions_fts USING fts5(
    title, content='sessions', content_rowid='id',
    tokenize='unicode61 remove_diacritics 2', prefix='1 2 3'
);
INSERT INTO sessions_fts(sessions_fts) VALUES ('rebuild');

CREATE TRIGGER IF NOT EXISTS sessions_fts_ai AFTER INSERT ON sessions BEGIN
    INSERT INTO sessions_fts(rowid, title) VALUES (new.id, new.title);
END;
CREATE TRIGGER IF NOT EXISTS sessions_fts_ad AFTER DELETE ON sessions BEGIN
    INSERT INTO sessions_fts(sessions_fts, rowid, title) VALUES ('delete', old.id, old.title);
END;
CREATE TRIGGER IF NOT EXISTS sessions_fts_au AFTER UPDATE OF title ON sessions BEGIN
    INSERT INTO sessions_fts(sessions_fts, rowid, title) VALUES ('delete', old.id, old.title);
    INSERT INTO sessions_fts(rowid, title) VALUES (new.id, new.title);
END;
