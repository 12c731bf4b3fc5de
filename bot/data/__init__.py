"""Data files shipped with onrecord (the sample session)."""
