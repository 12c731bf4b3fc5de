"""The HTTP clients the app talks to Slack through, each waiting out a rate limit.

Slack answers a burst of calls with ``429 ratelimited`` and a ``Retry-After`` header (in
seconds). slack_sdk retries only connection errors by default, so without this an answer
that met a rate limit was lost. Every Web API client the app uses (its own, the copy Bolt
makes per request, the Socket Mode client's) and every ``response_url`` post carries
slack_sdk's rate-limit handler, which sleeps for ``Retry-After`` and sends again.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import timedelta
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

# Slack's rate-limit windows are per minute; three waits cover a burst of users at once
# without holding a reply for minutes. What still fails after them is reported.
RATE_LIMIT_RETRIES = 3


def retry_handlers() -> list[AsyncRetryHandler]:
    """A fresh list of the handlers every client gets: connection errors, then rate limits."""
    return [
        AsyncConnectionErrorRetryHandler(),
        AsyncRateLimitErrorRetryHandler(max_retry_count=RATE_LIMIT_RETRIES),
    ]


def with_retries(client: AsyncWebClient) -> AsyncWebClient:
    """Give ``client`` (in place) whichever of the handlers it lacks, and return it.

    Bolt copies the app client's handler list into the client each listener gets, so
    doing this once on the app's client covers every request.
    """
    present = {type(h) for h in client.retry_handlers}
    client.retry_handlers.extend(h for h in retry_handlers() if type(h) not in present)
    return client


def without_resends(client: AsyncWebClient) -> AsyncWebClient:
    """A copy of ``client`` with its handlers but the one that resends after a lost connection.

    For a post that must not appear twice: Slack may have made the message before the
    connection dropped, and slack_sdk's connection-error handler would send it again at
    once. The daily scheduler retries instead, after looking for the first attempt.
    """
    return AsyncWebClient(
        token=client.token,
        base_url=client.base_url,
        timeout=client.timeout,
        session=client.session,
        retry_handlers=[
            h for h in client.retry_handlers if not isinstance(h, AsyncConnectionErrorRetryHandler)
        ],
    )


def web_client(token: str, base_url: str = AsyncWebClient.BASE_URL) -> AsyncWebClient:
    """The app's Web API client for ``token`` at ``base_url`` (ending in ``/api/``)."""
    return AsyncWebClient(token=token, base_url=base_url, retry_handlers=retry_handlers())


def webhook(url: str) -> AsyncWebhookClient:
    """A client for one ``response_url`` (Bolt's own ``respond()`` has no retry handlers)."""
    return AsyncWebhookClient(url=url, retry_handlers=retry_handlers())


def retry_after(exc: SlackApiError) -> timedelta | None:
    """How long Slack asked to wait before calling again, when it refused with a rate limit."""
    response = exc.response
    if getattr(response, "status_code", None) != 429:
        return None
    headers: Mapping[str, Any] = getattr(response, "headers", None) or {}
    for name, value in headers.items():
        if name.lower() == "retry-after":
            raw = value[0] if isinstance(value, list | tuple) and value else value
            try:
                return timedelta(seconds=max(0, int(str(raw).strip())))
            except ValueError:
                return None
    return None
