"""Thin translators between chat platforms (or a terminal) and the core in ``bot``."""
