"""An FTMS treadmill client over a small GATT interface, with two transports.

:class:`FtmsClient` knows the Fitness Machine Service (through :mod:`retrowalk.treadmill.ftms`)
and nothing of Bluetooth stacks. It talks to a :class:`GattLink`:

- :class:`BleakLink` - real treadmills through ``bleak`` (BlueZ on Linux, CoreBluetooth on macOS,
  WinRT on Windows);
- :class:`BumbleLink` - a ``bumble`` host connected over a virtual link to the simulated treadmill
  of :mod:`retrowalk.treadmill.simulator` (real GATT discovery, notifications, indications and
  writes with response on a full Bluetooth LE stack, in one process).

Both libraries are imported inside the functions that need them (the CLI must start fast).
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Final, Protocol

from retrowalk.errors import RetroWalkError
from retrowalk.treadmill import ftms
from retrowalk.treadmill.ftms import (
    ControlResponse,
    MachineStatus,
    OpCode,
    SpeedRange,
    StopKind,
    TreadmillData,
)

__all__ = [
    "CONTROL_TIMEOUT_S",
    "BleakLink",
    "BumbleLink",
    "ControlError",
    "FtmsClient",
    "GattLink",
    "LinkEvent",
    "ScanResult",
    "TreadmillError",
    "scan_bleak",
]

#: How long a Control Point procedure may take before it is treated as failed: the ATT
#: transaction timeout is 30 s (Core Specification Vol 3 Part F §3.3.3), far too long to leave a
#: belt running on an unanswered stop; a treadmill answers in well under a second. Design choice.
CONTROL_TIMEOUT_S: Final = 3.0


class TreadmillError(RetroWalkError):
    """The treadmill cannot be used (not found, no FTMS service, not connected)."""


class ControlError(TreadmillError):
    """A Control Point command was refused, failed or went unanswered.

    Attributes
    ----------
    request
        The op code sent.
    response
        The machine's response, or ``None`` when none came in time.
    """

    def __init__(self, request: OpCode, response: ControlResponse | None) -> None:
        self.request = request
        self.response = response
        what = "no response" if response is None else response.words
        super().__init__(f"treadmill refused {request.name.lower().replace('_', ' ')}: {what}")


@dataclass(frozen=True, slots=True)
class ScanResult:
    """A treadmill seen while scanning."""

    address: str
    name: str | None
    rssi: int | None


@dataclass(frozen=True, slots=True)
class LinkEvent:
    """Something the machine told us, in arrival order: a status or the link going down."""

    status: MachineStatus | None = None
    disconnected: bool = False


class GattLink(Protocol):
    """The few GATT operations the FTMS client needs, by 16-bit characteristic UUID."""

    @property
    def connected(self) -> bool:
        """Whether the link is up."""
        ...

    def has(self, uuid16: int) -> bool:
        """Whether the peer has the characteristic (after discovery)."""
        ...

    async def read(self, uuid16: int) -> bytes:
        """Read a characteristic value."""
        ...

    async def write(self, uuid16: int, data: bytes) -> None:
        """Write a characteristic value with response."""
        ...

    async def subscribe(self, uuid16: int, callback: Callable[[bytes], None]) -> None:
        """Enable notifications or indications (whichever the characteristic offers)."""
        ...

    def on_disconnect(self, callback: Callable[[], None]) -> None:
        """Call ``callback`` (once) when the link goes down."""
        ...

    async def disconnect(self) -> None:
        """Close the link."""
        ...


class FtmsClient:
    """A treadmill over FTMS: its data, its speed range and its Control Point.

    Call :meth:`setup` once after connecting. Treadmill Data notifications update
    :attr:`latest`; statuses and the link going down are queued in :attr:`events`.
    """

    def __init__(self, link: GattLink, *, control_timeout_s: float = CONTROL_TIMEOUT_S) -> None:
        self.link = link
        self.control_timeout_s = control_timeout_s
        self.speed_range: SpeedRange | None = None
        self.features: tuple[ftms.MachineFeatures, ftms.TargetFeatures] | None = None
        self.latest: TreadmillData | None = None
        self.data_count = 0
        self.odd_packets = 0
        self.last_problems: tuple[str, ...] = ()
        self.events: asyncio.Queue[LinkEvent] = asyncio.Queue()
        self._pending: asyncio.Future[ControlResponse] | None = None
        self._pending_op: OpCode | None = None
        self._lock = asyncio.Lock()
        self._disconnected = False

    @property
    def connected(self) -> bool:
        """Whether the link is still up."""
        return not self._disconnected and self.link.connected

    @property
    def belt_m_s(self) -> float | None:
        """The belt speed last reported, m/s (``None`` before the first report)."""
        return None if self.latest is None else self.latest.speed_m_s

    async def setup(self) -> None:
        """Read the features and the speed range, and subscribe to data, status and the
        Control Point.

        Raises
        ------
        TreadmillError
            When the peer has no Treadmill Data or Control Point characteristic.
        """
        for needed in (ftms.TREADMILL_DATA_UUID, ftms.CONTROL_POINT_UUID):
            if not self.link.has(needed):
                raise TreadmillError(
                    f"the device has no FTMS characteristic 0x{needed:04X}: not a controllable "
                    "treadmill"
                )
        self.link.on_disconnect(self._on_disconnect)
        if self.link.has(ftms.FEATURE_UUID):
            self.features = ftms.decode_features(await self.link.read(ftms.FEATURE_UUID))
        if self.link.has(ftms.SPEED_RANGE_UUID):
            self.speed_range = ftms.decode_speed_range(await self.link.read(ftms.SPEED_RANGE_UUID))
        await self.link.subscribe(ftms.TREADMILL_DATA_UUID, self._on_data)
        if self.link.has(ftms.MACHINE_STATUS_UUID):
            await self.link.subscribe(ftms.MACHINE_STATUS_UUID, self._on_status)
        await self.link.subscribe(ftms.CONTROL_POINT_UUID, self._on_control)

    # -- incoming ----------------------------------------------------------------------------
    def _on_data(self, data: bytes) -> None:
        decoded = ftms.decode_treadmill_data(bytes(data))
        self.data_count += 1
        if decoded.problems:
            self.odd_packets += 1
            self.last_problems = decoded.problems
        if decoded.speed_m_s is None and self.latest is not None:
            # A More Data part or a truncated packet: keep the last known speed.
            decoded = TreadmillData(
                speed_m_s=self.latest.speed_m_s,
                average_speed_m_s=decoded.average_speed_m_s,
                distance_m=decoded.distance_m
                if decoded.distance_m is not None
                else self.latest.distance_m,
                incline_pct=decoded.incline_pct,
                elapsed_s=decoded.elapsed_s
                if decoded.elapsed_s is not None
                else self.latest.elapsed_s,
                heart_rate_bpm=decoded.heart_rate_bpm,
                problems=decoded.problems,
            )
        self.latest = decoded

    def _on_status(self, data: bytes) -> None:
        status = ftms.decode_machine_status(bytes(data))
        if status is not None:
            self.events.put_nowait(LinkEvent(status=status))

    def _on_control(self, data: bytes) -> None:
        response = ftms.decode_control_response(bytes(data))
        if response is None:
            self.odd_packets += 1
            return
        pending = self._pending
        if pending is not None and not pending.done() and response.request == self._pending_op:
            pending.set_result(response)

    def _on_disconnect(self) -> None:
        if self._disconnected:
            return
        self._disconnected = True
        pending = self._pending
        if pending is not None and not pending.done():
            pending.cancel()
        self.events.put_nowait(LinkEvent(disconnected=True))

    # -- Control Point -----------------------------------------------------------------------
    async def _control(self, op: OpCode, payload: bytes) -> ControlResponse:
        async with self._lock:
            if not self.connected:
                raise ControlError(op, None)
            loop = asyncio.get_running_loop()
            self._pending = loop.create_future()
            self._pending_op = op
            try:
                await asyncio.wait_for(
                    self.link.write(ftms.CONTROL_POINT_UUID, payload),
                    timeout=self.control_timeout_s,
                )
                response = await asyncio.wait_for(self._pending, timeout=self.control_timeout_s)
            except (TimeoutError, asyncio.CancelledError, OSError) as exc:
                if isinstance(exc, asyncio.CancelledError) and not self._disconnected:
                    raise
                raise ControlError(op, None) from None
            except Exception as exc:  # a stack's own error type (bleak, bumble ATT errors)
                raise ControlError(op, None) from exc
            finally:
                self._pending = None
                self._pending_op = None
            if not response.ok:
                raise ControlError(op, response)
            return response

    async def request_control(self) -> None:
        """Request Control (FTMS §4.16.2.1); :class:`ControlError` when refused."""
        await self._control(OpCode.REQUEST_CONTROL, ftms.encode_request_control())

    async def set_target_speed(self, speed_m_s: float) -> None:
        """Set Target Speed (FTMS §4.16.2.3). The caller has capped the value (safety.py)."""
        await self._control(OpCode.SET_TARGET_SPEED, ftms.encode_set_target_speed(speed_m_s))

    async def start(self) -> None:
        """Start or Resume (FTMS §4.16.2.8)."""
        await self._control(OpCode.START_OR_RESUME, ftms.encode_start())

    async def stop(self, kind: StopKind = StopKind.STOP) -> None:
        """Stop or Pause (FTMS §4.16.2.9)."""
        await self._control(OpCode.STOP_OR_PAUSE, ftms.encode_stop(kind))

    async def close(self) -> None:
        """Disconnect (the link's own disconnection event is then ignored)."""
        self._disconnected = True
        with contextlib.suppress(Exception):
            await self.link.disconnect()


# -- bumble ----------------------------------------------------------------------------------------


class BumbleLink:
    """:class:`GattLink` over a bumble :class:`bumble.device.Peer` (used with the simulator)."""

    def __init__(self, peer: Any) -> None:
        self._peer = peer
        self._chars: dict[int, Any] = {}
        self._connected = True
        self._callbacks: list[Callable[[], None]] = []
        peer.connection.on("disconnection", self._disconnected)

    @classmethod
    async def discover(cls, connection: Any) -> BumbleLink:
        """Discover the FTMS service and its characteristics on a bumble connection."""
        from bumble.core import UUID
        from bumble.device import Peer

        peer = Peer(connection)
        link = cls(peer)
        services = await peer.discover_service(UUID.from_16_bits(ftms.FTMS_SERVICE_UUID))
        if not services:
            raise TreadmillError("the device has no Fitness Machine service (0x1826)")
        for characteristic in await peer.discover_characteristics(service=services[0]):
            short = int.from_bytes(bytes(characteristic.uuid.to_bytes()), "little")
            link._chars[short] = characteristic
        return link

    def _disconnected(self, *_: Any) -> None:
        self._connected = False
        callbacks, self._callbacks = self._callbacks, []
        for callback in callbacks:
            callback()

    @property
    def connected(self) -> bool:
        return self._connected

    def has(self, uuid16: int) -> bool:
        return uuid16 in self._chars

    def _char(self, uuid16: int) -> Any:
        if not self._connected:
            raise TreadmillError("not connected to the treadmill")
        return self._chars[uuid16]

    async def read(self, uuid16: int) -> bytes:
        return bytes(await self._peer.read_value(self._char(uuid16)))

    async def write(self, uuid16: int, data: bytes) -> None:
        await self._peer.write_value(self._char(uuid16), data, with_response=True)

    async def subscribe(self, uuid16: int, callback: Callable[[bytes], None]) -> None:
        characteristic = self._char(uuid16)
        from bumble.gatt import Characteristic

        indicate_only = not characteristic.properties & Characteristic.Properties.NOTIFY
        await self._peer.subscribe(characteristic, callback, prefer_notify=not indicate_only)

    def on_disconnect(self, callback: Callable[[], None]) -> None:
        if not self._connected:
            callback()
        else:
            self._callbacks.append(callback)

    async def disconnect(self) -> None:
        if self._connected:
            await self._peer.connection.disconnect()


# -- bleak -----------------------------------------------------------------------------------------


class BleakLink:
    """:class:`GattLink` over a :class:`bleak.BleakClient` (real hardware)."""

    def __init__(self, address: str) -> None:
        from bleak import BleakClient

        self._callbacks: list[Callable[[], None]] = []
        self._client = BleakClient(address, disconnected_callback=self._disconnected)
        self._uuids: set[int] = set()

    async def connect(self, timeout_s: float = 10.0) -> None:
        """Connect and list the FTMS characteristics."""
        await self._client.connect(timeout=timeout_s)
        service = self._client.services.get_service(ftms.full_uuid(ftms.FTMS_SERVICE_UUID))
        if service is None:
            await self._client.disconnect()
            raise TreadmillError("the device has no Fitness Machine service (0x1826)")
        for characteristic in service.characteristics:
            uuid = str(characteristic.uuid).lower()
            if uuid.endswith("-0000-1000-8000-00805f9b34fb"):
                self._uuids.add(int(uuid[4:8], 16))

    def _disconnected(self, _client: Any) -> None:
        callbacks, self._callbacks = self._callbacks, []
        for callback in callbacks:
            callback()

    @property
    def connected(self) -> bool:
        return bool(self._client.is_connected)

    def has(self, uuid16: int) -> bool:
        return uuid16 in self._uuids

    async def read(self, uuid16: int) -> bytes:
        return bytes(await self._client.read_gatt_char(ftms.full_uuid(uuid16)))

    async def write(self, uuid16: int, data: bytes) -> None:
        await self._client.write_gatt_char(ftms.full_uuid(uuid16), data, response=True)

    async def subscribe(self, uuid16: int, callback: Callable[[bytes], None]) -> None:
        def handler(_sender: Any, data: bytearray) -> None:
            callback(bytes(data))

        await self._client.start_notify(ftms.full_uuid(uuid16), handler)

    def on_disconnect(self, callback: Callable[[], None]) -> None:
        self._callbacks.append(callback)

    async def disconnect(self) -> None:
        await self._client.disconnect()


async def scan_bleak(timeout_s: float = 5.0) -> list[ScanResult]:
    """Treadmills advertising the Fitness Machine service, found with bleak."""
    from bleak import BleakScanner

    found = await BleakScanner.discover(
        timeout=timeout_s,
        service_uuids=[ftms.full_uuid(ftms.FTMS_SERVICE_UUID)],
        return_adv=True,
    )
    return sorted(
        (
            ScanResult(
                address=str(device.address), name=adv.local_name or device.name, rssi=adv.rssi
            )
            for device, adv in found.values()
        ),
        key=lambda r: -(r.rssi or -999),
    )
