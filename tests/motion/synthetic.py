"""Synthetic walks with a known number of steps, for property tests."""

from __future__ import annotations

import numpy as np

G = 9.80665


def rotation(angles_rad: tuple[float, float, float]) -> np.ndarray:
    """A rotation matrix from three Euler angles (z, y, x)."""
    a, b, c = angles_rad
    rz = np.array([[np.cos(a), -np.sin(a), 0], [np.sin(a), np.cos(a), 0], [0, 0, 1]])
    ry = np.array([[np.cos(b), 0, np.sin(b)], [0, 1, 0], [-np.sin(b), 0, np.cos(b)]])
    rx = np.array([[1, 0, 0], [0, np.cos(c), -np.sin(c)], [0, np.sin(c), np.cos(c)]])
    return rz @ ry @ rx


def walk(
    cadence_spm: float,
    steps: int,
    *,
    rate_hz: float = 100.0,
    still_s: float = 5.0,
    amplitude_m_s2: float = 2.0,
    noise_m_s2: float = 0.05,
    seed: int = 0,
    time_s: np.ndarray | None = None,
) -> tuple[np.ndarray, np.ndarray]:
    """Time (s) and world-frame acceleration (z up, gravity included) of ``steps`` steps.

    Each step is one cycle of a vertical oscillation (a peak per step), with a smaller
    stride-frequency component (left/right asymmetry) and a forward sway; the amplitude ramps up
    over the first step and down over the last (gait initiation and termination); the person
    stands still for ``still_s`` before and after.
    """
    f = cadence_spm / 60.0
    walk_s = steps / f
    total = walk_s + 2 * still_s
    t = np.arange(0.0, total, 1.0 / rate_hz) if time_s is None else time_s
    rng = np.random.default_rng(seed)
    tw = t - still_s
    on = (tw >= 0) & (tw < walk_s)
    phase = 2 * np.pi * f * tw
    # gait initiation and termination: the amplitude ramps over the first and last step
    ramp = np.clip(np.minimum(tw, walk_s - tw) * f, 0.0, 1.0)
    on = on * (0.5 - 0.5 * np.cos(np.pi * ramp))
    # one peak per step at phase pi/2 + k*2pi: the cycle starts at a trough-free zero
    vertical = amplitude_m_s2 * (np.sin(phase) + 0.25 * np.sin(phase / 2 + 0.3)) * on
    forward = 0.5 * amplitude_m_s2 * np.sin(phase + 1.0) * on
    lateral = 0.3 * amplitude_m_s2 * np.sin(phase / 2) * on
    acc = np.column_stack([forward, lateral, G + vertical])
    acc += rng.normal(0.0, noise_m_s2, acc.shape)
    return t, acc


def device_frame(acc_world: np.ndarray, rot: np.ndarray) -> np.ndarray:
    """The same acceleration as read by a device whose axes are ``rot`` applied to the world's."""
    return acc_world @ rot  # row vectors: a_device = R^T a_world
