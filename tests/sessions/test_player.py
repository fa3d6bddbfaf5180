"""SessionRun with a fake clock: transitions, pause, skip, stop, snapshot and restore."""

from __future__ import annotations

import dataclasses
import json

import pytest

from retrowalk.errors import InvalidInputError, StateConflictError
from retrowalk.sessions.player import (
    RunSnapshot,
    RunStatus,
    SessionRun,
    SessionStateError,
    StopReason,
    completed_segments,
)
from retrowalk.sessions.quick import parse_quick
from retrowalk.sessions.timeline import CueEvent, Timeline, build_timeline

from .fakes import FakeClock


def timeline_of(spec: str = "2x(2m back, 1m fwd)") -> Timeline:
    return build_timeline(parse_quick(spec))


def drive(
    run: SessionRun, clock: FakeClock, until_s: float, step_s: float = 0.05
) -> list[tuple[float, CueEvent]]:
    """Advance the clock to ``until_s`` after its current value, polling every ``step_s``."""
    out = [(clock.now, e) for e in run.poll()]
    end = clock.now + until_s
    while clock.now < end - 1e-9:
        clock.advance(min(step_s, end - clock.now))
        out += [(clock.now, e) for e in run.poll()]
    return out


def test_nothing_happens_before_start() -> None:
    clock = FakeClock()
    run = SessionRun(timeline_of(), clock)
    clock.advance(100)
    assert run.poll() == []
    assert run.state is RunStatus.NOT_STARTED
    snap = run.snapshot()
    assert snap.elapsed_s == 0.0
    assert snap.next_segment_index == 0
    assert snap.current_segment_index is None


def test_start_delivers_opening_cues_then_everything_once_in_order() -> None:
    timeline = timeline_of()
    clock = FakeClock()
    run = SessionRun(timeline, clock)
    run.start()
    first = run.poll()
    assert [e.kind for e in first] == ["safety", "countdown"]
    delivered = first + [e for _, e in drive(run, clock, timeline.total_s + 1)]
    assert delivered == list(timeline.events)
    assert run.state is RunStatus.FINISHED
    assert run.poll() == []
    snap = run.snapshot()
    assert snap.session_left_s == 0.0
    assert snap.elapsed_s == pytest.approx(timeline.total_s)
    assert completed_segments(snap) == tuple(s.duration_s for s in timeline.segments)


def test_cues_are_not_early_and_lateness_is_bounded_by_the_poll_step() -> None:
    timeline = timeline_of()
    clock = FakeClock()
    run = SessionRun(timeline, clock)
    t0 = clock.now
    run.start()
    for polled_at, event in drive(run, clock, timeline.total_s, step_s=0.07):
        assert 0.0 <= polled_at - (t0 + event.at_s) <= 0.07 + 1e-9


def test_pause_shifts_later_cues_by_the_pause_length() -> None:
    timeline = timeline_of()
    clock = FakeClock()
    run = SessionRun(timeline, clock)
    t0 = clock.now
    run.start()
    before = drive(run, clock, 50.0)
    run.pause()
    assert run.state is RunStatus.PAUSED
    paused = drive(run, clock, 30.0)
    assert paused == []
    assert run.snapshot().elapsed_s == pytest.approx(50.0)
    assert run.snapshot().paused_s == pytest.approx(30.0)
    run.resume()
    after = drive(run, clock, timeline.total_s)
    assert [e for _, e in before + after] == list(timeline.events)
    for polled_at, event in after:
        assert 0.0 <= polled_at - (t0 + 30.0 + event.at_s) <= 0.05 + 1e-9


def test_cue_due_at_the_pause_is_still_delivered_while_paused() -> None:
    timeline = timeline_of()
    clock = FakeClock()
    run = SessionRun(timeline, clock)
    run.start()
    run.poll()
    clock.advance(10.0)  # segment 0 starts at 10 s
    run.pause()
    clock.advance(5.0)
    assert [e.kind for e in run.poll()] == ["countdown"] * 3 + ["segment_start"]
    assert run.poll() == []


def test_skip_jumps_to_the_next_segment_start() -> None:
    timeline = timeline_of("2x(2m back, 1m fwd)")
    clock = FakeClock()
    run = SessionRun(timeline, clock)
    run.start()
    drive(run, clock, 40.0)  # 30 s into segment 0
    run.skip()
    due = run.poll()
    assert [(e.kind, e.segment_index) for e in due] == [("segment_start", 1)]
    snap = run.snapshot()
    assert snap.current_segment_index == 1
    assert snap.skipped_segments == (0,)
    assert snap.segment_done_s[0] == pytest.approx(30.0)
    assert snap.position_s == pytest.approx(timeline.segments[1].start_s)
    assert snap.elapsed_s == pytest.approx(40.0)
    rest = [e for _, e in drive(run, clock, timeline.total_s)]
    first_kept = timeline.events.index(due[0])
    assert rest == list(timeline.events[first_kept + 1 :])
    assert run.state is RunStatus.FINISHED
    done = completed_segments(run.snapshot())
    assert done[0] == pytest.approx(30.0)
    assert done[1:] == tuple(s.duration_s for s in timeline.segments[1:])


def test_skip_during_countdown_goes_to_the_first_segment() -> None:
    timeline = timeline_of()
    clock = FakeClock()
    run = SessionRun(timeline, clock)
    run.start()
    assert [e.kind for e in run.poll()] == ["safety", "countdown"]
    clock.advance(2.0)
    run.skip()
    assert [(e.kind, e.segment_index) for e in run.poll()] == [("segment_start", 0)]
    assert run.snapshot().skipped_segments == ()


def test_skip_last_segment_ends_the_session() -> None:
    timeline = timeline_of("1m back, 1m fwd")
    clock = FakeClock()
    run = SessionRun(timeline, clock)
    run.start()
    drive(run, clock, 80.0)  # 10 s into segment 1
    run.skip()
    assert [e.kind for e in run.poll()] == ["end"]
    assert run.state is RunStatus.FINISHED
    with pytest.raises(SessionStateError):
        run.skip()


def test_skip_while_paused_stays_paused() -> None:
    timeline = timeline_of()
    clock = FakeClock()
    run = SessionRun(timeline, clock)
    run.start()
    drive(run, clock, 20.0)
    run.pause()
    run.skip()
    assert run.state is RunStatus.PAUSED
    assert [e.kind for e in run.poll()] == ["segment_start"]
    clock.advance(100.0)
    assert run.poll() == []
    assert run.snapshot().position_s == timeline.segments[1].start_s


def test_position_is_the_snapshot_position_in_every_state() -> None:
    timeline = timeline_of()
    clock = FakeClock()
    run = SessionRun(timeline, clock)
    seen = [(run.position_s(), run.snapshot().position_s)]  # not started
    run.start()
    for action in (lambda: None, run.pause, run.skip, run.resume, run.skip, lambda: None):
        clock.advance(37.5)
        run.poll()
        action()
        seen.append((run.position_s(), run.snapshot().position_s))
    clock.advance(10_000.0)  # past the end
    run.poll()
    seen.append((run.position_s(), run.snapshot().position_s))
    assert all(fast == full for fast, full in seen)
    assert seen[0][0] == 0.0
    assert seen[-1][0] == timeline.total_s
    assert len({fast for fast, _ in seen}) > 4  # it moved, and pauses held it


def test_stop_records_reason_and_note() -> None:
    timeline = timeline_of()
    clock = FakeClock()
    run = SessionRun(timeline, clock)
    run.start()
    drive(run, clock, 70.0)
    run.stop(StopReason.DIZZINESS, "felt light-headed")
    clock.advance(60.0)
    assert run.poll() == []
    snap = run.snapshot()
    assert snap.status is RunStatus.STOPPED
    assert snap.stop_reason is StopReason.DIZZINESS
    assert snap.stop_note == "felt light-headed"
    assert snap.elapsed_s == pytest.approx(70.0)
    assert completed_segments(snap)[0] == pytest.approx(60.0)
    assert completed_segments(snap)[1:] == (0.0, 0.0, 0.0)
    for action in (run.start, run.pause, run.resume, run.skip):
        with pytest.raises(SessionStateError):
            action()
    with pytest.raises(SessionStateError):
        run.stop(StopReason.OTHER)


def test_stop_before_start_and_while_paused() -> None:
    clock = FakeClock()
    run = SessionRun(timeline_of(), clock)
    run.stop(StopReason.OTHER)
    assert run.snapshot().stop_reason is StopReason.OTHER
    run = SessionRun(timeline_of(), clock)
    run.start()
    clock.advance(5)
    run.pause()
    clock.advance(7)
    run.stop(StopReason.PAIN)
    snap = run.snapshot()
    assert (snap.elapsed_s, snap.paused_s) == (pytest.approx(5.0), pytest.approx(7.0))


def test_stop_validates_its_inputs() -> None:
    run = SessionRun(timeline_of(), FakeClock())
    with pytest.raises(InvalidInputError) as info:
        run.stop("bored")  # type: ignore[arg-type]
    assert info.value.field == "reason"
    with pytest.raises(InvalidInputError) as info:
        run.stop(StopReason.OTHER, "x" * 501)
    assert info.value.field == "note"
    run.stop("near_fall")  # type: ignore[arg-type]
    assert run.snapshot().stop_reason is StopReason.NEAR_FALL


@pytest.mark.parametrize(
    ("setup", "action"),
    [
        ([], "pause"),
        ([], "resume"),
        ([], "skip"),
        (["start"], "start"),
        (["start"], "resume"),
        (["start", "pause"], "pause"),
    ],
)
def test_invalid_transitions_raise(setup: list[str], action: str) -> None:
    run = SessionRun(timeline_of(), FakeClock())
    for name in setup:
        getattr(run, name)()
    with pytest.raises(SessionStateError):
        getattr(run, action)()


def test_clock_going_backwards_holds_time_still() -> None:
    clock = FakeClock()
    run = SessionRun(timeline_of(), clock)
    run.start()
    clock.advance(20.0)
    run.poll()
    clock.now -= 5.0
    assert run.snapshot().elapsed_s == pytest.approx(20.0)
    assert run.poll() == []
    clock.advance(6.0)
    assert run.snapshot().elapsed_s == pytest.approx(21.0)


def test_a_broken_clock_is_refused() -> None:
    run = SessionRun(timeline_of(), lambda: float("nan"))
    with pytest.raises(InvalidInputError) as info:
        run.start()
    assert info.value.field == "clock"


def test_seconds_to_next_cue() -> None:
    clock = FakeClock()
    run = SessionRun(timeline_of(), clock)
    assert run.seconds_to_next_cue() is None
    run.start()
    assert run.seconds_to_next_cue() == 0.0
    run.poll()
    assert run.seconds_to_next_cue() == pytest.approx(7.0)
    clock.advance(3.0)
    assert run.seconds_to_next_cue() == pytest.approx(4.0)


def test_snapshot_progress_fields() -> None:
    timeline = timeline_of("2x(2m back, 1m fwd)")
    clock = FakeClock()
    run = SessionRun(timeline, clock)
    run.start()
    clock.advance(40.0)
    snap = run.snapshot()
    assert snap.current_segment_index == 0
    assert snap.segment_left_s == pytest.approx(90.0)
    assert snap.session_left_s == pytest.approx(timeline.total_s - 40.0)
    assert snap.next_segment_index == 1


# -- snapshot and restore ----------------------------------------------------------------------


def test_snapshot_json_round_trip() -> None:
    clock = FakeClock()
    run = SessionRun(timeline_of(), clock)
    run.start()
    drive(run, clock, 45.0)
    run.skip()
    run.stop(StopReason.TIRED, "enough")
    snap = run.snapshot()
    again = RunSnapshot.from_dict(json.loads(json.dumps(snap.to_dict())))
    assert again == snap


@pytest.mark.parametrize(
    "mutate",
    [
        lambda d: d.update(version=9),
        lambda d: d.update(status="dancing"),
        lambda d: d.update(elapsed_s="1"),
        lambda d: d.update(stop_reason="bored"),
        lambda d: d.pop("position_s"),
        lambda d: d.update(segment_done_s=[True]),
    ],
)
def test_bad_snapshot_json_is_refused(mutate: object) -> None:
    data = SessionRun(timeline_of(), FakeClock()).snapshot().to_dict()
    mutate(data)  # type: ignore[operator]
    with pytest.raises(InvalidInputError):
        RunSnapshot.from_dict(data)


def test_restore_continues_with_the_same_remaining_cues() -> None:
    timeline = timeline_of("3x(2m back, 1m fwd)")
    clock = FakeClock()
    run = SessionRun(timeline, clock)
    run.start()
    before = [e for _, e in drive(run, clock, 100.0)]
    saved = json.loads(json.dumps(run.snapshot().to_dict()))

    # The process dies; a new one has its own monotonic clock.
    new_clock = FakeClock(start=5.0)
    restored = SessionRun.restore(timeline, RunSnapshot.from_dict(saved), new_clock)
    assert restored.state is RunStatus.PAUSED
    new_clock.advance(30.0)  # walker reads "Resume?" and presses it
    assert restored.poll() == []
    restored.resume()
    t_resume = new_clock.now
    after = drive(restored, new_clock, timeline.total_s)
    assert [e for _, e in after] == list(timeline.events[len(before) :])
    for polled_at, event in after:
        assert 0.0 <= polled_at - (t_resume + event.at_s - 100.0) <= 0.05 + 1e-9
    assert restored.state is RunStatus.FINISHED


def test_restore_keeps_skips_and_stops() -> None:
    timeline = timeline_of()
    clock = FakeClock()
    run = SessionRun(timeline, clock)
    run.start()
    drive(run, clock, 30.0)
    run.skip()
    run.stop(StopReason.PAIN, "knee")
    snap = run.snapshot()
    restored = SessionRun.restore(timeline, snap, FakeClock(0.0))
    assert restored.state is RunStatus.STOPPED
    assert restored.snapshot() == snap


def test_restore_not_started_stays_not_started() -> None:
    timeline = timeline_of()
    snap = SessionRun(timeline, FakeClock()).snapshot()
    restored = SessionRun.restore(timeline, snap, FakeClock())
    assert restored.state is RunStatus.NOT_STARTED


def test_restore_refuses_a_snapshot_of_another_timeline() -> None:
    clock = FakeClock()
    run = SessionRun(timeline_of("1m back"), clock)
    run.start()
    with pytest.raises(InvalidInputError) as info:
        SessionRun.restore(timeline_of("2m back"), run.snapshot(), clock)
    assert info.value.field == "snapshot"


def test_restore_refuses_an_inconsistent_snapshot() -> None:
    timeline = timeline_of()
    clock = FakeClock()
    run = SessionRun(timeline, clock)
    run.start()
    clock.advance(20)
    data = run.snapshot().to_dict()
    data["elapsed_s"] = 50.0  # more than position_s
    with pytest.raises(InvalidInputError):
        SessionRun.restore(timeline, RunSnapshot.from_dict(data), clock)


def test_a_snapshot_fits_only_its_own_timeline() -> None:
    timeline = build_timeline(parse_quick("2x(1m back, 1m fwd)"))
    snapshot = SessionRun(timeline, FakeClock()).snapshot()
    snapshot.check_fits(timeline)  # its own: no error
    other = build_timeline(parse_quick("1m back"))
    with pytest.raises(StateConflictError) as caught:
        snapshot.check_fits(other)
    assert caught.value.field == "snapshot.timeline_id"
    for change, field in (
        ({"segment_done_s": (0.0,)}, "snapshot.segment_done_s"),
        ({"skipped_segments": (4,)}, "snapshot"),
        ({"current_segment_index": 9}, "snapshot"),
        ({"next_event_index": len(timeline.events) + 1}, "snapshot.next_event_index"),
    ):
        with pytest.raises(StateConflictError) as caught:
            dataclasses.replace(snapshot, **change).check_fits(timeline)  # type: ignore[arg-type]
        assert caught.value.field == field
