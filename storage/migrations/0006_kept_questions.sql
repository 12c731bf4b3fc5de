-- Questions kept so a chat button can ask for another page of their answer by number,
-- even after the bot restarts: the button's id is limited to 100 characters, a question
-- is not. Either a free-text question, or a speaker (and topic) picked from lists; each
-- distinct question is kept once. (IF NOT EXISTS: safe to re-run on a rewound user_version.)

CREATE TABLE IF NOT EXISTS kept_questions (
    id       INTEGER PRIMARY KEY,
    question TEXT,
    speaker  TEXT,
    topic    TEXT,
    kept_at  TEXT NOT NULL,
    CHECK ((question IS NULL) != (speaker IS NULL))
);
CREATE UNIQUE INDEX IF NOT EXISTS kept_questions_once
    ON kept_questions(coalesce(question, ''), coalesce(speaker, ''), coalesce(topic, ''));
