"""Lists of what is on the record: sessions, speakers, topics, completions and aliases."""
