-- A second full-text index over the statements' own words, Porter-stemmed: the lemma index
-- keeps "evaluations" and "evaluate" apart, a stemmer joins them. Questions that name no
-- speaker fuse both rankings (bot/answers.py); kept in sync with statements by triggers.

CREATE VIRTUAL TABLE statements_stems USING fts5(
    text, content='statements', content_rowid='id', tokenize='porter unicode61 remove_diacritics 2'
);
INSERT INTO statements_stems(statements_stems) VALUES ('rebuild');

CREATE TRIGGER statements_stems_ai AFTER INSERT ON statements BEGIN
    INSERT INTO statements_stems(rowid, text) VALUES (new.id, new.text);
END;
CREATE TRIGGER statements_stems_ad AFTER DELETE ON statements BEGIN
    INSERT INTO statements_stems(statements_stems, rowid, text) VALUES ('delete', old.id, old.text);
END;
CREATE TRIGGER statements_stems_au AFTER UPDATE OF text ON statements BEGIN
    INSERT INTO statements_stems(statements_stems, rowid, text) VALUES ('delete', old.id, old.text);
    INSERT INTO statements_stems(rowid, text) VALUES (new.id, new.text);
END;
