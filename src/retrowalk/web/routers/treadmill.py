"""``/treadmill`` and ``/api/treadmill``: a Bluetooth (FTMS) treadmill driven by the server.

The server holds at most one treadmill connection (:class:`TreadmillHub`, on ``app.state``),
owned by a Bluetooth thread. The browser player (``static/treadmill.js``) posts the run's
snapshot to ``/api/treadmill/follow/{log_id}`` twice a second; the server's
:class:`~retrowalk.treadmill.driver.TreadmillDriver` sets the belt within the plan's limits and
answers with what to tell the walker and whether to pause. When the session is logged, the
belt's measured speeds go into the log (:func:`belt_speeds_for`).

``address`` is a Bluetooth address, ``auto`` or ``simulated`` (RetroWalk's simulated treadmill
on an in-process Bluetooth stack; in test mode it runs at the player's fast clock rate).
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import threading
from collections.abc import Sequence
from typing import Any, Final

from fastapi import APIRouter, Request
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, ConfigDict, Field

from retrowalk.errors import NotFoundError, RetroWalkError
from retrowalk.sessions import RunSnapshot, RunStatus
from retrowalk.sessions.cues import Units, check_units, spoken_speed
from retrowalk.web.deps import SessionDep
from retrowalk.web.html import CheckedForm, render, see_other
from retrowalk.web.preferences import load_preferences
from retrowalk.web.schemas import NOT_FOUND, RunSnapshotBody
from retrowalk.web.views import local_today

__all__ = ["TreadmillHub", "belt_speeds_for", "router", "shutdown"]

router = APIRouter(tags=["treadmill"])
#: Fastest simulated belt clock accepted in test mode (the player's fast clock rate).
TIME_SCALE_MAX: Final = 1000.0


class ConnectBody(BaseModel):
    """Which treadmill to connect to."""

    model_config = ConfigDict(extra="forbid")
    address: str = Field(min_length=1, max_length=64, examples=["simulated"])
    time_scale: float = Field(default=1.0, ge=1.0, le=TIME_SCALE_MAX)


class FollowBody(BaseModel):
    """The browser player's run now (``docs/sessions.md``, "Snapshot JSON")."""

    model_config = ConfigDict(extra="forbid")
    snapshot: RunSnapshotBody


class TreadmillHub:
    """The server's one treadmill: connection, driver of the session being played, messages."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._bt: Any = None
        self._opened: Any = None
        self._driver: Any = None
        self._log_id: str | None = None
        self._said = 0
        self._speeds: dict[str, tuple[float | None, ...]] = {}
        self._watch: concurrent.futures.Future[None] | None = None

    def status(self, units: Units) -> dict[str, Any]:
        """JSON-ready state of the connection and the belt."""
        with self._lock:
            opened = self._opened
            if opened is None:
                return {"connected": False, "label": None, "simulated": False, "belt": None}
            client = opened.client
            belt = client.belt_m_s
            machine = client.speed_range
            return {
                "connected": client.connected,
                "label": opened.label,
                "simulated": opened.simulated,
                "belt_m_s": belt,
                "belt": None if belt is None else spoken_speed(belt, units),
                "speed_range_m_s": None
                if machine is None
                else [machine.min_m_s, machine.max_m_s, machine.increment_m_s],
                "following": self._log_id,
            }

    def connect(self, address: str, *, time_scale: float) -> None:
        """Connect (replacing any earlier connection, whose belt is stopped first)."""
        from retrowalk.treadmill.connect import BluetoothThread, open_treadmill

        with self._lock:
            self.close()
            self._bt = BluetoothThread()
            try:
                self._opened = self._bt.call(open_treadmill(address, time_scale=time_scale))
            except BaseException:
                self._bt.close()
                self._bt = None
                raise

    def follow(self, request: Request, log_id: str, snapshot: RunSnapshot) -> dict[str, Any]:
        """One driver step for the session ``log_id`` (its driver is made on the first call)."""
        from retrowalk.services.guided import find_unfinished
        from retrowalk.services.treadmill import treadmill_limits
        from retrowalk.treadmill.driver import TreadmillDriver

        with self._lock:
            if self._opened is None or self._bt is None:
                raise NotFoundError("no treadmill connected: connect one first")
            ended = snapshot.status in (RunStatus.FINISHED, RunStatus.STOPPED)
            if ended and self._log_id != log_id:
                # A run that ended before this hub drove it: nothing to start, nothing to stop.
                return {
                    "messages": [],
                    "pause_requested": False,
                    "connected": True,
                    "belt": None,
                    "belt_m_s": self._opened.client.belt_m_s,
                    "commands": 0,
                }
            if self._log_id != log_id or self._driver is None:
                db = request.app.state.db
                with db.factory() as session:
                    guided = find_unfinished(session)
                    if guided is None or guided.log_id != log_id:
                        raise NotFoundError(f"no session in progress with id {log_id}")
                    limits = treadmill_limits(session)
                if self._driver is not None:
                    self._stop_watch()
                    self._bt.call(self._driver.shutdown())
                driver = TreadmillDriver(
                    self._opened.client, guided.timeline, limits, units=guided.timeline.units
                )
                self._driver, self._log_id, self._said = driver, log_id, 0
                self._bt.call(driver.take_control())
                # S8: a closed tab or a lost network between browser and server stops the belt.
                self._watch = asyncio.run_coroutine_threadsafe(driver.watch(), self._bt.loop)
            driver = self._driver
            snapshot.check_fits(driver.timeline)
            self._bt.call(driver.update(snapshot))
            self._speeds[log_id] = driver.belt_speeds_m_s()
            messages = driver.messages[self._said :]
            self._said = len(driver.messages)
            belt = self._opened.client.belt_m_s
            units = driver.units
            return {
                "messages": messages,
                "pause_requested": driver.pause_requested,
                "connected": self._opened.client.connected,
                "belt_m_s": belt,
                "belt": None if belt is None else spoken_speed(belt, units),
                "commands": len(driver.commands),
            }

    def _stop_watch(self) -> None:
        if self._watch is not None:
            self._watch.cancel()
            self._watch = None

    def belt_speeds(self, log_id: str) -> tuple[float | None, ...] | None:
        """The measured belt speed per segment of a session this hub drove, if any."""
        with self._lock:
            return self._speeds.get(log_id)

    def close(self) -> None:
        """Stop the belt if it runs, disconnect, end the Bluetooth thread."""
        with self._lock:
            bt, self._bt = self._bt, None
            if bt is None:
                return
            self._stop_watch()
            try:
                if self._driver is not None:
                    bt.call(self._driver.shutdown(), timeout_s=10.0)
                if self._opened is not None:
                    bt.call(self._opened.close(), timeout_s=10.0)
            except RetroWalkError:
                pass
            finally:
                self._driver, self._opened, self._log_id = None, None, None
                bt.close()


def hub_of(request: Request) -> TreadmillHub:
    """The app's hub (made on first use)."""
    state = request.app.state
    hub = getattr(state, "treadmill_hub", None)
    if hub is None:
        hub = TreadmillHub()
        state.treadmill_hub = hub
    return hub


def belt_speeds_for(request: Request, log_id: str) -> Sequence[float | None] | None:
    """For ``finish_guided``: the belt speeds measured while the hub drove ``log_id``."""
    hub = getattr(request.app.state, "treadmill_hub", None)
    return None if hub is None else hub.belt_speeds(log_id)


def shutdown(app: Any) -> None:
    """Stop the belt and disconnect when the server stops."""
    hub = getattr(app.state, "treadmill_hub", None)
    if hub is not None:
        hub.close()


def _units(request: Request) -> Units:
    with request.app.state.db.factory() as session:
        return check_units(load_preferences(session).units)


# -- API -------------------------------------------------------------------------------------------


@router.get("/api/treadmill")
def read_treadmill(request: Request) -> dict[str, Any]:
    """The treadmill connection and the belt speed it reports."""
    return hub_of(request).status(_units(request))


_UNAVAILABLE: dict[int | str, dict[str, Any]] = {
    409: {
        "description": "Bluetooth unavailable, treadmill not found or refusing control; a "
        "snapshot that does not fit the session's timeline"
    }
}


def _unavailable(exc: Exception) -> JSONResponse:
    return JSONResponse(status_code=409, content={"detail": str(exc)})


@router.post("/api/treadmill/connect", response_model=None, responses=_UNAVAILABLE)
def connect_treadmill(request: Request, body: ConnectBody) -> dict[str, Any] | JSONResponse:
    """Connect to a treadmill by address, ``auto`` or ``simulated`` (control is requested when a
    session starts following it)."""
    from retrowalk.treadmill.client import TreadmillError

    scale = body.time_scale if request.app.state.test_mode else 1.0
    hub = hub_of(request)
    try:
        hub.connect(body.address, time_scale=scale)
    except TreadmillError as exc:
        return _unavailable(exc)
    return hub.status(_units(request))


@router.post("/api/treadmill/disconnect", status_code=204)
def disconnect_treadmill(request: Request) -> Response:
    """Stop the belt if it runs and disconnect."""
    hub_of(request).close()
    return Response(status_code=204)


@router.post(
    "/api/treadmill/follow/{log_id}",
    response_model=None,
    responses={**_UNAVAILABLE, **NOT_FOUND},
)
def follow_run(request: Request, log_id: str, body: FollowBody) -> dict[str, Any] | JSONResponse:
    """Drive the belt for the session's run now; says what to tell the walker and whether the
    player must pause (a safety stop)."""
    from retrowalk.treadmill.client import TreadmillError

    snapshot = body.snapshot.to_snapshot()
    try:
        return hub_of(request).follow(request, log_id, snapshot)
    except TreadmillError as exc:
        return _unavailable(exc)


# -- page ------------------------------------------------------------------------------------------


def _page(request: Request, *, status_code: int = 200, **context: Any) -> HTMLResponse:
    return render(request, "treadmill.html", status_code=status_code, active="treadmill", **context)


@router.get("/treadmill", include_in_schema=False)
def treadmill_page(request: Request) -> HTMLResponse:
    """Connect a treadmill and start a quick session on it."""
    return _page(request, quick_spec="3x(1m back, 1m fwd)")


@router.post("/treadmill/quick", include_in_schema=False)
def treadmill_quick(request: Request, form: CheckedForm, session: SessionDep) -> Response:
    """Start a quick session on the treadmill (belt speed and limit from the plan) and open the
    player."""
    from retrowalk.services.guided import start_guided
    from retrowalk.services.treadmill import quick_treadmill_speeds
    from retrowalk.vocabulary import Environment

    spec = form.get("quick_spec")
    spec = spec if isinstance(spec, str) else ""
    try:
        with session.begin_nested():
            target, limit = quick_treadmill_speeds(session)
            guided = start_guided(
                session,
                quick_spec=spec,
                units=load_preferences(session).units,
                environment=Environment.TREADMILL,
                on=local_today(),
                speed_target_m_s=target,
                speed_limit_m_s=limit,
            )
    except RetroWalkError as exc:
        return _page(request, quick_spec=spec, problem=str(exc), status_code=422)
    return see_other(f"/player/quick/{guided.log_id}")
