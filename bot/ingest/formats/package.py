"""The zip directory of a Word (.docx) package, checked before anything is inflated.

A .docx is a zip of XML parts, so before python-docx inflates anything the zip's own
directory is checked: how many parts, how large each would expand to, and by what ratio.
Python's zipfile never inflates a part past its declared size (a lie fails the CRC), so the
declared sizes are a real bound. Legitimate documents compress their XML about 5-20 to 1;
a repeated-paragraph bomb compresses 300 to 1 and more. This module imports no parser, so
the check runs in the bot's own process before a parse child is started.
"""

from __future__ import annotations

import io
import zipfile

from bot.errors import IngestError

MB = 1024 * 1024
MAX_PARTS = 2000
MAX_PART_BYTES = 64 * MB  # expanded size of any one part
MAX_TOTAL_BYTES = 160 * MB  # expanded size of all parts together
MAX_RATIO = 100  # expanded / compressed, for parts over RATIO_FLOOR
RATIO_FLOOR = 1 * MB
WHAT = "a Word (.docx) document"


def refused(source: str, why: str) -> IngestError:
    """The refusal of a .docx that cannot be read, saying why."""
    return IngestError(f"{source} could not be read as {WHAT} ({why}); nothing was stored.")


def check_expansion(data: bytes, source: str) -> None:
    """Refuse a zip whose parts would expand past the budget, from its directory alone."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as zf:
            parts = zf.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, ValueError, OSError, EOFError) as exc:
        raise refused(source, f"not a valid zip file: {exc}") from None
    if len(parts) > MAX_PARTS:
        raise refused(source, f"{len(parts):,} parts in the zip, over the limit of {MAX_PARTS:,}")
    total = 0
    for part in parts:
        total += part.file_size
        if part.file_size > MAX_PART_BYTES:
            raise IngestError(
                f"{source}: its part {part.filename} would expand to {part.file_size / MB:,.0f} MB, "
                f"over the {MAX_PART_BYTES // MB} MB a Word document part may hold (a zip bomb?); "
                "nothing was stored."
            )
        if part.file_size > RATIO_FLOOR and part.file_size > MAX_RATIO * max(part.compress_size, 1):
            ratio = part.file_size / max(part.compress_size, 1)
            raise IngestError(
                f"{source}: its part {part.filename} is compressed {ratio:,.0f} to 1, over the "
                f"{MAX_RATIO} to 1 a real document reaches (a zip bomb?); nothing was stored."
            )
    if total > MAX_TOTAL_BYTES:
        raise IngestError(
            f"{source} would expand to {total / MB:,.0f} MB, over the {MAX_TOTAL_BYTES // MB} MB "
            "a Word document may expand to (a zip bomb?); nothing was stored."
        )
