"""The one Bolt error handler: tell the user briefly, log the traceback once, stay up.

An ``OnrecordError`` is a user-facing sentence and is shown as it is. Anything else is a
bug: logged with its traceback, and the user sees a short apology, never the exception
text (which could carry a path or a secret).
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import replies
from adapters.slack.blocks import render_text
from bot.errors import OnrecordError

log = logging.getLogger(__name__)

APOLOGY = (
    "Sorry, something went wrong on our side while answering that. It has been logged; please try again."
)


def register(app: AsyncApp) -> None:
    """Install the app-wide error handler."""

    @app.error
    async def on_error(error: Exception, body: dict[str, Any], client: AsyncWebClient) -> None:
        if isinstance(error, OnrecordError):
            log.info("Refused a Slack request: %s", error)
            text = str(error)
        else:
            log.error("A Slack listener failed", exc_info=error)
            text = APOLOGY
        try:
            await replies.reply(body, client, render_text(text))
        except Exception:
            # Telling the user is best effort: a dead response_url must not hide the
            # original failure, which is already logged above.
            log.warning("Could not tell the user about a failure", exc_info=True)
