"""Open a treadmill by address (bleak), by ``auto`` (scan, the only one found) or ``simulated``.

:class:`BluetoothThread` runs an asyncio loop in a background thread that owns the Bluetooth
client, so a synchronous player (the terminal) or a web server can call into it.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Coroutine
from dataclasses import dataclass
from typing import Any, Final, TypeVar

from retrowalk.treadmill.client import BleakLink, FtmsClient, ScanResult, TreadmillError, scan_bleak
from retrowalk.treadmill.simulator import (
    SIMULATED,
    SimulatedTreadmill,
    SimulatorConfig,
    scan_simulated,
    simulated_session,
)

__all__ = [
    "AUTO",
    "SIMULATED_FAULTS",
    "BluetoothThread",
    "OpenTreadmill",
    "open_treadmill",
    "scan",
    "simulator_config",
]

#: The address word that scans and picks the only treadmill found.
AUTO: Final = "auto"
_T = TypeVar("_T")


@dataclass
class OpenTreadmill:
    """A connected treadmill: its client, the simulator behind it (if simulated), its label."""

    client: FtmsClient
    simulator: SimulatedTreadmill | None
    label: str
    stack: contextlib.AsyncExitStack

    @property
    def simulated(self) -> bool:
        """Whether this is the simulated treadmill."""
        return self.simulator is not None

    async def close(self) -> None:
        """Disconnect (and stop the simulator)."""
        await self.stack.aclose()


def _bluetooth_error(exc: Exception) -> TreadmillError:
    return TreadmillError(
        f"Bluetooth is not available ({type(exc).__name__}: {exc}); use 'simulated' to try "
        "RetroWalk's simulated treadmill"
    )


#: Faults the simulated treadmill can show, for demos of the safety rules:
#: ``simulated:refuse-control,overspeed``.
SIMULATED_FAULTS: Final = ("refuse-control", "overspeed", "malformed", "no-speed-range")


def simulator_config(faults: str, *, time_scale: float = 1.0) -> SimulatorConfig:
    """The simulator's settings for a comma-separated fault list (see ``SIMULATED_FAULTS``)."""
    from retrowalk.errors import InvalidInputError

    chosen = {f.strip() for f in faults.split(",") if f.strip()}
    unknown = chosen - set(SIMULATED_FAULTS)
    if unknown:
        raise InvalidInputError(
            "treadmill address",
            f"simulated:{faults}",
            "simulated[:" + "|".join(SIMULATED_FAULTS) + ",...]",
        )
    return SimulatorConfig(
        time_scale=time_scale,
        refuse_control="refuse-control" in chosen,
        overspeed_m_s=0.2 if "overspeed" in chosen else 0.0,
        malformed_every=3 if "malformed" in chosen else 0,
        report_speed_range="no-speed-range" not in chosen,
    )


async def scan(simulated: bool = False, timeout_s: float = 5.0) -> list[ScanResult]:
    """Treadmills advertising FTMS nearby (or the simulated one)."""
    if simulated:
        from bumble.link import LocalLink

        link = LocalLink()  # type: ignore[no-untyped-call]
        treadmill = SimulatedTreadmill()
        await treadmill.start(link)
        try:
            return await scan_simulated(link, timeout_s=min(timeout_s, 2.0))
        finally:
            await treadmill.close()
    try:
        return await scan_bleak(timeout_s)
    except Exception as exc:  # bleak raises backend-specific errors (BlueZ, D-Bus, WinRT)
        raise _bluetooth_error(exc) from exc


async def open_treadmill(address: str, *, time_scale: float = 1.0) -> OpenTreadmill:
    """Connect to ``address`` (``"simulated"``, ``"auto"`` or a Bluetooth address) and set up
    the FTMS client (no control is requested yet).

    Raises
    ------
    TreadmillError
        When Bluetooth is unavailable, no or several treadmills are found for ``auto``, or the
        device is not a controllable FTMS treadmill.
    """
    stack = contextlib.AsyncExitStack()
    word, _, faults = address.strip().lower().partition(":")
    if word == SIMULATED:
        config = simulator_config(faults, time_scale=time_scale)
        simulator, client = await stack.enter_async_context(simulated_session(config))
        label = "simulated treadmill (no hardware)"
        if faults:
            label = f"simulated treadmill (no hardware; faults: {faults})"
        return OpenTreadmill(client, simulator, label, stack)
    if address.strip().lower() == AUTO:
        found = await scan()
        if len(found) != 1:
            names = ", ".join(f"{r.address} ({r.name or 'no name'})" for r in found) or "none"
            raise TreadmillError(
                f"--treadmill auto needs exactly one treadmill nearby; found: {names}. "
                "Give its address instead."
            )
        address = found[0].address
    try:
        link = BleakLink(address)
        await link.connect()
    except TreadmillError:
        raise
    except Exception as exc:
        raise _bluetooth_error(exc) from exc
    client = FtmsClient(link)
    stack.push_async_callback(client.close)
    try:
        await client.setup()
    except BaseException:
        await stack.aclose()
        raise
    return OpenTreadmill(client, None, f"treadmill {address}", stack)


class BluetoothThread:
    """An asyncio loop in a daemon thread; :meth:`call` runs a coroutine there and waits."""

    def __init__(self) -> None:
        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self.loop.run_forever, name="retrowalk-bluetooth", daemon=True
        )
        self._thread.start()

    def call(self, coro: Coroutine[Any, Any, _T], timeout_s: float = 30.0) -> _T:
        """Run ``coro`` on the Bluetooth loop and return its result."""
        future = asyncio.run_coroutine_threadsafe(coro, self.loop)
        try:
            return future.result(timeout_s)
        except TimeoutError:
            future.cancel()
            raise TreadmillError("the treadmill did not answer in time") from None

    def close(self) -> None:
        """Stop the loop and the thread."""
        if self.loop.is_running():
            self.loop.call_soon_threadsafe(self.loop.stop)
            self._thread.join(timeout=5.0)
        if not self.loop.is_running():
            self.loop.close()
