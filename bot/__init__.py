"""onrecord's platform-neutral core: ingest, attribution, questions, answers, summaries."""
