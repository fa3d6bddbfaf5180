"""Size and shape bounds on untrusted documents, checked before they are parsed or unpacked.

A JSON document nested 100,000 levels deep exhausts the parser's recursion (a server error,
a traceback); a 1 MB zip can unpack to gigabytes. Every JSON body of the API and every import
file is checked here first (the limits are justified in ``docs/evidence.md``).
"""

from __future__ import annotations

import json
import re
import zipfile
from typing import Any, Final

from retrowalk.errors import InvalidInputError

#: Deepest JSON nesting accepted. RetroWalk's own exports nest 11 levels (bench/import_bounds.py);
#: 64 leaves room and stays far below the recursion limit of Python's JSON parser (about 1,000).
JSON_DEPTH_MAX: Final = 64
#: Largest import file, and largest unpacked content of a zip export (10 years of daily sessions
#: export to 21 MB of JSON, or 15 MB of CSV unpacked: bench/import_bounds.py).
IMPORT_MAX_BYTES: Final = 50 * 1024 * 1024
#: Largest watch or health file accepted through the web page (an Apple Health export of
#: several years reaches gigabytes; it is spooled to disk and read as a stream).
ACTIVITY_UPLOAD_MAX_BYTES: Final = 4 * 1024**3
#: Largest motion recording file accepted through the log's page: a sensor-logging app's CSV
#: row is about 70 characters, so one sensor at 100 Hz takes about 4 MB per 10 minutes and
#: 100 MB holds over 2 hours of accelerometer and gyroscope (longer: ``retrowalk log attach``).
RECORDING_UPLOAD_MAX_BYTES: Final = 100 * 1024 * 1024
#: Most members in a zip export: a manifest and one CSV per table (12 members today).
ZIP_MEMBERS_MAX: Final = 64
#: Highest compression ratio accepted for a zip member. RetroWalk's CSV exports compress at most
#: 37 times (10 years of daily sessions, bench/import_bounds.py); a zip bomb compresses about
#: 1,000 times (deflate's limit is 1,032).
ZIP_RATIO_MAX: Final = 200

#: A JSON string (with escapes), in linear time (no nested quantifier to backtrack on).
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"', re.DOTALL)
_NOT_BRACKETS = bytes(b for b in range(256) if b not in b"[]{}")


def json_too_deep(raw: bytes | str, max_depth: int = JSON_DEPTH_MAX) -> bool:
    """Whether the JSON text ``raw`` nests arrays and objects deeper than ``max_depth``.

    Linear in the size (a fixed number of passes in C): strings are dropped, then the innermost
    ``[]`` and ``{}`` pairs are removed, one level per pass. Text that is not balanced JSON is
    left for the parser to refuse.
    """
    if isinstance(raw, str):
        raw = raw.encode("utf-8", "surrogatepass")
    if raw.count(b"[") + raw.count(b"{") <= max_depth:  # most request bodies: nothing to do
        return False
    brackets = _JSON_STRING.sub(b"", raw).translate(None, _NOT_BRACKETS)
    for _ in range(max_depth):
        shorter = brackets.replace(b"[]", b"").replace(b"{}", b"")
        if not shorter or shorter == brackets:  # done, or unbalanced (the parser says so)
            return False
        brackets = shorter
    return True


def loads_bounded(raw: bytes | str, field: str, max_depth: int = JSON_DEPTH_MAX) -> Any:
    """Parse JSON text after checking its nesting.

    Raises
    ------
    retrowalk.errors.InvalidInputError
        Naming ``field`` when the text nests deeper than ``max_depth`` levels.
    ValueError
        (``json.JSONDecodeError`` or ``UnicodeDecodeError``) when it is not JSON.
    """
    if json_too_deep(raw, max_depth):
        raise InvalidInputError(
            field, "deeply nested JSON", f"JSON nested at most {max_depth} levels deep"
        )
    return json.loads(raw.decode("utf-8") if isinstance(raw, bytes) else raw)


def check_zip(archive: zipfile.ZipFile, field: str) -> None:
    """Refuse a zip whose listing promises too much: too many members, too much unpacked, or a
    member compressed more than a real export is (what a zip bomb does).

    The listing can lie: :func:`read_zip_member` also counts what is actually unpacked.
    """
    members = archive.infolist()
    if len(members) > ZIP_MEMBERS_MAX:
        raise InvalidInputError(field, f"{len(members)} files", _zip_accepted())
    total = 0
    for info in members:
        total += info.file_size
        ratio = info.file_size / max(info.compress_size, 1)
        if total > IMPORT_MAX_BYTES or ratio > ZIP_RATIO_MAX:
            raise InvalidInputError(field, f"{info.filename} unpacks too large", _zip_accepted())


def read_zip_member(archive: zipfile.ZipFile, name: str, field: str, budget: list[int]) -> bytes:
    """One member's bytes, reading at most what is left of ``budget[0]`` (shared by the
    members of one archive and reduced by what this one held).

    Raises
    ------
    KeyError
        If there is no such member.
    retrowalk.errors.InvalidInputError
        If the archive unpacks to more than the budget (whatever its listing says).
    """
    with archive.open(name) as member:
        data = member.read(budget[0] + 1)
    if len(data) > budget[0]:
        raise InvalidInputError(field, f"{name} unpacks too large", _zip_accepted())
    budget[0] -= len(data)
    return data


def _zip_accepted() -> str:
    return (
        f"a zip export of at most {ZIP_MEMBERS_MAX} files and {IMPORT_MAX_BYTES // 2**20} MB "
        f"unpacked, each compressed at most {ZIP_RATIO_MAX} times"
    )
