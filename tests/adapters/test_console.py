"""The interactive console: first run loads the sample; questions and commands answer."""

from __future__ import annotations

import io
from pathlib import Path

from adapters.cli.console import run_console
from bot.settings import Settings


async def test_first_run_loads_sample_and_answers(tmp_path: Path) -> None:
    """On an empty store the console loads the sample and answers a question from it."""
    settings = Settings(_env_file=None, onrecord_db=tmp_path / "data" / "c.sqlite3")
    out = io.StringIO()
    lines = "help\nwhat did Khan say on victim support\nsessions\nspeakers\nquit\nnever read\n"
    code = await run_console(settings, io.StringIO(lines), out)
    text = out.getvalue()
    assert code == 0
    assert "Loaded the sample session" in text
    assert "£47m" in text and "Sadiq Khan" in text
    assert "Mayor's Question Time" in text  # sessions
    assert "Umnesh Desai" in text  # speakers
    assert "Commands:" in text  # help


async def test_second_run_does_not_reload_and_eof_ends(tmp_path: Path) -> None:
    """The sample is loaded once; end of input ends the console cleanly."""
    settings = Settings(_env_file=None, onrecord_db=tmp_path / "c.sqlite3")
    assert await run_console(settings, io.StringIO(""), io.StringIO()) == 0
    out = io.StringIO()
    assert await run_console(settings, io.StringIO('victim" OR *\n'), out) == 0
    assert "Loaded the sample" not in out.getvalue()
    assert "(1 session)" in out.getvalue()


async def test_sample_loading_can_be_turned_off(tmp_path: Path) -> None:
    """ONRECORD_LOAD_SAMPLE=false leaves an empty store empty and says so when asked."""
    settings = Settings(_env_file=None, onrecord_db=tmp_path / "c.sqlite3", onrecord_load_sample=False)
    out = io.StringIO()
    await run_console(settings, io.StringIO("what did Khan say\n"), out)
    assert "(0 sessions)" in out.getvalue() and "empty" in out.getvalue()
