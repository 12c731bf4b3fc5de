"""The one Bolt error handler: tell the user briefly, log the traceback once, stay up.

An ``OnrecordError`` is a user-facing sentence and is shown as it is. Anything else is a
bug: logged with its traceback, and the user sees a short apology, never the exception
text (which could carry a path or a secret).
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.context.async_context import AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from adapters.slack import replies
from adapters.slack.blocks import render_text
from bot.errors import OnrecordError

log = logging.getLogger(__name__)

APOLOGY = (
    "Sorry, something went wrong on our side while answering that. It has been logged; please try again."
)


def _keep_sent_ack(context: AsyncBoltContext) -> None:
    """Undo Bolt's reset of an ack that was already sent.

    When a listener fails after ``ack()``, slack_bolt's asyncio runner (1.30) sets
    ``ack.response`` back to ``None`` right after this error handler returns; the request
    then waits out the 3-second ack timeout and Slack shows the user a timeout on top of
    our message. Restoring it on the next loop turn, scheduled as this handler's last step,
    lets the ack go out at once.
    """
    ack = context.get("ack")
    sent = getattr(ack, "response", None)
    if sent is not None:
        asyncio.get_running_loop().call_soon(setattr, ack, "response", sent)


def register(app: AsyncApp) -> None:
    """Install the app-wide error handler."""

    @app.error
    async def on_error(
        error: Exception, body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
    ) -> None:
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
        finally:
            _keep_sent_ack(context)  # last: Bolt resets the ack as soon as this returns
