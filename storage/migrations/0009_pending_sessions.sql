-- A large add is written in short transactions (issue 16 item 3): the session row and its
-- people first, then its statements a chunk at a time, each chunk committed, so no write
-- holds the lock for long. Until its last chunk is in, the session has a row here, and
-- every read leaves it out (its row, its statements, its new speakers); the add's last
-- transaction deletes the row, which makes the whole session readable at once. A row
-- whose writer died (a crash, kill -9) is found on the next open and the session's rows
-- are deleted, also a chunk at a time.
CREATE TABLE IF NOT EXISTS pending_sessions (
    session_id INTEGER PRIMARY KEY REFERENCES sessions(id) ON DELETE CASCADE,
    writer     TEXT NOT NULL,  -- "host:pid" of the process writing it
    touched_at REAL NOT NULL   -- Unix time of its last committed chunk
);
