"""What a daily summary says: pure summarising, and the store reads that feed it."""
