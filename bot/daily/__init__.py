"""When and where a daily summary is posted: times and zones, settings, the posting loop."""
