"""The shape of real exports, against the bounds import puts on untrusted files.

One SQLite database grows (as in ``bench/progress_scale.py``: a profile, a plan, one session a
day) to 1, then 10 years of logs; at each size both export formats are written and measured:
file size, deepest JSON nesting, the zip's unpacked size and its members' highest compression
ratio. The **baseline** is each bound in ``retrowalk.services.bounds``: a real export must stay
well inside it (the script fails otherwise). It also times the nesting check on the JSON export.

Usage: ``python bench/import_bounds.py``
"""

from __future__ import annotations

import json
import sys
import tempfile
import time
import zipfile
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from progress_scale import daily_history, grow, start_history
from retrowalk.services.backup import export_to
from retrowalk.services.bounds import (
    IMPORT_MAX_BYTES,
    JSON_DEPTH_MAX,
    ZIP_MEMBERS_MAX,
    ZIP_RATIO_MAX,
    json_too_deep,
)

YEARS = (1, 10)


def depth(value: Any) -> int:
    if isinstance(value, dict):
        return 1 + max((depth(v) for v in value.values()), default=0)
    if isinstance(value, list):
        return 1 + max((depth(v) for v in value), default=0)
    return 0


def main() -> int:
    now = datetime.now(UTC)
    history = daily_history(max(YEARS), now)
    print(
        f"bounds: depth {JSON_DEPTH_MAX}, {IMPORT_MAX_BYTES / 2**20:.0f} MB, "
        f"{ZIP_MEMBERS_MAX} members, ratio {ZIP_RATIO_MAX}"
    )
    print(f"{'years':>5}{'json MB':>9}{'depth':>7}{'check ms':>10}{'zip MB':>8}"
          f"{'unpacked MB':>13}{'members':>9}{'max ratio':>11}")  # fmt: skip
    ok = True
    with tempfile.TemporaryDirectory(prefix="retrowalk-bounds-") as folder:
        db = start_history(f"sqlite:///{Path(folder) / 'history.sqlite3'}", history)
        for years, _stored in grow(db, history, now, YEARS):
            json_path, zip_path = Path(folder) / "e.json", Path(folder) / "e.zip"
            export_to(db, json_path, "json")
            export_to(db, zip_path, "csv")
            raw = json_path.read_bytes()
            began = time.perf_counter()
            too_deep = json_too_deep(raw)
            check_ms = (time.perf_counter() - began) * 1000
            deepest = depth(json.loads(raw))
            with zipfile.ZipFile(zip_path) as archive:
                infos = archive.infolist()
            unpacked = sum(i.file_size for i in infos)
            ratio = max(i.file_size / max(i.compress_size, 1) for i in infos)
            print(
                f"{years:>5}{len(raw) / 2**20:>9.2f}{deepest:>7}{check_ms:>10.1f}"
                f"{zip_path.stat().st_size / 2**20:>8.2f}{unpacked / 2**20:>13.2f}"
                f"{len(infos):>9}{ratio:>11.1f}"
            )
            ok &= not too_deep and deepest < JSON_DEPTH_MAX and len(raw) < IMPORT_MAX_BYTES
            ok &= unpacked < IMPORT_MAX_BYTES and ratio < ZIP_RATIO_MAX
        db.dispose()
    print("every export inside the bounds" if ok else "AN EXPORT IS OUTSIDE THE BOUNDS")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
