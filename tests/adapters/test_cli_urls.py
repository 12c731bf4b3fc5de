"""`onrecord add URL`: a web page is fetched and stored like a file; fetch failures are one line."""

from __future__ import annotations

import asyncio
import html
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from aiohttp import web
from shared_data import SAMPLE

from adapters.cli import main


def article(text: str) -> str:
    """The sample news report as a web page: one <p> per paragraph inside an <article>."""
    paras = "".join(f"<p>{html.escape(' '.join(p.split()))}</p>" for p in text.split("\n\n") if p.strip())
    return (
        "<!doctype html><html><head><meta charset='utf-8'><title>Mayor's Question Time</title></head>"
        f"<body><nav><a href='/'>Home</a></nav><article>{paras}</article></body></html>"
    )


class Site:
    """A local web server and the paths it was asked for."""

    def __init__(self, base: str, hits: list[str]) -> None:
        self.base = base
        self.hits = hits


@pytest.fixture
async def site() -> AsyncIterator[Site]:
    hits: list[str] = []
    page = article(SAMPLE.read_text(encoding="utf-8"))

    @web.middleware
    async def count(request: web.Request, handler: web.RequestHandler) -> web.StreamResponse:
        hits.append(request.path)
        return await handler(request)

    async def report(_: web.Request) -> web.Response:
        return web.Response(text=page, content_type="text/html")

    async def image(_: web.Request) -> web.Response:
        return web.Response(body=b"\x89PNG\r\n\x1a\n", content_type="image/png")

    app = web.Application(middlewares=[count])
    app.router.add_get("/report", report)
    app.router.add_get("/image", image)
    runner = web.AppRunner(app)
    await runner.setup()
    tcp = web.TCPSite(runner, "127.0.0.1", 0)
    await tcp.start()
    try:
        yield Site(f"http://127.0.0.1:{runner.addresses[0][1]}", hits)
    finally:
        await runner.cleanup()


@pytest.fixture
def store(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """ONRECORD_DB in a tmp dir; the working directory has no .env."""
    for name in ("ONRECORD_MAX_SOURCE_MB", "ONRECORD_LOAD_SAMPLE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.chdir(tmp_path)
    db = tmp_path / "urls.sqlite3"
    monkeypatch.setenv("ONRECORD_DB", str(db))
    return db


async def run(*args: str) -> int:
    """The real command line, in a thread (it runs its own event loop) beside the test server."""
    return await asyncio.to_thread(main, list(args))


async def test_add_url_stores_the_page_and_answers_from_it(
    site: Site, store: Path, local_fetch: None, capsys: pytest.CaptureFixture[str]
) -> None:
    """`onrecord add http://…` fetches the page, prints the new id, and questions are answered from it."""
    assert await run("add", f"{site.base}/report", "--date", "2018-05-16") == 0
    out = capsys.readouterr()
    assert out.out.strip() == "1" and "added session 1" in out.err
    assert await run("sessions", "--json") == 0
    [stored] = json.loads(capsys.readouterr().out)
    assert stored["source_name"] == f"{site.base}/report" and stored["date"] == "2018-05-16"
    assert await run("ask", "what did Khan say on victim support", "--json") == 0
    answer = json.loads(capsys.readouterr().out)
    assert answer["speaker"] == "Sadiq Khan"
    assert any("£47m" in r["text"] for r in answer["results"])


@pytest.mark.parametrize(
    ("path", "message"),
    [("/missing", "returned HTTP 404"), ("/image", "is image/png, not a web page")],
)
async def test_add_url_failures_are_one_clear_line(
    site: Site, store: Path, local_fetch: None, capsys: pytest.CaptureFixture[str], path: str, message: str
) -> None:
    """A 404 or a non-page URL exits 1 with the fetch's sentence on stderr, and nothing is stored."""
    assert await run("add", f"{site.base}{path}") == 1
    err = capsys.readouterr().err
    assert message in err and err.startswith(f"onrecord: {site.base}{path}:")
    assert await run("sessions", "--json") == 0
    assert json.loads(capsys.readouterr().out) == []


async def test_add_url_refuses_a_local_address_by_default(
    site: Site, store: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without the test relaxation a loopback URL is refused before any request is made."""
    assert await run("add", f"{site.base}/report") == 1
    assert "local or private address" in capsys.readouterr().err
    assert site.hits == []
