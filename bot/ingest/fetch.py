"""Fetch a URL for ingest, safely: a chat command must not reach the bot's own network.

Only http and https; a total timeout; a size limit checked while reading. The address
rule (no loopback, private, link-local, reserved, multicast or unspecified address) is
enforced once, where it cannot be routed around: in the socket factory of the connector,
which sees the numeric address of every connection the fetcher opens — first hop and
every redirect, a literal address or a name resolved by DNS alike. However a host is
spelled (``１２７.0.0.1``, ``127。0。0。1``, ``①②⑦.0.0.1``, ``2130706433``, ``0x7f.1``,
``[::ffff:127.0.0.1]``), what reaches that factory is the address the kernel would
connect to. ``check_url`` refuses the obvious cases earlier, on the host as the URL
library itself canonicalises it (IDNA, full-width and circled digits folded), so a
moderator gets the sentence without a DNS lookup; it is a courtesy, not the guard.
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Collection
from dataclasses import dataclass, field
from typing import Any

import aiohttp
from aiohttp.connector import AddrInfoType, SocketFactoryType
from yarl import URL

from bot.errors import IngestError
from bot.ingest.detect import MAX_BYTES_DEFAULT, MB

TIMEOUT_DEFAULT = 20.0
MAX_REDIRECTS = 5
_CHUNK = 64 * 1024
_PRIVATE = "{url} points at a local or private address, which onrecord refuses."
_REDIRECTED_PRIVATE = "{url} redirects to {target}, a local or private address, which onrecord refuses."
_LOCAL_NAMES = ("localhost", "localhost.localdomain", "ip6-localhost", "ip6-loopback")
_LOCAL_SUFFIXES = (".localhost", ".local", ".internal", ".home.arpa")
# NAT64 (RFC 6052) carries an IPv4 address in its last 32 bits; a NAT64 gateway would
# forward 64:ff9b::7f00:1 to 127.0.0.1, so the embedded address is what counts.
_NAT64 = (ipaddress.ip_network("64:ff9b::/96"), ipaddress.ip_network("64:ff9b:1::/48"))
_LEGACY_IPV4_CHARS = frozenset("0123456789abcdefx.")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address

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


@dataclass(frozen=True)
class Endpoint:
    """A non-public address (and port; None: any) a test lets the fetcher reach.

    Only test code constructs these: no setting, command or chat input leads to one, and
    ``Record.add_url`` never passes any, so the guard is complete in the running bot.
    """

    address: str
    port: int | None = None

    def admits(self, address: IPAddress, port: int) -> bool:
        """Whether this allowance covers a connection to ``address``:``port``."""
        return ipaddress.ip_address(self.address) == address and self.port in (None, port)


class BlockedAddressError(OSError):
    """A connection to a non-public address was refused before the socket was made."""

    def __init__(self) -> None:
        # One constant text: happy eyeballs re-raises the first error when all attempts
        # fail with the same text, so a host with several blocked addresses stays typed.
        super().__init__("refused: not a public address")


def parse_address(host: str) -> IPAddress | None:
    """The IP address a host string denotes, also in the legacy IPv4 spellings.

    ``inet_aton`` (which ``getaddrinfo`` uses) reads ``2130706433``, ``0177.0.0.1``,
    ``0x7f.1`` and ``127.1`` as 127.0.0.1, so they are addresses, not names.
    """
    bare = host.strip("[]").split("%")[0].rstrip(".").lower()
    try:
        return ipaddress.ip_address(bare)
    except ValueError:
        pass
    if bare and set(bare) <= _LEGACY_IPV4_CHARS and any(c.isdigit() for c in bare):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(bare))
        except OSError:
            return None
    return None


def _embedded_ipv4(ip: ipaddress.IPv6Address) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 one stands for (mapped, 6to4, Teredo, NAT64, compatible)."""
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if any(ip in net for net in _NAT64) or (ip in ipaddress.ip_network("::/96") and int(ip) > 1):
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def is_public(ip: IPAddress) -> bool:
    """True only for globally routable unicast addresses (IPv4 inside IPv6 judged as IPv4)."""
    if isinstance(ip, ipaddress.IPv6Address):
        inner = _embedded_ipv4(ip)
        if inner is not None and not is_public(inner):
            return False
    return ip.is_global and not (
        ip.is_multicast or ip.is_reserved or ip.is_loopback or ip.is_link_local or ip.is_unspecified
    )


def is_public_address(address: str) -> bool:
    """``is_public`` for an address written as text; anything unparsable is not public."""
    ip = parse_address(address)
    return ip is not None and is_public(ip)


def _allowed(ip: IPAddress, port: int, allow: Collection[Endpoint]) -> bool:
    return is_public(ip) or any(e.admits(ip, port) for e in allow)


@dataclass
class _Guard:
    """The connect-time check: builds each socket only for an allowed numeric address."""

    allow: Collection[Endpoint]
    refused: list[str] = field(default_factory=list)

    def socket_factory(self) -> SocketFactoryType:
        """A socket factory for ``aiohttp.TCPConnector`` that refuses non-public peers."""

        def make(addr_info: AddrInfoType) -> socket.socket:
            family, type_, proto, _, sockaddr = addr_info
            ip = parse_address(str(sockaddr[0]))
            if ip is None or not _allowed(ip, int(sockaddr[1]), self.allow):
                self.refused.append(str(sockaddr[0]))
                raise BlockedAddressError()
            return socket.socket(family=family, type=type_, proto=proto)

        return make


def _shown(url: URL | str) -> str:
    """A URL as a message may show it: without any user name or password in it."""
    parsed = url if isinstance(url, URL) else URL(url)
    return str(parsed.with_user(None)) if parsed.user or parsed.password else str(parsed)


def canonical_url(url: str) -> URL:
    """``url`` as the HTTP client will use it: host IDNA-encoded, Unicode digits and dots folded."""
    try:
        return URL(url)
    except (ValueError, UnicodeError):
        raise IngestError("That link is not a valid web address.") from None


def check_url(url: str | URL, *, allow: Collection[Endpoint] = ()) -> URL:
    """Refuse non-HTTP schemes, missing hosts and non-public hosts that need no lookup.

    Returns the canonical URL, which is what must then be fetched: the check and the
    connection see the same host.
    """
    target = url if isinstance(url, URL) else canonical_url(url)
    scheme = target.scheme.lower()
    if scheme not in ("http", "https"):
        shown = scheme or "no scheme"
        raise IngestError(f"Only http and https links can be added (this one has {shown}).")
    host = target.raw_host
    if not host:
        raise IngestError(f"{_shown(target)} has no host name.")
    ip = parse_address(host)
    if ip is None:
        name = host.rstrip(".").lower()
        if name in _LOCAL_NAMES or name.endswith(_LOCAL_SUFFIXES):
            raise IngestError(_PRIVATE.format(url=_shown(target)))
        return target  # a name: the connect-time guard checks every address it resolves to
    if not _allowed(ip, target.port or 0, allow):
        raise IngestError(_PRIVATE.format(url=_shown(target)))
    return target


async def fetch(
    url: str,
    *,
    max_bytes: int | None = None,
    timeout_s: float = TIMEOUT_DEFAULT,
    allow: Collection[Endpoint] = (),
) -> Fetched:
    """Download ``url`` for ingest; every failure is an ``IngestError`` naming the problem.

    ``allow`` lets tests reach a server of their own on 127.0.0.1; nothing else sets it.
    """
    limit = MAX_BYTES_DEFAULT if max_bytes is None else max_bytes
    guard = _Guard(allow=tuple(allow))
    connector = aiohttp.TCPConnector(socket_factory=guard.socket_factory())
    client_timeout = aiohttp.ClientTimeout(total=timeout_s)
    headers = {"User-Agent": "onrecord/0.1 (+https://github.com/onrecord)"}
    hops: list[URL] = []
    try:
        async with aiohttp.ClientSession(
            connector=connector, timeout=client_timeout, headers=headers, trust_env=False
        ) as session:
            return await _follow(session, url, limit, guard, hops)
    except TimeoutError:
        raise IngestError(f"{_shown(url)} did not answer within {timeout_s:g} seconds.") from None
    except aiohttp.ClientConnectorError as exc:
        if isinstance(exc.os_error, BlockedAddressError) or guard.refused:
            raise _refusal(url, hops) from None
        raise IngestError(f"{_shown(url)} could not be reached (connection failed).") from None
    except aiohttp.ClientError as exc:
        raise IngestError(f"{_shown(url)} could not be fetched ({type(exc).__name__}).") from None


def _refusal(url: str, hops: list[URL]) -> IngestError:
    if len(hops) > 1:
        return IngestError(_REDIRECTED_PRIVATE.format(url=_shown(url), target=_shown(hops[-1])))
    return IngestError(_PRIVATE.format(url=_shown(url)))


async def _follow(
    session: aiohttp.ClientSession, url: str, limit: int, guard: _Guard, hops: list[URL]
) -> Fetched:
    target = canonical_url(url)
    for _ in range(MAX_REDIRECTS + 1):
        hops.append(target)
        try:
            target = check_url(target, allow=guard.allow)
        except IngestError:
            if len(hops) > 1:
                raise _refusal(url, hops) from None
            raise
        async with session.get(target, allow_redirects=False) as resp:
            if resp.status in (301, 302, 303, 307, 308) and "Location" in resp.headers:
                try:
                    target = target.join(URL(resp.headers["Location"]))
                except (ValueError, UnicodeError):
                    raise IngestError(f"{_shown(url)} redirects to an invalid address.") from None
                continue
            if resp.status >= 400:
                reason = f" {resp.reason}" if resp.reason else ""
                raise IngestError(f"{_shown(target)} returned HTTP {resp.status}{reason}; nothing was added.")
            ctype = resp.content_type.lower()
            if ctype not in CONTENT_TYPES:
                raise IngestError(
                    f"{_shown(target)} is {ctype or 'of no stated type'}, not a web page or a document "
                    "onrecord can read (HTML, PDF, plain text, captions, XML, JSON, DOCX)."
                )
            data = await _read_limited(resp, _shown(target), limit)
            return Fetched(url=str(resp.url), data=data, content_type=ctype, format=CONTENT_TYPES[ctype])
    raise IngestError(f"{_shown(url)} redirected more than {MAX_REDIRECTS} times.")


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
