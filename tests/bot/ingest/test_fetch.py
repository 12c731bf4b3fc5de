"""Fetching URLs for ingest against a real local HTTP server (aiohttp), and the SSRF guard."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from aiohttp import web

from bot.errors import IngestError
from bot.ingest.detect import extract
from bot.ingest.fetch import Endpoint, check_url, fetch, is_public_address

LOCAL = (Endpoint("127.0.0.1"),)  # the test server; nothing outside tests builds one

PAGE = (
    "<!doctype html><html><head><title>Plenary</title></head><body><article>"
    "<p>Sadiq Khan: We have funded victim support.</p><p>Shaun Bailey: How many victims have you met?</p>"
    "<p>Sadiq Khan: Many.</p></article></body></html>"
)


@pytest.fixture
async def server() -> AsyncIterator[str]:
    async def page(_: web.Request) -> web.Response:
        return web.Response(text=PAGE, content_type="text/html")

    async def slow(_: web.Request) -> web.Response:
        await asyncio.sleep(2)
        return web.Response(text=PAGE, content_type="text/html")

    async def image(_: web.Request) -> web.Response:
        return web.Response(body=b"\x89PNG\r\n\x1a\n", content_type="image/png")

    async def big(_: web.Request) -> web.StreamResponse:
        resp = web.StreamResponse(headers={"Content-Type": "text/html"})
        await resp.prepare(_)
        for _i in range(64):
            await resp.write(b"<p>" + b"x" * 16380 + b"</p>")
        await resp.write_eof()
        return resp

    async def moved(_: web.Request) -> web.Response:
        raise web.HTTPFound("/page")

    app = web.Application()
    app.router.add_get("/page", page)
    app.router.add_get("/slow", slow)
    app.router.add_get("/image", image)
    app.router.add_get("/big", big)
    app.router.add_get("/moved", moved)
    runner = web.AppRunner(app)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    yield f"http://127.0.0.1:{port}"
    await runner.cleanup()


async def test_fetches_a_page_and_it_extracts(server: str) -> None:
    """A web page is fetched (redirects followed) and reads as the same turns as its text."""
    got = await fetch(f"{server}/moved", allow=LOCAL)
    assert got.url.endswith("/page") and got.format == "html" and got.content_type == "text/html"
    result = extract(got.data, got.url, format=got.format)
    assert [s.speaker for s in result.statements] == ["Sadiq Khan", "Shaun Bailey", "Sadiq Khan"]


@pytest.mark.parametrize(
    ("path", "kwargs", "message"),
    [
        ("/missing", {}, "returned HTTP 404"),
        ("/image", {}, "is image/png, not a web page"),
        ("/slow", {"timeout_s": 0.3}, "did not answer within 0.3 seconds"),
        ("/big", {"max_bytes": 256 * 1024}, "over the 0.25 MB limit"),
    ],
)
async def test_fetch_failures_are_clear(server: str, path: str, kwargs: dict, message: str) -> None:
    """404, a non-HTML type, a timeout and an oversize body each give a message naming the problem."""
    with pytest.raises(IngestError, match=message):
        await fetch(f"{server}{path}", allow=LOCAL, **kwargs)


async def test_loopback_refused_by_default(server: str) -> None:
    """Without the test-only switch, the local server is out of reach: by IP and by name."""
    with pytest.raises(IngestError, match="local or private address"):
        await fetch(f"{server}/page")
    port = server.rsplit(":", 1)[1]
    with pytest.raises(IngestError, match="local or private address"):
        await fetch(f"http://localhost:{port}/page")


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://example.org/x",
        "gopher://example.org/",
        "javascript:alert(1)",
        "example.org/x",
    ],
)
def test_only_http_schemes(url: str) -> None:
    """Schemes other than http/https are refused before any connection."""
    with pytest.raises(IngestError, match="Only http and https"):
        check_url(url)


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/",
        "http://10.0.0.5/admin",
        "http://192.168.1.1/",
        "http://172.16.0.1/",
        "http://169.254.169.254/latest/meta-data/",
        "http://[::1]/",
        "http://[::ffff:127.0.0.1]/",
        "http://0.0.0.0/",
        "http://localhost/",
        "http://printer.local/",
    ],
)
def test_private_addresses_refused(url: str) -> None:
    """Loopback, private, link-local (cloud metadata) and mapped addresses are refused."""
    with pytest.raises(IngestError, match="local or private"):
        check_url(url)


@pytest.mark.parametrize(
    ("address", "public"),
    [
        ("93.184.216.34", True),
        ("2606:4700::1111", True),
        ("100.64.0.1", False),
        ("224.0.0.1", False),
        ("fe80::1", False),
    ],
)
def test_is_public_address(address: str, public: bool) -> None:
    """Only globally routable unicast addresses count as public."""
    assert is_public_address(address) is public


async def test_add_url_refuses_loopback_and_stores_nothing(server: str, tmp_path) -> None:
    """A chat command's URL to the bot's own host is refused; the store stays empty."""
    from bot.record import Record

    record = await Record.open(tmp_path / "store.sqlite3")
    try:
        with pytest.raises(IngestError, match="local or private"):
            await record.add_url(f"{server}/page", added_by="mod")
        assert await record.sessions() == []
    finally:
        await record.close()
