-- A channel follows "Sadiq Khan on knife crime" once, however it was typed: the uniqueness
-- of follows ignores (ASCII) letter case, as unfollowing does. Case-only repeats stored
-- before this keep their oldest row.

DELETE FROM summary_follows WHERE id NOT IN (
    SELECT min(id) FROM summary_follows
    GROUP BY platform, channel_id, lower(coalesce(speaker, '')), lower(coalesce(topic, ''))
);
DROP INDEX summary_follows_once;
CREATE UNIQUE INDEX summary_follows_once
    ON summary_follows(platform, channel_id, lower(coalesce(speaker, '')), lower(coalesce(topic, '')));
