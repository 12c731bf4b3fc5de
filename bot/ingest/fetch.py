"""Fetch a URL for ingest, safely: a chat command must not reach the bot's own network.

Only http and https; a total timeout; a size limit checked while reading; and every
address the name resolves to (at every redirect, through the resolver the connection
itself uses, so a second DNS answer cannot differ) must be a public one — no loopback,
private, link-local or reserved addresses.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from typing import Any
from urllib.parse import urljoin, urlsplit

import aiohttp
from aiohttp.abc import AbstractResolver, ResolveResult

from bot.errors import IngestError
from bot.ingest.detect import MAX_BYTES_DEFAULT, MB

TIMEOUT_DEFAULT = 20.0
MAX_REDIRECTS = 5
_CHUNK = 64 * 1024
_PRIVATE = "{url} points at a local or private address, which onrecord refuses."

# Content types we can read, and the reader they imply (None: let the content decide).
CONTENT_TYPES: dict[str, str | None] = {
    "text/html": "html",
    "application/xhtml+xml": "html",
    "application/pdf": "pdf",
    "text/plain": None,
    "text/vtt": "vtt",
    "application/x-subrip": "srt",
    "text/srt": "srt",
    "application/json": None,
    "application/xml": None,
    "text/xml": None,
    "application/vnd.openxmlformats-officedocument.wordprocessingml.document": "docx",
}


@dataclass(frozen=True)
class Fetched:
    """A fetched source: the final URL after redirects, its bytes, and the reader it implies."""

    url: str
    data: bytes
    content_type: str
    format: str | None


class BlockedAddressError(OSError):
    """The host resolves to an address a chat command must not reach."""


def is_public_address(address: str) -> bool:
    """True only for globally routable unicast addresses (IPv4-mapped IPv6 checked as IPv4)."""
    try:
        ip = ipaddress.ip_address(address.split("%")[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not (ip.is_multicast or ip.is_reserved or ip.is_loopback or ip.is_link_local)


class _GuardedResolver(AbstractResolver):
    """Resolve with the system resolver, refusing names that lead to non-public addresses."""

    def __init__(self) -> None:
        self._inner = aiohttp.ThreadedResolver()

    async def resolve(
        self, host: str, port: int = 0, family: socket.AddressFamily = socket.AF_INET
    ) -> list[ResolveResult]:
        results = await self._inner.resolve(host, port, family)
        for r in results:
            if not is_public_address(r["host"]):
                raise BlockedAddressError(f"{host} resolves to a non-public address")
        return results

    async def close(self) -> None:
        await self._inner.close()


def check_url(url: str, *, allow_private: bool = False) -> None:
    """Refuse non-HTTP schemes, missing hosts and literal non-public addresses."""
    parts = urlsplit(url)
    if parts.scheme.lower() not in ("http", "https"):
        shown = parts.scheme or "no scheme"
        raise IngestError(f"Only http and https links can be added (this one has {shown}).")
    host = parts.hostname
    if not host:
        raise IngestError(f"{url} has no host name.")
    if allow_private:
        return
    try:
        ipaddress.ip_address(host.strip("[]").split("%")[0])
    except ValueError:
        if host.lower() == "localhost" or host.lower().endswith((".localhost", ".local", ".internal")):
            raise IngestError(_PRIVATE.format(url=url)) from None
        return  # a name: the resolver checks every address it resolves to
    if not is_public_address(host.strip("[]")):
        raise IngestError(_PRIVATE.format(url=url))


async def fetch(
    url: str,
    *,
    max_bytes: int | None = None,
    timeout_s: float = TIMEOUT_DEFAULT,
    allow_private: bool = False,
) -> Fetched:
    """Download ``url`` for ingest; every failure is an ``IngestError`` naming the problem.

    ``allow_private`` lets tests fetch from a server on 127.0.0.1; nothing else sets it.
    """
    limit = MAX_BYTES_DEFAULT if max_bytes is None else max_bytes
    connector = aiohttp.TCPConnector(resolver=None if allow_private else _GuardedResolver())
    client_timeout = aiohttp.ClientTimeout(total=timeout_s)
    headers = {"User-Agent": "onrecord/0.1 (+https://github.com/onrecord)"}
    try:
        async with aiohttp.ClientSession(
            connector=connector, timeout=client_timeout, headers=headers, trust_env=False
        ) as session:
            return await _follow(session, url, limit, allow_private)
    except TimeoutError:
        raise IngestError(f"{url} did not answer within {timeout_s:g} seconds.") from None
    except aiohttp.ClientConnectorError as exc:
        if isinstance(exc.os_error, BlockedAddressError):
            raise IngestError(_PRIVATE.format(url=url)) from None
        raise IngestError(f"{url} could not be reached (connection failed).") from None
    except aiohttp.ClientError as exc:
        raise IngestError(f"{url} could not be fetched ({type(exc).__name__}).") from None


async def _follow(session: aiohttp.ClientSession, url: str, limit: int, allow_private: bool) -> Fetched:
    for _ in range(MAX_REDIRECTS + 1):
        check_url(url, allow_private=allow_private)
        async with session.get(url, allow_redirects=False) as resp:
            if resp.status in (301, 302, 303, 307, 308) and "Location" in resp.headers:
                url = urljoin(url, resp.headers["Location"])
                continue
            if resp.status >= 400:
                reason = f" {resp.reason}" if resp.reason else ""
                raise IngestError(f"{url} returned HTTP {resp.status}{reason}; nothing was added.")
            ctype = resp.content_type.lower()
            if ctype not in CONTENT_TYPES:
                raise IngestError(
                    f"{url} is {ctype or 'of no stated type'}, not a web page or a document onrecord can "
                    "read (HTML, PDF, plain text, captions, XML, JSON, DOCX)."
                )
            data = await _read_limited(resp, url, limit)
            return Fetched(url=str(resp.url), data=data, content_type=ctype, format=CONTENT_TYPES[ctype])
    raise IngestError(f"{url} redirected more than {MAX_REDIRECTS} times.")


async def _read_limited(resp: Any, url: str, limit: int) -> bytes:
    declared = resp.content_length
    if declared is not None and declared > limit:
        raise IngestError(f"{url} is {declared / MB:.1f} MB, over the {limit / MB:g} MB limit.")
    chunks: list[bytes] = []
    size = 0
    async for chunk in resp.content.iter_chunked(_CHUNK):
        size += len(chunk)
        if size > limit:
            raise IngestError(f"{url} is over the {limit / MB:g} MB limit; nothing was added.")
        chunks.append(chunk)
    return b"".join(chunks)
