"""Where tests find their data: the sample session as the package ships it, and the shared corpus.

The sample is read from ``bot/data`` (what ``onrecord start`` loads), not from a copy, so
the tests exercise the file users get. Real records for other tests live in
``../shared/corpus`` (see its SOURCES.md).
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from bot.sample import SAMPLE_FILE

SAMPLE = Path(str(resources.files("bot.data").joinpath(SAMPLE_FILE)))
SHARED = Path(__file__).resolve().parents[1] / ".." / "shared"
CORPUS = SHARED / "corpus"
