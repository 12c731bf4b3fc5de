"""Bytes to a stored session: detect the format, read it, attribute the speech, store it."""
