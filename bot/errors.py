"""Errors whose message is safe and useful to show a user as it is.

Anything else that escapes the core is a bug: adapters log it with its traceback and show
a generic apology, never the exception text (which could carry a path or a secret).
"""

from __future__ import annotations


class OnrecordError(Exception):
    """Base class: ``str(error)`` is a complete, user-facing sentence."""


class IngestError(OnrecordError):
    """A source could not be read: empty, binary, too large, unsupported, unreachable."""


class DuplicateSessionError(OnrecordError):
    """The same content is already stored; carries the existing session's id and title."""

    def __init__(self, session_id: int, title: str) -> None:
        super().__init__(
            f"This record is already stored as session {session_id} ({title!r}). "
            "Use replace to update it."
        )
        self.session_id = session_id
        self.title = title


class NotFoundError(OnrecordError):
    """A session, speaker or channel the user named does not exist."""


class PermissionDeniedError(OnrecordError):
    """The user may not do this (moderator-only commands)."""


class StoreError(OnrecordError):
    """The store file cannot be used (damaged, not a database, disk full, unreadable).

    The sentence names the file and what to do; a process that meets one at start-up, or
    in a command, ends with it and a non-zero status.
    """
