"""Server-rendered pages: onboarding, today, plan, player, log, progress, settings, login.

Each handler reads its form, calls the same services as the JSON API and the CLI, and renders a
template; invalid input re-renders the form with the problem named (nothing is stored).
"""

from __future__ import annotations

import importlib
from datetime import timedelta
from pathlib import Path
from typing import Annotated, Any, Final, Literal

from fastapi import APIRouter, Depends, Request
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import UploadFile

from retrowalk.assessments import PROTOCOL
from retrowalk.errors import ImportFileError, InvalidInputError, NotEmptyError, NotFoundError
from retrowalk.plans import ProfessionalClearanceRequiredError
from retrowalk.profile import parse_profile
from retrowalk.screening import Clearance
from retrowalk.screening.model import HEADLINES
from retrowalk.screening.questions import QUESTIONS
from retrowalk.services.guided import (
    PlanStoppedError,
    SessionInProgressError,
    abandon_guided,
    find_unfinished,
    log_partial,
    start_guided,
)
from retrowalk.services.logs import LogInput, add_log, delete_log, edit_log, get_log, list_logs
from retrowalk.services.plans import create_plan, plan_changes, require_plan, today
from retrowalk.services.progress import progress_report
from retrowalk.services.readiness import (
    balance_tests,
    current_profile,
    latest_screening,
    record_balance_test,
    require_profile,
    save_profile,
    store_screening,
)
from retrowalk.sessions import StopReason
from retrowalk.timeutil import utcnow
from retrowalk.vocabulary import Environment, Support
from retrowalk.web import charts
from retrowalk.web.deps import DatabaseDep, page_write, write_lock
from retrowalk.web.forms import (
    PAIN_ROWS,
    float_field,
    local_datetime,
    profile_from_form,
    profile_to_form,
    quick_from_form,
    quick_problem,
    ratings_from_form,
    segments_from_form,
    text,
)
from retrowalk.web.guard import require_csrf_form
from retrowalk.web.player import (
    ACKNOWLEDGEMENT,
    QUICK_ENVIRONMENTS,
    QUICK_EXAMPLE,
    QUICK_RANGES,
    QUICK_SUPPORTS,
    find_planned,
    planned_timeline,
    player_data,
)
from retrowalk.web.preferences import load_preferences, save_preferences
from retrowalk.web.routers.backup import export_bytes, import_bytes
from retrowalk.web.routers.progress import local_zone
from retrowalk.web.security import (
    SESSION_COOKIE,
    SESSION_TTL,
    check_pairing_code_in,
    create_login,
    end_login,
)
from retrowalk.web.views import local_today, parse_form_date

WEB_DIR: Final = Path(__file__).resolve().parent
templates = Jinja2Templates(directory=str(WEB_DIR / "templates"))
router = APIRouter(include_in_schema=False)
CsrfChecked = Annotated[None, Depends(require_csrf_form)]
#: The fast fake clock rates the player accepts in test mode.
CLOCK_RATE_MAX: Final = 1000.0


def render(request: Request, name: str, *, status_code: int = 200, **context: Any) -> HTMLResponse:
    """Render a template with what every page needs."""
    return templates.TemplateResponse(
        request,
        name,
        {
            "csrf_token": request.state.csrf_token,
            "lan": request.app.state.lan,
            "active": name.split(".")[0].split("_")[0],
            **context,
        },
        status_code=status_code,
    )


def see_other(url: str) -> RedirectResponse:
    """Redirect after a successful form post."""
    return RedirectResponse(url, status_code=303)


def problem(exc: InvalidInputError) -> dict[str, str]:
    """A form error for the templates."""
    return {"field": exc.field, "message": str(exc), "accepted": exc.accepted}


# ------------------------------------------------------------------------------ home, docs, sw
@router.get("/")
def home(db: DatabaseDep) -> RedirectResponse:
    """Today once onboarded, onboarding before."""
    with db.factory() as session:
        onboarded = current_profile(session) is not None
    return see_other("/today" if onboarded else "/onboarding")


@router.get("/docs")
def docs(request: Request) -> HTMLResponse:
    """Swagger UI served from a local copy (package ``fastapi-offline``), never from a CDN."""
    return get_swagger_ui_html(
        openapi_url="/openapi.json",
        title="RetroWalk API",
        swagger_js_url="/swagger/swagger-ui-bundle.js",
        swagger_css_url="/swagger/swagger-ui.css",
        swagger_favicon_url="/static/icon.svg",
    )


@router.get("/swagger/{name}")
def swagger_asset(name: str) -> Response:
    """Swagger UI's files (version 5, which reads OpenAPI 3.1) from the installed package."""
    allowed = {"swagger-ui-bundle.js", "swagger-ui.css"}
    try:
        bundle = importlib.import_module("fastapi_offline")
    except ImportError:
        return Response("fastapi-offline is not installed", status_code=404)
    if name not in allowed or bundle.__file__ is None:
        return Response(status_code=404)
    return FileResponse(Path(bundle.__file__).parent / "static" / name)


@router.get("/sw.js")
def service_worker() -> FileResponse:
    """The service worker, served from the root so that it may cache every page."""
    return FileResponse(
        WEB_DIR / "static" / "sw.js",
        media_type="text/javascript",
        headers={"Cache-Control": "no-cache", "Service-Worker-Allowed": "/"},
    )


# ------------------------------------------------------------------------------ onboarding
@router.get("/onboarding")
def onboarding(request: Request, db: DatabaseDep) -> HTMLResponse:
    """Profile and screening questions (prefilled when a profile exists)."""
    with db.factory() as session:
        stored = current_profile(session)
    values = {} if stored is None else profile_to_form(stored.profile.model_dump(mode="json"))
    return render(
        request, "onboarding.html", questions=QUESTIONS, values=values, pain_rows=PAIN_ROWS
    )


@router.post("/onboarding")
async def onboarding_post(request: Request, db: DatabaseDep, _: CsrfChecked) -> Response:
    """Store the profile and screen it; show the outcome."""
    form = await request.form()
    try:
        profile = parse_profile(profile_from_form(form))
    except InvalidInputError as exc:
        values = {k: (form.getlist(k) if len(form.getlist(k)) > 1 else v) for k, v in form.items()}
        return render(
            request,
            "onboarding.html",
            status_code=422,
            questions=QUESTIONS,
            values=values,
            pain_rows=PAIN_ROWS,
            error=problem(exc),
        )
    async with page_write(request) as session:
        store_screening(session, save_profile(session, profile))
    return see_other("/onboarding/result")


def _screening_context(db: DatabaseDep) -> dict[str, Any]:
    with db.factory() as session:
        stored = require_profile(session)
        row = latest_screening(session, stored.id)
        tests = [t.to_dict() for t in balance_tests(session, stored)]
    if row is None:
        raise NotFoundError("no screening yet")
    return {
        "clearance": row.clearance,
        "headline": HEADLINES[Clearance(row.clearance)],
        "reasons": row.reasons,
        "tests": tests,
        "start_on": local_today().isoformat(),
        "older": stored.profile.age_years >= 65,
    }


@router.get("/onboarding/result")
def onboarding_result(request: Request, db: DatabaseDep) -> Response:
    """The screening outcome with its reasons, the optional 3MBWT and the plan form."""
    try:
        context = _screening_context(db)
    except NotFoundError:
        return see_other("/onboarding")
    return render(request, "result.html", **context)


@router.post("/plan/new")
async def plan_new(request: Request, db: DatabaseDep, _: CsrfChecked) -> Response:
    """Make a plan from the stored profile."""
    form = await request.form()
    try:
        weeks_text = text(form, "weeks") or "4"
        if not weeks_text.isdigit():
            raise InvalidInputError("weeks", weeks_text, "a whole number of weeks from 1 to 12")
        async with page_write(request) as session:
            create_plan(
                session,
                start_on=parse_form_date(text(form, "start_on"), "start_on"),
                weeks=int(weeks_text),
                acknowledgement=ACKNOWLEDGEMENT if form.get("acknowledge_risk") else None,
            )
    except InvalidInputError as exc:
        return render(
            request, "result.html", status_code=422, error=problem(exc), **_screening_context(db)
        )
    except ProfessionalClearanceRequiredError as exc:
        error = {
            "field": "acknowledge_risk",
            "message": "Screening says to see a professional first. " + " ".join(exc.reasons),
            "accepted": "tick the box once you have read the reasons",
        }
        return render(
            request, "result.html", status_code=409, error=error, **_screening_context(db)
        )
    return see_other("/plan")


# ------------------------------------------------------------------------------ 3MBWT
@router.get("/balance-test")
def balance_test(request: Request, db: DatabaseDep) -> Response:
    """The guided 3-metre backward walk test with an on-screen timer."""
    with db.factory() as session:
        stored = current_profile(session)
        if stored is None:
            return see_other("/onboarding")
        tests = [t.to_dict() for t in balance_tests(session, stored)]
    return render(request, "balance_test.html", protocol=PROTOCOL, tests=tests)


@router.post("/balance-test")
async def balance_test_post(request: Request, db: DatabaseDep, _: CsrfChecked) -> Response:
    """Store the timed trials and show the reading."""
    form = await request.form()
    accepted = "a number of seconds from 1 to 60"
    try:
        trials = [
            float_field(form, f"trial_{n}", accepted) or 0.0
            for n in range(1, PROTOCOL.timed_trials + 1)
        ]
        async with page_write(request) as session:
            result = record_balance_test(session, require_profile(session), trials).to_dict()
            tests = [t.to_dict() for t in balance_tests(session, require_profile(session))]
    except InvalidInputError as exc:
        with db.factory() as session:
            tests = [t.to_dict() for t in balance_tests(session, require_profile(session))]
        return render(
            request,
            "balance_test.html",
            status_code=422,
            protocol=PROTOCOL,
            tests=tests,
            error=problem(exc),
            values=dict(form.items()),
        )
    return render(request, "balance_test.html", protocol=PROTOCOL, tests=tests, result=result)


# ------------------------------------------------------------------------------ today, plan
@router.get("/today")
def today_page(request: Request, db: DatabaseDep) -> Response:
    """The next session and why it is what it is."""
    with db.factory() as session:
        if current_profile(session) is None:
            return see_other("/onboarding")
        try:
            view = today(session, local_today()).to_dict()
        except NotFoundError:
            return see_other("/onboarding/result")
        unfinished = find_unfinished(session)
    return render(
        request,
        "today.html",
        view=view,
        unfinished=None if unfinished is None else unfinished.to_dict(),
        **_quick_context({}),
    )


@router.post("/guided/{log_id}/log-partial")
async def guided_log_partial(request: Request, log_id: str, _: CsrfChecked) -> Response:
    """Log the part of an interrupted session done up to its last checkpoint."""
    try:
        async with page_write(request) as session:
            log_partial(session, log_id)
    except NotFoundError:
        return render(request, "missing.html", status_code=404, what="session")
    return see_other("/log")


@router.post("/guided/{log_id}/abandon")
async def guided_abandon(request: Request, log_id: str, _: CsrfChecked) -> Response:
    """Discard an interrupted session (kept for the record, not counted)."""
    try:
        async with page_write(request) as session:
            abandon_guided(session, log_id)
    except NotFoundError:
        return render(request, "missing.html", status_code=404, what="session")
    return see_other("/today")


@router.get("/plan")
def plan_page(request: Request, db: DatabaseDep) -> Response:
    """The plan as a calendar of weeks, with its changes."""
    with db.factory() as session:
        try:
            stored = require_plan(session)
        except NotFoundError:
            return see_other("/onboarding/result")
        document = stored.to_dict()
        changes = plan_changes(session, stored.id)
    return render(
        request,
        "plan.html",
        plan=document,
        calendar=charts.calendar(document, local_today()),
        changes=changes,
    )


def _clock_rate(request: Request) -> float:
    """The fast fake clock's rate: honoured only in test mode (``?clock=fast&rate=N``)."""
    if not request.app.state.test_mode or request.query_params.get("clock") != "fast":
        return 1.0
    try:
        return min(max(float(request.query_params.get("rate", "60")), 1.0), CLOCK_RATE_MAX)
    except ValueError:
        return 60.0


@router.get("/player/{session_id}")
def player_page(request: Request, db: DatabaseDep, session_id: str) -> Response:
    """The session player for one planned session (runs in the browser)."""
    with db.factory() as session:
        try:
            stored = require_plan(session)
            planned = find_planned(stored, session_id)
        except NotFoundError:
            return render(request, "missing.html", status_code=404, what="session")
        prefs = load_preferences(session)
        built = planned_timeline(stored, session_id, prefs.units)
    data = player_data(
        title=planned.title,
        timeline=built,
        prefs=prefs,
        clock_rate=_clock_rate(request),
        planned_session_id=session_id,
    )
    return render(request, "player.html", data=data, title=planned.title, timeline=data["timeline"])


@router.get("/player/quick/{log_id}")
def quick_player_page(request: Request, db: DatabaseDep, log_id: str) -> Response:
    """The player for a quick session started with the quick-session form (in progress)."""
    with db.factory() as session:
        guided = find_unfinished(session)
        prefs = load_preferences(session)
    if guided is None or guided.log_id != log_id:
        return render(request, "missing.html", status_code=404, what="session in progress")
    if guided.planned_session_id is not None:
        return see_other(f"/player/{guided.planned_session_id}")
    data = player_data(
        title=guided.title,
        timeline=guided.timeline,
        prefs=prefs,
        clock_rate=_clock_rate(request),
        guided=guided,
    )
    return render(request, "player.html", data=data, title=guided.title, timeline=data["timeline"])


# ------------------------------------------------------------------------------ quick sessions
def _quick_context(values: dict[str, Any]) -> dict[str, Any]:
    return {
        "quick_values": {"quick_spec": QUICK_EXAMPLE, **values},
        "quick_ranges": QUICK_RANGES,
        "quick_environments": QUICK_ENVIRONMENTS,
        "quick_supports": QUICK_SUPPORTS,
    }


@router.get("/quick")
def quick_page(request: Request, db: DatabaseDep) -> Response:
    """The quick-session form on a page of its own."""
    with db.factory() as session:
        if current_profile(session) is None:
            return see_other("/onboarding")
    return render(request, "quick.html", **_quick_context({}))


@router.post("/quick")
async def quick_post(request: Request, db: DatabaseDep, _: CsrfChecked) -> Response:
    """Start a quick session (``start_guided``) and open its player."""
    with db.factory() as session:
        if current_profile(session) is None:
            return see_other("/onboarding")
    form = await request.form()
    values = {k: v for k, v in form.items() if k != "csrf_token" and isinstance(v, str)}
    try:
        quick = quick_from_form(form)
        async with page_write(request) as session:
            guided = start_guided(
                session,
                quick_spec=quick.quick_spec,
                units=load_preferences(session).units,
                environment=quick.environment,
                support=quick.support,
                on=local_today(),
            )
        return see_other(f"/player/quick/{guided.log_id}")
    except InvalidInputError as exc:
        status, error = 422, quick_problem(exc)
    except PlanStoppedError as exc:
        message = str(exc)
        status, error = 409, {"message": message[:1].upper() + message[1:] + "."}
    except SessionInProgressError as exc:
        status = 409
        error = {
            "message": f"A session started {exc.started_at:%Y-%m-%d %H:%M} UTC is still in "
            "progress: continue it, log the part done or discard it on the Today page first.",
            "link": "/today",
        }
    return render(
        request, "quick.html", status_code=status, quick_error=error, **_quick_context(values)
    )


# ------------------------------------------------------------------------------ log
@router.get("/log")
def log_list(request: Request, db: DatabaseDep) -> HTMLResponse:
    """Logged sessions, newest first."""
    with db.factory() as session:
        logs = [log.to_dict() for log in list_logs(session, limit=200)]
    return render(request, "log_list.html", logs=logs)


def _log_form(request: Request, **context: Any) -> HTMLResponse:
    return render(
        request,
        "log_form.html",
        environments=[e.value for e in Environment],
        supports=[s.value for s in Support],
        stop_reasons=[r.value for r in StopReason],
        **context,
    )


@router.get("/log/new")
def log_new(request: Request) -> HTMLResponse:
    """Form to log a session walked without the player."""
    now = utcnow().astimezone().replace(second=0, microsecond=0, tzinfo=None)
    values = {
        "started_at": (now - timedelta(minutes=15)).isoformat(),
        "spec": "5x(1m back, 1m fwd)",
    }
    return _log_form(request, values=values, log=None)


@router.post("/log/new")
async def log_new_post(request: Request, db: DatabaseDep, _: CsrfChecked) -> Response:
    """Store a session typed in by hand."""
    form = await request.form()
    try:
        stopped = bool(text(form, "stop_reason"))
        data = LogInput(
            started_at=local_datetime(form, "started_at"),
            segments=segments_from_form(form),
            ratings=ratings_from_form(form),
            source="manual",
            status="stopped" if stopped else "completed",
            stop_reason=text(form, "stop_reason") or None,
            notes=text(form, "notes"),
        )
        async with page_write(request) as session:
            add_log(session, data)
    except InvalidInputError as exc:
        return _log_form(
            request, status_code=422, values=dict(form.items()), log=None, error=problem(exc)
        )
    return see_other("/log")


@router.get("/log/{log_id}/edit")
def log_edit(request: Request, db: DatabaseDep, log_id: str) -> HTMLResponse:
    """Form to change a log's ratings, status and notes."""
    with db.factory() as session:
        try:
            log = get_log(session, log_id).to_dict()
        except NotFoundError:
            return render(request, "missing.html", status_code=404, what="log")
    ratings = log["ratings"] or {}
    values = {k: v for k, v in ratings.items() if v is not None}
    values.update(notes=log["notes"], stop_reason=log["stop_reason"] or "")
    steady = ratings.get("form_steady")
    values["form_steady"] = "" if steady is None else ("yes" if steady else "no")
    return _log_form(request, values=values, log=log)


@router.post("/log/{log_id}/edit")
async def log_edit_post(request: Request, db: DatabaseDep, log_id: str, _: CsrfChecked) -> Response:
    """Store the changes to a log."""
    form = await request.form()
    try:
        reason = text(form, "stop_reason") or None
        async with page_write(request) as session:
            edit_log(
                session,
                log_id,
                ratings=ratings_from_form(form),
                notes=text(form, "notes"),
                status="stopped" if reason else "completed",
                stop_reason=reason,
            )
    except NotFoundError:
        return render(request, "missing.html", status_code=404, what="log")
    except InvalidInputError as exc:
        with db.factory() as session:
            log = get_log(session, log_id).to_dict()
        return _log_form(
            request, status_code=422, values=dict(form.items()), log=log, error=problem(exc)
        )
    return see_other("/log")


@router.post("/log/{log_id}/delete")
async def log_delete(request: Request, db: DatabaseDep, log_id: str, _: CsrfChecked) -> Response:
    """Delete a log."""
    try:
        async with page_write(request) as session:
            delete_log(session, log_id)
    except NotFoundError:
        return render(request, "missing.html", status_code=404, what="log")
    return see_other("/log")


# ------------------------------------------------------------------------------ progress
@router.get("/progress")
def progress_page(request: Request, db: DatabaseDep) -> HTMLResponse:
    """Charts: weekly minutes against the goal, backward minutes, energy, 3MBWT trend."""
    with db.factory() as session:
        report = progress_report(session, weeks=8, today=local_today(), tz=local_zone()).to_dict()
    return render(request, "progress.html", report=report, charts=charts.progress_charts(report))


# ------------------------------------------------------------------------------ settings
@router.get("/settings")
def settings_page(request: Request, db: DatabaseDep) -> HTMLResponse:
    """Units, voice, export and import."""
    with db.factory() as session:
        prefs = load_preferences(session).to_dict()
    return render(request, "settings.html", prefs=prefs)


@router.post("/settings")
async def settings_post(request: Request, db: DatabaseDep, _: CsrfChecked) -> Response:
    """Store units and voice."""
    form = await request.form()
    try:
        async with page_write(request) as session:
            prefs = save_preferences(
                session, units=text(form, "units"), voice=form.get("voice") == "on"
            ).to_dict()
    except InvalidInputError as exc:
        with db.factory() as session:
            current = load_preferences(session).to_dict()
        return render(request, "settings.html", status_code=422, prefs=current, error=problem(exc))
    return render(request, "settings.html", prefs=prefs, saved=True)


@router.get("/settings/export")
def settings_export(db: DatabaseDep, format: str = "json") -> Response:
    """Download everything (same as ``/api/export``)."""
    fmt: Literal["json", "csv"] = "csv" if format == "csv" else "json"
    content, name = export_bytes(db, fmt)
    return Response(
        content,
        media_type="application/zip" if fmt == "csv" else "application/json",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.post("/settings/import")
async def settings_import(request: Request, db: DatabaseDep, _: CsrfChecked) -> Response:
    """Restore or merge an export."""
    form = await request.form()
    upload = form.get("file")
    with db.factory() as session:
        prefs = load_preferences(session).to_dict()
    if not isinstance(upload, UploadFile):
        error = {"field": "file", "message": "choose a file", "accepted": "a RetroWalk export"}
        return render(request, "settings.html", status_code=422, prefs=prefs, error=error)
    content = await upload.read()
    try:
        async with write_lock(request):
            summary = import_bytes(db, content, merge=form.get("merge") == "on")
    except ImportFileError as exc:
        error = {"field": "file", "message": exc.problem, "accepted": "a RetroWalk export"}
        return render(request, "settings.html", status_code=422, prefs=prefs, error=error)
    except NotEmptyError as exc:
        error = {"field": "merge", "message": str(exc), "accepted": "tick 'merge'"}
        return render(request, "settings.html", status_code=409, prefs=prefs, error=error)
    return render(request, "settings.html", prefs=prefs, imported=summary.model_dump())


# ------------------------------------------------------------------------------ login
def _safe_next(target: str | None) -> str:
    if not target or not target.startswith("/") or target.startswith("//") or "\\" in target:
        return "/"
    return target


@router.get("/login")
def login_page(request: Request) -> Response:
    """Ask for the pairing code (LAN mode only)."""
    if not request.app.state.lan:
        return see_other("/")
    return render(request, "login.html", next=_safe_next(request.query_params.get("next")))


@router.post("/login")
async def login_post(request: Request, db: DatabaseDep, _: CsrfChecked) -> Response:
    """Check the pairing code; failed attempts are limited per client address."""
    if not request.app.state.lan:
        return see_other("/")
    form = await request.form()
    target = _safe_next(text(form, "next"))
    client = request.client.host if request.client else "unknown"
    limiter = request.app.state.login_limiter
    wait = limiter.retry_after_s(client)
    if wait is not None:
        response = render(
            request,
            "login.html",
            status_code=429,
            next=target,
            login_error=f"Too many wrong codes. Try again in {wait} seconds.",
        )
        response.headers["Retry-After"] = str(wait)
        return response
    limiter.record_failure(client)  # before the check: parallel guesses count too
    ok = await run_in_threadpool(check_pairing_code_in, db, text(form, "code"))  # scrypt
    token = None
    if ok:
        async with page_write(request) as session:
            token = create_login(session)
    if token is None:
        return render(
            request,
            "login.html",
            status_code=401,
            next=target,
            login_error="That code is not right. Look at the terminal running RetroWalk.",
        )
    limiter.reset(client)
    redirect = see_other(target)
    redirect.set_cookie(
        SESSION_COOKIE,
        token,
        max_age=int(SESSION_TTL.total_seconds()),
        httponly=True,
        samesite="strict",
        path="/",
    )
    return redirect


@router.post("/logout")
async def logout(request: Request, db: DatabaseDep, _: CsrfChecked) -> Response:
    """End this device's login."""
    async with page_write(request) as session:
        end_login(session, request.cookies.get(SESSION_COOKIE))
    response = see_other("/login" if request.app.state.lan else "/")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response
