"""The only place SQL lives: the aiosqlite connection, migrations and typed queries."""
