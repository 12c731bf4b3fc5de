"""Parse an untrusted container (DOCX, HTML, PDF) in a child process, within a time and memory budget.

A 0.7 MB DOCX can inflate to gigabytes of XML, and a 50 MB web page kept trafilatura busy
for minutes: neither can be stopped from inside the parser, which runs in C or in long
library loops. So the parse runs in a child forked from a small server process that has
the parsers imported already (a few tens of milliseconds a parse): the child's data
segment is capped (``RLIMIT_DATA``; past it allocation fails and the parser stops), and the
child is killed when the time budget runs out. Either way the moderator gets one sentence
and nothing is stored. The bot's own process never holds the parser's working memory.
"""

from __future__ import annotations

import importlib
import multiprocessing
import resource
from multiprocessing.connection import Connection
from typing import Any

from bot.errors import IngestError
from bot.ingest.formats.document import Document

MB = 1024 * 1024
PARSE_SECONDS = 30.0
PARSE_MEMORY = 768 * MB
_context: Any = None


def _start_context(module: str) -> Any:
    """The multiprocessing context, its fork server preloading the first parser asked for.

    Only that one: importing all three parsers takes seconds on a busy machine, and a
    command-line add reads one format. Children for another format import their parser
    themselves.
    """
    global _context
    if _context is None:
        methods = multiprocessing.get_all_start_methods()
        ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        if ctx.get_start_method() == "forkserver":
            # Not the default ['__main__']: the server must not import the caller's script.
            ctx.set_forkserver_preload([f"bot.ingest.formats.{module}"])
        _context = ctx
    return _context


def _child(conn: Connection, module: str, function: str, payload: Any, source: str, memory: int) -> None:
    """Runs in the child: cap memory, parse, send back ("ok", Document) or why not."""
    try:
        resource.setrlimit(resource.RLIMIT_DATA, (memory, memory))
        read = getattr(importlib.import_module(f"bot.ingest.formats.{module}"), function)
        try:
            doc = read(payload, source)
        finally:
            # Some libraries catch MemoryError themselves and return nothing or a wrong
            # error; a child that reached its cap reports the cap, whatever it returned.
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
            if peak >= 0.9 * memory:
                raise MemoryError
        conn.send(("ok", doc))
    except IngestError as exc:
        conn.send(("refused", str(exc)))
    except MemoryError:
        conn.send(("memory", None))
    except RecursionError:
        conn.send(("deep", None))
    except Exception as exc:  # a parser bug on hostile input: name it, never echo its text
        conn.send(("failed", type(exc).__name__))
    finally:
        conn.close()


def read_bounded(
    module: str,
    function: str,
    payload: bytes | str,
    source: str,
    what: str,
    *,
    seconds: float = PARSE_SECONDS,
    memory: int = PARSE_MEMORY,
) -> Document:
    """``bot.ingest.formats.<module>.<function>(payload, source)`` in a child, within the budget.

    ``seconds`` and ``memory`` are the budget; ``what`` names the format in the refusal
    ("a Word (.docx) document").
    """
    ctx = _start_context(module)
    receive, send = ctx.Pipe(duplex=False)
    proc = ctx.Process(
        target=_child, args=(send, module, function, payload, source, memory), daemon=True
    )
    proc.start()
    send.close()
    try:
        if not receive.poll(seconds):
            raise IngestError(
                f"{source} took longer than {seconds:g} seconds to read as {what}, so it was stopped; "
                "nothing was stored. If it is a genuine record, split it into smaller files."
            )
        try:
            kind, value = receive.recv()
        except (EOFError, OSError):
            kind, value = "memory", None  # killed before it could answer: the kernel's OOM killer
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()
        receive.close()
    if kind == "ok" and isinstance(value, Document):
        return value
    if kind == "refused":
        raise IngestError(str(value))
    if kind == "memory":
        raise IngestError(
            f"{source} needs more than {memory // MB} MB of memory to read as {what} (a decompression "
            "or parse bomb?); nothing was stored."
        )
    if kind == "deep":
        raise IngestError(f"{source} is nested too deeply to read as {what}; nothing was stored.")
    raise IngestError(
        f"{source} could not be read as {what} (the parser failed: {value}); nothing was stored."
    )
