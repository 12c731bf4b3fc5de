"""Fetching a file a moderator shared with the app (DM upload or the add modal).

Private Slack files are downloaded with the bot token; the token is only ever sent to
Slack's own hosts (or the host of the Web API the client talks to, for a local fake), and
the download stops at the configured size limit instead of filling memory.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import aiohttp
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.errors import IngestError

CHUNK = 64 * 1024
TIMEOUT_SECONDS = 60
FILE_REFUSALS = {
    "file_not_found": (
        "Slack could not find {name} (file_not_found): it may have been deleted, or shared where "
        "the app cannot see it. Upload it again in a DM to the app with the message `add`."
    ),
    "file_deleted": "{name} was deleted from Slack before it could be read; upload it again.",
    "missing_scope": (
        "The app may not read files (it lacks the files:read scope): a workspace admin can "
        "reinstall it from its manifest, then send {name} again."
    ),
}


@dataclass(frozen=True)
class SharedFile:
    """A file's bytes and the name it was shared under."""

    name: str
    data: bytes


def _trusted_host(url: str, client: AsyncWebClient) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    api_host = (urlsplit(client.base_url).hostname or "").lower()
    return host == "slack.com" or host.endswith(".slack.com") or host == api_host


async def fetch_file(client: AsyncWebClient, file: dict[str, Any], max_mb: float) -> SharedFile:
    """Download one shared file, refusing anything over ``max_mb`` megabytes.

    Event and modal payloads may carry only a stub of the file, so ``files.info`` is asked
    for the download address.
    """
    try:
        info = (await client.files_info(file=file["id"])).get("file") or {}
    except SlackApiError as exc:
        error = str(exc.response.get("error"))
        if error not in FILE_REFUSALS:
            raise
        raise IngestError(FILE_REFUSALS[error].format(name=file.get("name") or "that file")) from exc
    name = str(info.get("name") or file.get("name") or file["id"])
    size = info.get("size")
    max_bytes = int(max_mb * 1024 * 1024)
    if isinstance(size, int) and size > max_bytes:
        raise IngestError(f"{name} is larger than the {max_mb:g} MB limit for a source.")
    url = info.get("url_private_download") or info.get("url_private")
    if not url or not _trusted_host(url, client):
        raise IngestError(f"Slack gave no download address for {name}; try sharing the file again.")
    headers = {"Authorization": f"Bearer {client.token}"}
    timeout = aiohttp.ClientTimeout(total=TIMEOUT_SECONDS)
    async with aiohttp.ClientSession(timeout=timeout) as session, session.get(url, headers=headers) as resp:
        if resp.status != 200:
            raise IngestError(f"Could not download {name} from Slack (HTTP {resp.status}).")
        data = bytearray()
        async for chunk in resp.content.iter_chunked(CHUNK):
            data.extend(chunk)
            if len(data) > max_bytes:
                raise IngestError(f"{name} is larger than the {max_mb:g} MB limit for a source.")
    return SharedFile(name=name, data=bytes(data))
