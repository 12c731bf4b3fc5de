"""``onrecord extract --json PATH...``: statements of each file, no database needed."""

from __future__ import annotations

import argparse
import json
import sys
from dataclasses import asdict
from pathlib import Path
from typing import Any

from bot.errors import OnrecordError
from bot.record import Record


def register(sub: Any) -> None:
    """Add the ``extract`` subcommand."""
    p = sub.add_parser("extract", help="print who said what in each file (no database)")
    p.add_argument("paths", nargs="+", type=Path, metavar="PATH")
    p.add_argument("--json", action="store_true", help="one JSON object per file (JSON Lines)")
    p.add_argument("--format", choices=Record.FORMATS, help="force a format instead of detecting it")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Extract each file in order; a bad file reports an error and the rest go on."""
    failed = 0
    for path in args.paths:
        try:
            result = Record.extract_file(path, format=args.format)
        except OnrecordError as exc:
            failed += 1
            print(f"onrecord: {path}: {exc}", file=sys.stderr)
            if args.json:
                print(json.dumps({"source": str(path), "error": str(exc), "statements": []}))
            continue
        for warning in result.warnings:
            print(f"onrecord: {path}: {warning}", file=sys.stderr)
        if args.json:
            statements = [
                {k: v for k, v in asdict(s).items() if v is not None or k in _CONTRACT}
                for s in result.statements
            ]
            print(json.dumps({"source": str(path), "statements": statements}, ensure_ascii=False))
        else:
            print(f"# {path} ({result.format}, {result.encoding}): {len(result.statements)} statements")
            for s in result.statements:
                who = s.speaker or "(unattributed)"
                flag = " [question]" if s.is_question else ""
                print(f"{who} [{s.kind}]{flag} {s.start}-{s.end}: {s.text}")
    return 1 if failed else 0


_CONTRACT = {"speaker", "text", "kind", "start", "end", "mention_start", "mention_end"}
