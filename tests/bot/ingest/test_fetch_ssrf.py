"""The SSRF guard against every spelling of a local address, first hop and redirects alike.

A raw TCP server on 127.0.0.1 and ::1 (one port) counts every connection it accepts: a
refused fetch must leave it at zero. A positive control first shows that each spelling
really does route to that server when the test allows it, so a zero means the guard held,
not that the spelling led nowhere.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator
from dataclasses import dataclass, field

import pytest

import bot.ingest.fetch
from bot.errors import IngestError
from bot.ingest.fetch import Endpoint, fetch
from bot.record import Record

PAGE = (
    b"<!doctype html><html><head><title>Internal</title></head><body><article>"
    b"<p>Sadiq Khan: This page is only on the loopback interface.</p></article></body></html>"
)

# Each spelling of the counting server's host (127.0.0.1 or ::1) that the URL library or
# the resolver turns into a local address the HTTP client then connects to.
ROUTED = [
    "127.0.0.1",
    "１２７.０.０.１",  # full-width digits
    "１２７.0.0.1",
    "127。0。0。1",  # ideographic full stop
    "127．0．0．1",  # full-width full stop
    "127｡0｡0｡1",  # half-width ideographic full stop
    "①②⑦.0.0.1",  # circled digits
    "⑫⑦.0.0.1",  # circled number twelve
    "𝟏𝟐𝟕.0.0.1",  # mathematical bold digits
    "𝟷𝟸𝟽.𝟶.𝟶.𝟷",  # mathematical monospace digits
    "0x7f.0.0.1",  # hex, read by the resolver's inet_aton
    "0x7f000001",
    "localhost",
    "[::1]",
    "[0:0:0:0:0:0:0:1]",
    "[0000::0001]",
    "[::ffff:127.0.0.1]",  # IPv4-mapped
    "[::ffff:7f00:1]",
    "0.0.0.0",  # Linux connects "this host" to the local listener
]
# Legacy numeric spellings the HTTP client itself declines to connect to today (and a
# name this resolver does not know); refused by onrecord's own check all the same, so a
# change in the library cannot open them.
UNROUTED = ["2130706433", "0177.0.0.1", "017700000001", "127.1", "0", "LOCALHOST."]
# Non-public addresses with no server of ours behind them: refused all the same.
ELSEWHERE = [
    "[fe80::1]",
    "[fe80::1%25lo]",
    "[fc00::1]",
    "[fd12:3456::1]",
    "[::]",
    "[ff02::1]",
    "[64:ff9b::7f00:1]",  # NAT64 of 127.0.0.1
    "[2002:7f00:1::]",  # 6to4 of 127.0.0.1
    "169.254.169.254",
    "①⑥⑨.②⑤④.①⑥⑨.②⑤④",
    "10.0.0.1",
    "１０.0.0.1",
    "192.168.1.1",
    "172.16.0.1",
    "100.64.0.1",
    "224.0.0.1",
    "240.0.0.1",
    "255.255.255.255",
]
EVERY_SPELLING = [*ROUTED, *UNROUTED, *ELSEWHERE]


@dataclass
class Counter:
    """A raw HTTP server on 127.0.0.1 and ::1 (same port) and how many connections it accepted."""

    port: int = 0
    connections: int = 0
    servers: list[asyncio.Server] = field(default_factory=list)

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        with contextlib.suppress(ConnectionError, asyncio.IncompleteReadError):
            await reader.readuntil(b"\r\n\r\n")
            writer.write(
                b"HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n"
                + f"Content-Length: {len(PAGE)}\r\n\r\n".encode()
                + PAGE
            )
            await writer.drain()
        writer.close()

    def allowing(self) -> tuple[Endpoint, ...]:
        """Allowances for every address the spellings in ROUTED lead to."""
        return tuple(Endpoint(a, self.port) for a in ("127.0.0.1", "::1", "::ffff:7f00:1", "0.0.0.0"))


@pytest.fixture
async def counter() -> AsyncIterator[Counter]:
    c = Counter()
    v4 = await asyncio.start_server(c.serve, "127.0.0.1", 0)
    c.port = v4.sockets[0].getsockname()[1]
    v6 = await asyncio.start_server(c.serve, "::1", c.port)
    c.servers = [v4, v6]
    try:
        yield c
    finally:
        for s in c.servers:
            s.close()
            await s.wait_closed()


@dataclass
class Redirector:
    """An allowed raw server that answers every request with a redirect to ``location``."""

    port: int = 0
    location: bytes = b"/"
    requests: int = 0

    async def serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        with contextlib.suppress(ConnectionError, asyncio.IncompleteReadError):
            await reader.readuntil(b"\r\n\r\n")
            self.requests += 1
            writer.write(
                b"HTTP/1.1 302 Found\r\nLocation: " + self.location + b"\r\nContent-Length: 0\r\n\r\n"
            )
            await writer.drain()
        writer.close()


@pytest.fixture
async def redirector() -> AsyncIterator[Redirector]:
    r = Redirector()
    server = await asyncio.start_server(r.serve, "127.0.0.1", 0)
    r.port = server.sockets[0].getsockname()[1]
    try:
        yield r
    finally:
        server.close()
        await server.wait_closed()


def url(host: str, port: int) -> str:
    return f"http://{host}:{port}/internal"


@pytest.fixture
def no_early_check(monkeypatch: pytest.MonkeyPatch) -> None:
    """Take away the courtesy check, leaving the connect-time guard as the only defence."""

    def schemes_only(target: object, *, allow: object = ()) -> object:
        return bot.ingest.fetch.canonical_url(str(target))

    monkeypatch.setattr(bot.ingest.fetch, "check_url", schemes_only)


@pytest.mark.parametrize("host", ROUTED)
async def test_control_each_spelling_reaches_the_counting_server_when_allowed(
    counter: Counter, no_early_check: None, host: str
) -> None:
    """Allowed at connect time, each spelling does reach the local server: the zeros below mean something."""
    got = await fetch(url(host, counter.port), allow=counter.allowing())
    assert b"only on the loopback interface" in got.data
    assert counter.connections == 1


@pytest.mark.parametrize("host", EVERY_SPELLING)
async def test_every_spelling_is_refused_with_no_connection(counter: Counter, host: str) -> None:
    """No spelling of a local, private or reserved address is fetched; the server counts zero."""
    with pytest.raises(IngestError, match="points at a local or private address, which onrecord refuses"):
        await fetch(url(host, counter.port))
    assert counter.connections == 0


@pytest.mark.parametrize("host", [*ROUTED, *ELSEWHERE])
async def test_the_connect_time_guard_alone_refuses_every_spelling(
    counter: Counter, no_early_check: None, host: str
) -> None:
    """Without the early URL check, the socket factory still refuses every spelling before connecting."""
    with pytest.raises(IngestError, match="points at a local or private address"):
        await fetch(url(host, counter.port))
    assert counter.connections == 0


@pytest.mark.parametrize("host", EVERY_SPELLING)
async def test_a_redirect_to_any_spelling_is_refused(
    counter: Counter, redirector: Redirector, host: str
) -> None:
    """An allowed first hop redirecting to a local spelling is refused at the redirect: zero connections."""
    redirector.location = url(host, counter.port).encode()
    first = f"http://127.0.0.1:{redirector.port}/start"
    with pytest.raises(IngestError, match=r"redirects to .*, a local or private address"):
        await fetch(first, allow=(Endpoint("127.0.0.1", redirector.port),))
    assert redirector.requests == 1
    assert counter.connections == 0


@pytest.mark.parametrize("host", ["１２７.0.0.1", "①②⑦.0.0.1", "0x7f000001", "[::ffff:7f00:1]", "localhost"])
async def test_a_redirect_is_refused_by_the_connect_time_guard_alone(
    counter: Counter, redirector: Redirector, no_early_check: None, host: str
) -> None:
    """Redirects go through the same socket factory: without the early check they are still refused."""
    redirector.location = url(host, counter.port).encode()
    with pytest.raises(IngestError, match="local or private address"):
        await fetch(f"http://127.0.0.1:{redirector.port}/", allow=(Endpoint("127.0.0.1", redirector.port),))
    assert redirector.requests == 1
    assert counter.connections == 0


async def test_an_allowance_is_for_its_port_only(counter: Counter, redirector: Redirector) -> None:
    """Allowing the redirector's endpoint does not open the same address on another port."""
    redirector.location = url("127.0.0.1", counter.port).encode()
    with pytest.raises(IngestError, match="local or private address"):
        await fetch(f"http://127.0.0.1:{redirector.port}/", allow=(Endpoint("127.0.0.1", redirector.port),))
    assert counter.connections == 0


@pytest.mark.parametrize("host", ["１２７.0.0.1", "127。0。0。1", "①②⑦.0.0.1", "𝟏𝟐𝟕.0.0.1", "[::1]"])
async def test_add_url_with_a_spelled_address_stores_nothing(counter: Counter, tmp_path, host: str) -> None:
    """Through the record's own add_url (no allowance is reachable from there): refused, nothing stored."""
    record = await Record.open(tmp_path / "store.sqlite3")
    try:
        with pytest.raises(IngestError, match="local or private address"):
            await record.add_url(url(host, counter.port), added_by="mod")
        assert await record.sessions() == []
    finally:
        await record.close()
    assert counter.connections == 0


def test_credentials_in_a_refused_url_are_not_echoed() -> None:
    """A refusal names the URL without the user name or password written into it."""
    with pytest.raises(IngestError) as caught:
        bot.ingest.fetch.check_url("http://admin:s3cret-token@127.0.0.1/")
    assert "s3cret-token" not in str(caught.value) and "127.0.0.1" in str(caught.value)
