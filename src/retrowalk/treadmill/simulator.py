"""A simulated FTMS treadmill on a real Bluetooth LE stack (bumble), for tests, setup and demos.

The treadmill is a bumble :class:`~bumble.device.Device` with a GATT server holding the Fitness
Machine service (Feature, Treadmill Data, Supported Speed Range, Control Point, Fitness Machine
Status). It advertises like a real one; a second bumble device in the same process connects to
it over a :class:`bumble.link.LocalLink` (two virtual controllers), so the client goes through
real GATT discovery, notifications, indications and writes with response.

The belt accelerates towards its target at ``acceleration_m_s2`` and notifies Treadmill Data every
``notify_period_s``. Faults can be injected: refuse control, a belt running faster than the
target, malformed or truncated notifications, the link dropped, control taken back, and the
walker pressing the console's speed and stop buttons.

Everything here is labelled *simulated* wherever it is shown to a user.
"""

from __future__ import annotations

import asyncio
import contextlib
import struct
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any, Final

from retrowalk.treadmill import ftms
from retrowalk.treadmill.client import BumbleLink, FtmsClient, ScanResult
from retrowalk.treadmill.ftms import OpCode, ResultCode, StatusOpCode, StopKind

__all__ = [
    "SIMULATED",
    "SIMULATED_ADDRESS",
    "SIMULATED_NAME",
    "SimulatedTreadmill",
    "SimulatorConfig",
    "connect_simulated",
    "scan_simulated",
    "simulated_session",
]

#: The address word that selects the simulator in the CLI and the web app.
SIMULATED: Final = "simulated"
SIMULATED_NAME: Final = "Sim treadmill"
#: Static random addresses of the two virtual devices (top two bits set: static random).
SIMULATED_ADDRESS: Final = "F0:F0:F0:F0:F0:F1"
_CENTRAL_ADDRESS: Final = "F0:F0:F0:F0:F0:F2"


@dataclass
class SimulatorConfig:
    """How the simulated treadmill behaves (all speeds m/s, times s).

    Defaults: a home treadmill range of 0.8 to 16 km/h in 0.1 km/h steps (a design choice for the
    simulator, typical of home treadmills' specification sheets, not a cited value) and a belt
    acceleration of 0.5 m/s2 (design choice).
    """

    min_m_s: float = 0.8 / 3.6
    max_m_s: float = 16.0 / 3.6
    increment_m_s: float = 0.1 / 3.6
    acceleration_m_s2: float = 0.5
    tick_s: float = 0.02
    notify_period_s: float = 0.1
    time_scale: float = 1.0
    #: Faults.
    refuse_control: bool = False
    overspeed_m_s: float = 0.0
    malformed_every: int = 0
    report_speed_range: bool = True
    stop_on_disconnect: bool = True


@dataclass
class _Belt:
    running: bool = False
    target_m_s: float = 0.0
    speed_m_s: float = 0.0
    distance_m: float = 0.0
    elapsed_s: float = 0.0
    controller: Any = None
    commands: list[tuple[int, bytes]] = field(default_factory=list)


class SimulatedTreadmill:
    """The simulated treadmill: GATT server, belt physics and fault injection."""

    def __init__(self, config: SimulatorConfig | None = None) -> None:
        self.config = config or SimulatorConfig()
        self.belt = _Belt()
        self.notifications = 0
        self.max_belt_m_s = 0.0
        self.max_target_m_s = 0.0
        self._device: Any = None
        self._link: Any = None
        self._task: asyncio.Task[None] | None = None
        self._data_char: Any = None
        self._status_char: Any = None
        self._cp_char: Any = None
        self._tasks: set[asyncio.Task[Any]] = set()

    # -- GATT ---------------------------------------------------------------------------------
    def _service(self) -> Any:
        from bumble.core import UUID
        from bumble.gatt import Characteristic, CharacteristicValue, Service

        def uuid(short: int) -> Any:
            return UUID.from_16_bits(short)

        props = Characteristic.Properties
        readable = Characteristic.READABLE
        features = ftms.encode_features(
            ftms.MachineFeatures.TOTAL_DISTANCE
            | ftms.MachineFeatures.INCLINATION
            | ftms.MachineFeatures.ELAPSED_TIME,
            ftms.TargetFeatures.SPEED,
        )
        cfg = self.config
        self._data_char = Characteristic(
            uuid(ftms.TREADMILL_DATA_UUID), props.NOTIFY, Characteristic.Permissions(0), b""
        )
        self._status_char = Characteristic(
            uuid(ftms.MACHINE_STATUS_UUID), props.NOTIFY, Characteristic.Permissions(0), b""
        )
        self._cp_char = Characteristic(
            uuid(ftms.CONTROL_POINT_UUID),
            props.WRITE | props.INDICATE,
            Characteristic.WRITEABLE,
            CharacteristicValue(write=self._on_control_write),
        )
        chars = [
            Characteristic(uuid(ftms.FEATURE_UUID), props.READ, readable, features),
            self._data_char,
            self._cp_char,
            self._status_char,
        ]
        if cfg.report_speed_range:
            value = ftms.encode_speed_range(cfg.min_m_s, cfg.max_m_s, cfg.increment_m_s)
            chars.insert(
                2, Characteristic(uuid(ftms.SPEED_RANGE_UUID), props.READ, readable, value)
            )
        return Service(uuid(ftms.FTMS_SERVICE_UUID), chars)

    def _spawn(self, coro: Any) -> None:
        task = asyncio.get_running_loop().create_task(coro)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    def _on_control_write(self, connection: Any, value: bytes) -> None:
        value = bytes(value)
        self.belt.commands.append((value[0] if value else -1, value))
        op = value[0] if value else -1
        result = self._apply(connection, op, value[1:])
        if op >= 0:
            response = ftms.encode_control_response(op, result)
            self._spawn(self._indicate(connection, response))

    async def _indicate(self, connection: Any, response: bytes) -> None:
        with contextlib.suppress(Exception):
            await self._device.indicate_subscriber(connection, self._cp_char, response)

    def _apply(self, connection: Any, op: int, params: bytes) -> int:
        belt, cfg = self.belt, self.config
        if op == OpCode.REQUEST_CONTROL:
            if cfg.refuse_control:
                return ResultCode.CONTROL_NOT_PERMITTED
            belt.controller = connection
            return ResultCode.SUCCESS
        if op not in (OpCode.SET_TARGET_SPEED, OpCode.START_OR_RESUME, OpCode.STOP_OR_PAUSE):
            return ResultCode.NOT_SUPPORTED
        if belt.controller is not connection:
            return ResultCode.CONTROL_NOT_PERMITTED
        if op == OpCode.SET_TARGET_SPEED:
            if len(params) < 2:
                return ResultCode.INVALID_PARAMETER
            units = struct.unpack_from("<H", params)[0]
            low = ftms.m_s_to_kmh_units_floor(cfg.min_m_s)
            if not low <= units <= ftms.m_s_to_kmh_units_floor(cfg.max_m_s):
                return ResultCode.INVALID_PARAMETER
            speed = ftms.kmh_units_to_m_s(units)
            belt.target_m_s = speed
            self.max_target_m_s = max(self.max_target_m_s, speed)
            self._notify_status(
                ftms.encode_machine_status(StatusOpCode.TARGET_SPEED_CHANGED, speed)
            )
            return ResultCode.SUCCESS
        if op == OpCode.START_OR_RESUME:
            belt.running = True
            if belt.target_m_s <= 0:
                belt.target_m_s = cfg.min_m_s
            return ResultCode.SUCCESS
        if not params or params[0] not in (StopKind.STOP, StopKind.PAUSE):
            return ResultCode.INVALID_PARAMETER
        belt.running = False
        if params[0] == StopKind.STOP:
            belt.target_m_s = 0.0
        return ResultCode.SUCCESS

    def _notify_status(self, value: bytes) -> None:
        if self._device is not None:
            self._spawn(self._notify(self._status_char, value))

    async def _notify(self, char: Any, value: bytes) -> None:
        with contextlib.suppress(Exception):
            await self._device.notify_subscribers(char, value)

    # -- physics ------------------------------------------------------------------------------
    def _packet(self) -> bytes:
        belt, cfg = self.belt, self.config
        self.notifications += 1
        packet = ftms.encode_treadmill_data(
            speed_m_s=belt.speed_m_s,
            distance_m=round(belt.distance_m),
            incline_pct=0.0,
            elapsed_s=round(belt.elapsed_s),
        )
        if cfg.malformed_every and self.notifications % cfg.malformed_every == 0:
            kind = (self.notifications // cfg.malformed_every) % 4
            if kind == 0:
                return packet[:3]  # truncated inside the speed field
            if kind == 1:
                return b"\x01"  # one byte: no flags field
            if kind == 2:
                return packet[:-1]  # truncated inside elapsed time
            return b"\x01\xe0" + b"\xff" * 7  # More Data + reserved bits, garbage after
        return packet

    async def _physics(self) -> None:
        cfg = self.config
        last_notify = 0.0
        loop = asyncio.get_running_loop()
        last = loop.time()
        while True:
            await asyncio.sleep(cfg.tick_s)
            now = loop.time()
            dt = (now - last) * cfg.time_scale
            last = now
            belt = self.belt
            goal = belt.target_m_s + cfg.overspeed_m_s if belt.running else 0.0
            goal = min(goal, cfg.max_m_s + cfg.overspeed_m_s)
            change = cfg.acceleration_m_s2 * dt
            if belt.speed_m_s < goal:
                belt.speed_m_s = min(goal, belt.speed_m_s + change)
            else:
                belt.speed_m_s = max(goal, belt.speed_m_s - change)
            self.max_belt_m_s = max(self.max_belt_m_s, belt.speed_m_s)
            belt.distance_m += belt.speed_m_s * dt
            if belt.running:
                belt.elapsed_s += dt
            if now - last_notify >= cfg.notify_period_s:
                last_notify = now
                await self._notify(self._data_char, self._packet())

    # -- walker and faults ----------------------------------------------------------------------
    def press_speed(self, speed_m_s: float) -> None:
        """The walker sets a speed on the console (a Target Speed Changed status follows)."""
        self.belt.target_m_s = max(self.config.min_m_s, min(speed_m_s, self.config.max_m_s))
        self._notify_status(
            ftms.encode_machine_status(StatusOpCode.TARGET_SPEED_CHANGED, self.belt.target_m_s)
        )

    def press_stop(self) -> None:
        """The walker presses the console's stop button."""
        self.belt.running = False
        self.belt.target_m_s = 0.0
        self._notify_status(ftms.encode_machine_status(StatusOpCode.STOPPED_OR_PAUSED_BY_USER))

    def take_back_control(self) -> None:
        """The machine revokes the client's control (status 0xFF, FTMS §4.17)."""
        self.belt.controller = None
        self._notify_status(ftms.encode_machine_status(StatusOpCode.CONTROL_PERMISSION_LOST))

    async def drop_link(self) -> None:
        """Drop every connection (as when the phone walks out of range)."""
        for connection in list(self._device.connections.values()):
            with contextlib.suppress(Exception):
                await connection.disconnect()

    def _on_disconnection(self, *_: Any) -> None:
        self.belt.controller = None
        if self.config.stop_on_disconnect:
            self.belt.running = False
            self.belt.target_m_s = 0.0

    # -- lifecycle ------------------------------------------------------------------------------
    async def start(self, link: Any) -> None:
        """Power on on ``link`` (a bumble LocalLink) and advertise."""
        from bumble.controller import Controller
        from bumble.device import Device
        from bumble.hci import Address
        from bumble.host import Host
        from bumble.transport.common import AsyncPipeSink

        self._link = link
        controller = Controller("treadmill", link=link, public_address=SIMULATED_ADDRESS)
        device = Device(
            name=SIMULATED_NAME,
            address=Address(SIMULATED_ADDRESS),
            host=Host(controller, AsyncPipeSink(controller)),
        )
        device.add_service(self._service())

        def on_connection(connection: Any) -> None:
            connection.on("disconnection", self._on_disconnection)

        device.on("connection", on_connection)
        self._device = device
        await device.power_on()
        await device.start_advertising(
            advertising_data=ftms.encode_treadmill_advertising(SIMULATED_NAME),
            auto_restart=True,
            advertising_interval_min=20.0,
            advertising_interval_max=20.0,
        )
        self._task = asyncio.get_running_loop().create_task(self._physics())

    async def close(self) -> None:
        """Stop the physics and the device."""
        if self._task is not None:
            self._task.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await self._task
        for task in list(self._tasks):
            task.cancel()
        if self._device is not None:
            with contextlib.suppress(Exception):
                await self._device.power_off()


async def _central(link: Any) -> Any:
    from bumble.controller import Controller
    from bumble.device import Device
    from bumble.hci import Address
    from bumble.host import Host
    from bumble.transport.common import AsyncPipeSink

    controller = Controller("retrowalk", link=link, public_address=_CENTRAL_ADDRESS)
    device = Device(
        name="RetroWalk",
        address=Address(_CENTRAL_ADDRESS),
        host=Host(controller, AsyncPipeSink(controller)),
    )
    await device.power_on()
    return device


async def scan_simulated(link: Any, timeout_s: float = 1.0) -> list[ScanResult]:
    """Scan the virtual link with a bumble central; return the treadmills that advertise FTMS."""
    central = await _central(link)
    found: dict[str, ScanResult] = {}

    def on_advertisement(advertisement: Any) -> None:
        data = bytes(advertisement.data_bytes)
        if ftms.advertises_ftms(data):
            address = str(advertisement.address).removesuffix("/P")
            name = ftms.ad_name(data)
            found[address] = ScanResult(address, f"{name} (simulated)", advertisement.rssi)

    central.on("advertisement", on_advertisement)
    await central.start_scanning(filter_duplicates=True)
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout_s
    while not found and loop.time() < deadline:
        await asyncio.sleep(0.02)
    await central.stop_scanning()
    with contextlib.suppress(Exception):
        await central.power_off()
    return list(found.values())


async def connect_simulated(link: Any) -> FtmsClient:
    """Connect a bumble central to the simulated treadmill on ``link`` and set up the client."""
    central = await _central(link)
    connection = await central.connect(SIMULATED_ADDRESS, timeout=5.0)
    gatt = await BumbleLink.discover(connection)
    client = FtmsClient(gatt)
    await client.setup()
    return client


@contextlib.asynccontextmanager
async def simulated_session(
    config: SimulatorConfig | None = None,
) -> AsyncIterator[tuple[SimulatedTreadmill, FtmsClient]]:
    """A simulated treadmill and a client connected to it over a virtual Bluetooth LE link."""
    from bumble.link import LocalLink

    link = LocalLink()  # type: ignore[no-untyped-call]
    treadmill = SimulatedTreadmill(config)
    await treadmill.start(link)
    try:
        client = await connect_simulated(link)
        try:
            yield treadmill, client
        finally:
            await client.close()
    finally:
        await treadmill.close()
