"""Import at scale: a synthetic Apple Health export of 1 GB and 1,000 FIT files.

For each, the script prints the import's wall time and its peak memory (max RSS of a fresh
child process doing only that import into a new SQLite database), next to the baseline: the time
to just read the same bytes (the zip member streamed, or the FIT files read whole) in a fresh
child process. Targets (issue 18): memory bounded, under 500 MB, whatever the file size; throughput
printed against the read-only time.

    .venv/bin/python bench/import_scale.py                       # 1 GB export, 1,000 FIT files
    .venv/bin/python bench/import_scale.py --apple-mb 100 --fit-files 100   # a quick run

The FIT files are written by a minimal encoder here (FIT protocol 2.0: header, definition and
data messages, CRC-16) because ``fit-tool`` takes about 2 s per file; ``fitdecode`` reads them and
checks their CRC like any device's file. The export holds heart-rate records (the bulk of a
real export) and, at the end, one walking workout with five laps per day.
"""

from __future__ import annotations

import argparse
import json
import resource
import struct
import subprocess
import sys
import tempfile
import time
import zipfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

MEMORY_TARGET_MB = 500
FIT_EPOCH = datetime(1989, 12, 31, tzinfo=UTC)
START = datetime(2020, 1, 1, 8, 0, tzinfo=UTC)


# -- a minimal FIT activity writer ------------------------------------------------------------


def _fit_time(at: datetime) -> int:
    return int((at - FIT_EPOCH).total_seconds())


def _definition(local: int, global_number: int, fields: list[tuple[int, int, int]]) -> bytes:
    head = struct.pack("<BBBHB", 0x40 | local, 0, 0, global_number, len(fields))
    return head + b"".join(struct.pack("<BBB", *field) for field in fields)


def fit_walk(start: datetime, laps: list[tuple[int, float]]) -> bytes:
    """A FIT activity: a record every second, a lap message per (seconds, speed) lap."""
    from fitdecode.utils import compute_crc

    u8, u16, u32, enum = 0x02, 0x84, 0x86, 0x00
    body = bytearray()
    body += _definition(0, 0, [(0, 1, enum), (1, 2, u16), (4, 4, u32)])
    body += struct.pack("<BBHI", 0, 4, 255, _fit_time(start))
    body += _definition(1, 20, [(253, 4, u32), (5, 4, u32), (6, 2, u16), (3, 1, u8), (2, 2, u16)])
    record = struct.Struct("<BIIHBH")
    at, distance = start, 0.0
    spans = []
    for seconds, speed in laps:
        lap_start = at
        for second in range(seconds):
            stamp = _fit_time(at + timedelta(seconds=second))
            body += record.pack(1, stamp, round(distance * 100), round(speed * 1000), 100, 2500)
            distance += speed
        at += timedelta(seconds=seconds)
        spans.append((lap_start, at, seconds, speed))
    body += _definition(2, 19, [(253, 4, u32), (2, 4, u32), (7, 4, u32), (8, 4, u32), (9, 4, u32),
                                (13, 2, u16)])  # fmt: skip
    for lap_start, lap_end, seconds, speed in spans:
        body += struct.pack("<BIIIIIH", 2, _fit_time(lap_end), _fit_time(lap_start),
                            seconds * 1000, seconds * 1000, round(seconds * speed * 100),
                            round(speed * 1000))  # fmt: skip
    total = sum(seconds for seconds, _ in laps)
    body += _definition(3, 18, [(253, 4, u32), (2, 4, u32), (7, 4, u32), (8, 4, u32), (5, 1, enum),
                                (6, 1, enum)])  # fmt: skip
    body += struct.pack("<BIIIIBB", 3, _fit_time(at), _fit_time(start), total * 1000,
                        total * 1000, 11, 0)  # fmt: skip
    header = struct.pack("<BBHI4s", 14, 0x20, 2132, len(body), b".FIT")
    header += struct.pack("<H", compute_crc(header))
    data = header + bytes(body)
    return data + struct.pack("<H", compute_crc(data))


# -- a synthetic Apple Health export ----------------------------------------------------------


def write_apple_export(path: Path, size_bytes: int) -> int:
    """Write ``export.zip`` with an ``export.xml`` of about ``size_bytes``; return the number of
    walking workouts in it."""
    from tests.activities.builders import APPLE_HEADER, RECORD, LapSpec, apple_workout

    record = RECORD.format(t="2020-01-01 08:00:00 +0000", v=72).encode()
    block = record * 1000
    workouts = max(1, size_bytes // 5_000_000)
    laps = [LapSpec(300, 1.2), LapSpec(60, 0.6), LapSpec(60, 1.2), LapSpec(60, 0.6),
            LapSpec(300, 1.2)]  # fmt: skip
    member = "apple_health_export/export.xml"
    with (
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as archive,
        archive.open(member, "w", force_zip64=True) as out,
    ):
        out.write(APPLE_HEADER.encode())
        written = 0
        while written < size_bytes:
            out.write(block)
            written += len(block)
        for day in range(workouts):
            out.write(apple_workout(START + timedelta(days=day), laps).encode() + b"\n")
        out.write(b"</HealthData>\n")
    return workouts


# -- measured in a fresh child process --------------------------------------------------------


def child(kind: str, target: Path) -> None:
    from retrowalk.services.activities import import_file
    from retrowalk.services.database import open_database

    # After the imports: the same start-up for every kind, left out of time and CPU.
    started = time.perf_counter()
    cpu_before = time.process_time()
    if kind == "read-zip":
        with (
            zipfile.ZipFile(target) as archive,
            archive.open("apple_health_export/export.xml") as stream,
        ):
            while stream.read(1 << 20):
                pass
        count = 1
    elif kind == "read-files":
        files = sorted(target.glob("*.fit"))
        for file in files:
            file.read_bytes()
        count = len(files)
    else:
        db = open_database(f"sqlite:///{target.parent / f'{kind}.sqlite3'}")
        paths = [target] if kind == "import-zip" else sorted(target.glob("*.fit"))
        count = 0
        for path in paths:
            with db.transaction() as session:
                count += sum(1 for r in import_file(session, path) if r.log is not None)
        db.dispose()
    seconds = time.perf_counter() - started
    usage = resource.getrusage(resource.RUSAGE_SELF)
    peak_mb = usage.ru_maxrss / 1024
    cpu_s = time.process_time() - cpu_before
    print(json.dumps({"seconds": seconds, "cpu_s": cpu_s, "peak_mb": peak_mb, "count": count}))


def measure(kind: str, target: Path) -> dict[str, float]:
    out = subprocess.run(
        [sys.executable, __file__, "--child", kind, str(target)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    result: dict[str, float] = json.loads(out.strip().splitlines()[-1])
    return result


def report(
    what: str, run: dict[str, float], rate: str = "", baseline: dict[str, float] | None = None
) -> None:
    """One line: wall and CPU time, rate, ratio to the read-only baseline, peak memory."""
    parts = [f"{run['seconds']:.2f} s wall", f"{run['cpu_s']:.2f} s CPU"]
    if rate:
        parts.append(rate)
    if baseline is not None:
        parts.append(f"{run['cpu_s'] / max(baseline['cpu_s'], 1e-3):.0f}x the read's CPU")
    print(f"  {what}: {', '.join(parts)}; peak {run['peak_mb']:.0f} MB; {run['count']:.0f} done")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--apple-mb", type=int, default=1024, help="export.xml size, MB")
    parser.add_argument("--fit-files", type=int, default=1000, help="number of FIT files")
    parser.add_argument("--child", nargs=2, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child[0], Path(args.child[1]))
        return 0
    failed = False
    with tempfile.TemporaryDirectory(prefix="retrowalk-bench-") as folder:
        root = Path(folder)
        export = root / "export.zip"
        t = time.perf_counter()
        workouts = write_apple_export(export, args.apple_mb * 1024 * 1024)
        zipped_mb = export.stat().st_size / 2**20
        print(
            f"Apple Health export: {args.apple_mb} MB of XML ({zipped_mb:.0f} MB zipped), "
            f"{workouts} walking workouts; written in {time.perf_counter() - t:.0f} s"
        )
        read = measure("read-zip", export)
        done = measure("import-zip", export)
        report("just reading the XML", read)
        report("import", done, f"{args.apple_mb / done['seconds']:.0f} MB/s", read)
        failed |= done["peak_mb"] > MEMORY_TARGET_MB
        export.unlink()

        fits = root / "fit"
        fits.mkdir()
        t = time.perf_counter()
        laps = [(300, 1.2), (60, 0.6), (60, 1.2), (60, 0.6), (120, 1.2)]
        for index in range(args.fit_files):
            data = fit_walk(START + timedelta(days=index), laps)
            (fits / f"walk-{index:04d}.fit").write_bytes(data)
        size_mb = sum(f.stat().st_size for f in fits.glob("*.fit")) / 2**20
        print(
            f"{args.fit_files} FIT files of {sum(s for s, _ in laps)} s at 1 Hz "
            f"({size_mb:.1f} MB); written in {time.perf_counter() - t:.0f} s"
        )
        read = measure("read-files", fits)
        done = measure("import-files", fits)
        report("just reading the files", read)
        report("import", done, f"{args.fit_files / done['seconds']:.1f} files/s", read)
        failed |= done["peak_mb"] > MEMORY_TARGET_MB
    print(f"Memory target: under {MEMORY_TARGET_MB} MB: {'missed' if failed else 'met'}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
