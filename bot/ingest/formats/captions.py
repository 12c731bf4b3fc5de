"""Captions: WebVTT (with ``<v Speaker>`` voice tags) and SRT, keeping each cue's time.

With voice tags, consecutive cues of one voice form that speaker's turn. Without them the
cues are written one per line and read as a transcript (``>>`` changes of speaker,
``Name:`` labels); captions that name nobody become unattributed turns.
"""

from __future__ import annotations

import io
import re

import webvtt
from webvtt.errors import MalformedCaptionError, MalformedFileError

from bot.errors import IngestError
from bot.ingest.attribution.labels import parse_speaker
from bot.ingest.attribution.transcript import attribute_transcript, looks_like_transcript
from bot.ingest.formats.document import Document, TurnWriter

_VOICE_RE = re.compile(r"^<v(?:\.[^\s>]*)?\s+([^>]+)>")
_TAG_RE = re.compile(r"<[^>\n]*>")
SRT_TIMING_RE = re.compile(r"^\s*\d+\s*\r?\n\s*\d{1,2}:\d{2}:\d{2}[,.]\d{1,3}\s*-->", re.MULTILINE)


def _cues(text: str, fmt: str, source: str) -> list[tuple[float, list[str]]]:
    try:
        captions = webvtt.from_buffer(io.StringIO(text), format=fmt)
    except (MalformedFileError, MalformedCaptionError, ValueError) as exc:
        kind = "WebVTT" if fmt == "vtt" else "SRT"
        raise IngestError(f"{source} is not a valid {kind} caption file ({exc}).") from None
    out = [(c.start_time.in_milliseconds() / 1000, list(c.lines)) for c in captions.captions]
    if not out:
        kind = "WebVTT" if fmt == "vtt" else "SRT"
        raise IngestError(f"{source} has no readable caption cues; check that it is a valid {kind} file.")
    return out


def read_vtt(text: str, source: str) -> Document:
    """WebVTT captions into turns with times."""
    return _read(text, source, "vtt")


def read_srt(text: str, source: str) -> Document:
    """SRT captions into turns with times."""
    return _read(text, source, "srt")


def _read(text: str, source: str, fmt: str) -> Document:
    cues = _cues(text.replace("\r\n", "\n"), fmt, source)
    voiced = [(t, _voiced_lines(lines)) for t, lines in cues]
    if any(v for _, lines in voiced for v, _ in lines if v):
        return _by_voice(voiced)
    return _as_transcript(cues)


def _voiced_lines(lines: list[str]) -> list[tuple[str | None, str]]:
    out: list[tuple[str | None, str]] = []
    for line in lines:
        m = _VOICE_RE.match(line)
        out.append((m.group(1).strip() if m else None, " ".join(_TAG_RE.sub("", line).split())))
    return out


def _by_voice(cues: list[tuple[float, list[tuple[str | None, str]]]]) -> Document:
    writer = TurnWriter()
    voice: str | None = None
    pieces: list[str] = []
    times: list[float | None] = []

    def flush() -> None:
        speaker = parse_speaker(voice) if voice else None
        writer.turn(voice if speaker else None, pieces, speaker, seconds=times, joiner=" ")

    for seconds, lines in cues:
        for v, words in lines:
            if v is not None and v != voice:
                if pieces:
                    flush()
                voice, pieces, times = v, [], []
            if words:
                pieces.append(words)
                times.append(seconds)
    if pieces:
        flush()
    return writer.finish()


def _as_transcript(cues: list[tuple[float, list[str]]]) -> Document:
    parts: list[str] = []
    anchors: list[tuple[int, float]] = []
    pos = 0
    for seconds, lines in cues:
        words = " ".join(_TAG_RE.sub("", " ".join(lines)).split())
        if not words:
            continue
        anchors.append((pos, seconds))
        parts.append(words)
        pos += len(words) + 1
    text = "\n".join(parts)
    if not looks_like_transcript(text):
        text = ">> " + text  # nobody is named: one unattributed turn, split into paragraphs
        anchors = [(0, anchors[0][1])] + [(p + 3, s) for p, s in anchors] if anchors else []
    statements, people = attribute_transcript(text)
    return Document(text=text, statements=statements, people=people, times=anchors)
