"""The whole analysis: resample, gravity, steps, bouts, cadence and steadiness.

:func:`analyze` takes one :class:`~retrowalk.motion.recording.Recording`; :func:`analyze_chunks`
takes consecutive chunks of one long recording (a reader's ``iter_chunks``) and keeps memory
bounded: each chunk is analysed together with :data:`CHUNK_MARGIN_S` of the previous one, and
only the steps that fall in the chunk's own stretch are kept, so the result does not depend on
where the chunks were cut (beyond filter round-off).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import numpy as np

from retrowalk.motion import steadiness as st
from retrowalk.motion.bouts import MAX_BREAK_S, MIN_STEPS, Bout, cadence_spm
from retrowalk.motion.gravity import gravity_m_s2, vertical_acceleration_m_s2
from retrowalk.motion.recording import FloatArray, Recording
from retrowalk.motion.resample import resample, uniform_grid_s
from retrowalk.motion.steps import OXFORD_TUNED, StepDetector, StepPreset

#: Rate of the analysis grid (Hz). Steps and the 20th harmonic of a 1 Hz stride lie well below
#: its Nyquist frequency (25 Hz); halving the usual 100 Hz halves the work.
ANALYSIS_RATE_HZ = 50.0
#: Context analysed on each side of a chunk boundary (s): longer than the walking windows, the
#: longest break inside a bout and a stride plus the regularity lag.
CHUNK_MARGIN_S = 15.0


@dataclass(frozen=True, eq=False)
class MotionSummary:
    """What a recording shows: steps, bouts with cadence and steadiness, and totals."""

    duration_s: float
    bouts: tuple[Bout, ...]
    step_times_s: FloatArray = field(repr=False)
    rate_hz: float = ANALYSIS_RATE_HZ

    @property
    def steps(self) -> int:
        return sum(b.steps for b in self.bouts)

    @property
    def walking_s(self) -> float:
        return sum(b.duration_s for b in self.bouts)

    @property
    def cadence_spm(self) -> float | None:
        """Mean cadence over all bouts, weighted by steps."""
        steps = self.steps
        return sum(b.cadence_spm * b.steps for b in self.bouts) / steps if steps else None


def analyze(recording: Recording, *, preset: StepPreset = OXFORD_TUNED) -> MotionSummary:
    """Analyse one recording held in memory."""
    return analyze_chunks([recording], preset=preset)


def analyze_chunks(
    chunks: Iterable[Recording], *, preset: StepPreset = OXFORD_TUNED
) -> MotionSummary:
    """Analyse consecutive chunks of one recording with bounded memory."""
    rate = ANALYSIS_RATE_HZ
    builder = _BoutBuilder(rate)
    buf_t = np.zeros(0)
    buf_a = np.zeros((0, 3))
    own_from = -np.inf
    start_s: float | None = None
    end_s = 0.0
    for chunk, last in _with_last(chunks):
        if chunk.n_samples == 0 and not last:
            continue
        t = np.concatenate([buf_t, chunk.time_s])
        a = np.concatenate([buf_a, chunk.acc_m_s2])
        if t.shape[0] == 0:
            break
        start_s = float(t[0]) if start_s is None else start_s
        end_s = float(t[-1])
        own_to = np.inf if last else end_s - CHUNK_MARGIN_S
        if own_to <= own_from or (t[-1] - t[0] < 2 * CHUNK_MARGIN_S and not last):
            buf_t, buf_a = t, a
            continue
        grid = uniform_grid_s(float(t[0]), end_s, rate)
        if grid.shape[0] >= 2:
            acc, valid = resample(t, a, grid)
            vertical = vertical_acceleration_m_s2(acc, gravity_m_s2(acc, rate))
            det = StepDetector(preset).detect(vertical, rate, valid)
            times = grid[det.step_index_]
            mine = (times >= own_from) & (times < own_to)
            builder.add(times[mine], det.step_index_[mine], vertical, float(grid[0]))
        own_from = own_to
        keep = t >= own_to - CHUNK_MARGIN_S
        buf_t, buf_a = t[keep], a[keep]
    builder.close()
    duration = 0.0 if start_s is None else end_s - start_s
    return MotionSummary(
        duration_s=duration,
        bouts=tuple(builder.bouts),
        step_times_s=np.asarray(builder.counted_steps_s, dtype=np.float64),
    )


def _with_last(chunks: Iterable[Recording]) -> Iterator[tuple[Recording, bool]]:
    it = iter(chunks)
    try:
        prev = next(it)
    except StopIteration:
        return
    for item in it:
        yield prev, False
        prev = item
    yield prev, True


class _BoutBuilder:
    """Groups steps into bouts as they arrive and accumulates each bout's steadiness."""

    def __init__(self, rate_hz: float) -> None:
        self.rate_hz = rate_hz
        self.max_lag = round(st.MAX_LAG_S * rate_hz)
        self.bouts: list[Bout] = []
        self.counted_steps_s: list[float] = []
        self._reset()

    def _reset(self) -> None:
        self.times: list[float] = []
        self.sums = np.zeros(self.max_lag + 1)
        self.ratios: list[float] = []

    def add(self, times: FloatArray, index: np.ndarray, x: FloatArray, grid0_s: float) -> None:
        for ts, i in zip(times.tolist(), index.tolist(), strict=True):
            if self.times and ts - self.times[-1] > MAX_BREAK_S:
                self.close()
            if self.times:
                prev = round((self.times[-1] - grid0_s) * self.rate_hz)
                if prev >= 0:
                    self.sums += st.lag_products(x, prev, i, self.max_lag)
                if len(self.times) >= 2:
                    first = round((self.times[-2] - grid0_s) * self.rate_hz)
                    hr = st.harmonic_ratio(x[first:i]) if first >= 0 else None
                    if hr is not None:
                        self.ratios.append(hr)
            self.times.append(ts)

    def close(self) -> None:
        times = np.asarray(self.times)
        if times.shape[0] >= MIN_STEPS:
            intervals = np.diff(times)
            step_reg, stride_reg = st.regularity(
                self.sums, float(np.median(intervals)) * self.rate_hz
            )
            sd, cv = st.step_time_variability(intervals)
            self.bouts.append(
                Bout(
                    start_s=float(times[0]),
                    end_s=float(times[-1]),
                    steps=int(times.shape[0]),
                    cadence_spm=cadence_spm(times),
                    steadiness=st.Steadiness(
                        step_regularity=step_reg,
                        stride_regularity=stride_reg,
                        step_time_sd_s=sd,
                        step_time_cv_pct=cv,
                        harmonic_ratio_vertical=(
                            float(np.mean(self.ratios)) if self.ratios else None
                        ),
                    ),
                )
            )
            self.counted_steps_s.extend(self.times)
        self._reset()
