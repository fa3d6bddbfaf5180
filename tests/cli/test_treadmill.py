"""``retrowalk treadmill ...`` and ``retrowalk session start --treadmill`` on the simulated
treadmill (bumble, in process) and without a Bluetooth adapter."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import select

from retrowalk.cli.app import expand_bare_treadmill, run
from retrowalk.plans.rules import TREADMILL_CONSERVATIVE_MAX_M_S
from retrowalk.services.database import Database, open_database
from retrowalk.store import models
from tests.services.helpers import store_profile

#: Session seconds per real second: the simulated belt runs on the same scale.
PLAY = ["--non-interactive", "--no-voice", "--time-scale", "20", "--treadmill", "simulated"]


@pytest.fixture
def db() -> Iterator[Database]:
    database = open_database()
    with database.transaction() as session:
        store_profile(session)
    yield database
    database.dispose()


def test_guided_session_drives_the_simulated_treadmill(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["session", "start", "--quick", "20s fwd, 20s back", "--units", "mph", *PLAY]) == 0
    out = capsys.readouterr().out
    assert "Connected to the simulated treadmill (no hardware)." in out
    assert "treadmill: Belt starting at 0.5 mph." in out
    assert "treadmill: segment 1 target 1 mph (cap 1 mph)" in out
    assert "Session over: the belt is stopping." in out
    assert "Energy:" in out
    with db.factory() as session:
        (row,) = session.scalars(select(models.SessionLog)).all()
        speeds = [s.speed_m_s for s in sorted(row.segments, key=lambda s: s.position)]
    assert row.status == "completed"
    # The log holds what the belt ran: the ramp from standstill in the first segment, then the
    # planned 1 mph as the simulated machine sets it (1.6 km/h: its 0.1 km/h steps, rounded down).
    assert speeds[0] is not None
    assert speeds[0] < 1.6 / 3.6 - 0.01
    assert speeds[1] == pytest.approx(1.6 / 3.6, abs=0.01)
    assert all(s is not None and s <= TREADMILL_CONSERVATIVE_MAX_M_S for s in speeds)


def test_scan_status_and_test_on_the_simulator(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["treadmill", "scan", "--simulated"]) == 0
    assert "Sim treadmill (simulated)" in capsys.readouterr().out
    assert run(["treadmill", "status", "--simulated", "--units", "km/h"]) == 0
    out = capsys.readouterr().out
    assert "simulated treadmill (no hardware)" in out
    assert "0.8 km/h (0.22 m/s) to 16 km/h (4.44 m/s)" in out
    assert run(["treadmill", "test", "--simulated", "--yes", "--seconds", "2"]) == 0
    out = capsys.readouterr().out
    assert "Control granted." in out
    assert "Treadmill test passed." in out


def test_no_bluetooth_adapter_is_one_clear_line(capsys: pytest.CaptureFixture[str]) -> None:
    # This machine has no Bluetooth adapter (nor BlueZ): bleak fails, RetroWalk says so.
    assert run(["treadmill", "scan", "--timeout", "1"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: Bluetooth is not available")
    assert "'simulated'" in err
    assert len(err.strip().splitlines()) == 1


def test_simulated_takes_no_address(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["treadmill", "status", "AA:BB:CC:DD:EE:FF", "--simulated"]) == 2
    assert "--simulated" in capsys.readouterr().err


def test_bare_treadmill_option_means_auto(capsys: pytest.CaptureFixture[str]) -> None:
    assert expand_bare_treadmill(["session", "start", "--treadmill"]) == [
        "session",
        "start",
        "--treadmill",
        "auto",
    ]
    assert expand_bare_treadmill(["--treadmill", "--quick", "1m back"])[:2] == [
        "--treadmill",
        "auto",
    ]
    assert expand_bare_treadmill(["--treadmill", "simulated"]) == ["--treadmill", "simulated"]
    # 'auto' scans: without Bluetooth that is one clear line, and no session is started.
    assert run(["session", "start", "--quick", "1m back", "--treadmill"]) == 2
    assert capsys.readouterr().err.startswith("error: Bluetooth is not available")


def test_treadmill_refusing_control_leaves_no_session_open(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["session", "start", "--quick", "1m back", *PLAY[:-1], "simulated:refuse-control"]
    assert run(args) == 2
    err = capsys.readouterr().err
    assert err.startswith("error: the treadmill refused control")
    assert "control not permitted" in err
    with db.factory() as session:
        (row,) = session.scalars(select(models.SessionLog)).all()
    assert row.status == "abandoned"


def test_overspeed_stops_the_session_when_nobody_can_resume(
    db: Database, capsys: pytest.CaptureFixture[str]
) -> None:
    args = [
        "session",
        "start",
        "--quick",
        "1m back",
        "--units",
        "mph",
        *PLAY[:-1],
        "simulated:overspeed",
    ]
    assert run(args) == 0
    out = " ".join(capsys.readouterr().out.split())  # the console wraps long lines
    assert "faster than your limit of 1 mph. Stopping the belt." in out
    with db.factory() as session:
        (row,) = session.scalars(select(models.SessionLog)).all()
    assert row.status == "stopped"
    assert "treadmill: overspeed" in row.notes


def test_unknown_simulated_fault_is_named(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["treadmill", "status", "simulated:smoke"]) == 2
    assert "refuse-control" in capsys.readouterr().err
