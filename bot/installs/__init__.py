"""Installations of the chat apps into workspaces (kept in the store, opaque to the core)."""
